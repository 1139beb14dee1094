"""The learning city's report in the admin (Reports → Learning city report), with its exports; the titled admin
page the apps' own admin views build on."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from .reports import (
    ReportForm,
    ReportScope,
    build_report,
    by_feature,
    find_table,
    partners_of,
    table_csv,
    tables_xlsx,
    tables_zip,
)

EXPORTS = ("csv", "zip", "xlsx", "print")


class AdminPageMixin(WagtailAdminTemplateMixin):
    """An admin page whose header names it: the breadcrumbs end with its title (Wagtail's show "Home" alone)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LearningCityReportView(AdminPageMixin, TemplateView):
    """The figures for a period and a municipality; ``?export=csv&table=…``, ``zip``, ``xlsx`` or ``print``.

    A partner editor sees the figures of their own organisation only.
    """

    template_name = "learningcity/admin/report.html"
    print_template_name = "learningcity/admin/report_print.html"
    page_title = _("Learning city report")
    header_icon = "doc-full"

    def get(self, request, *args, **kwargs):
        form = ReportForm(request.GET)
        export = request.GET.get("export", "")
        problems = []
        if export and export not in EXPORTS:
            problems.append(gettext("Choose an export: csv, zip, xlsx or print."))
        if not form.is_valid() or problems:
            context = self.get_context_data(form=form, problems=problems, sections=[])
            return self.render_to_response(context, status=400)
        data = form.cleaned_data
        partners = partners_of(request.user)
        scope = ReportScope(
            site=Site.find_for_request(request),
            date_from=data["date_from"],
            date_to=data["date_to"],
            municipality=data["municipality"],
            partners=partners,
            interval=data["interval"],
        )
        sections = build_report(scope)
        heading = self.heading(form, scope)
        # The form shows the period the figures cover, the default one too.
        form = ReportForm(
            {
                "date_from": scope.date_from.isoformat(),
                "date_to": scope.date_to.isoformat(),
                "municipality": scope.municipality,
                "interval": scope.interval,
            }
        )
        stem = f"leerstad-{scope.date_from.isoformat()}-{scope.date_to.isoformat()}"
        if export == "csv":
            table = find_table(sections, request.GET.get("table", ""))
            if table is None:
                context = self.get_context_data(
                    form=form, problems=[gettext("There is no such table in the report.")], sections=[]
                )
                return self.render_to_response(context, status=400)
            return attachment("\ufeff" + table_csv(table), "text/csv; charset=utf-8", f"{stem}-{table.key}.csv")
        if export == "zip":
            return attachment(tables_zip(sections), "application/zip", f"{stem}.zip")
        if export == "xlsx":
            return attachment(tables_xlsx(sections, heading), XLSX_TYPE, f"{stem}.xlsx")
        context = self.get_context_data(form=form, problems=[], sections=sections, scope=scope, heading=heading)
        if export == "print":
            context["features"] = by_feature(sections)
            return TemplateResponse(request, self.print_template_name, context)
        return self.render_to_response(context)

    def heading(self, form, scope: ReportScope) -> str:
        place = dict(form.fields["municipality"].choices).get(scope.municipality) if scope.municipality else ""
        parts = [
            gettext("%(first)s to %(last)s")
            % {"first": scope.date_from.isoformat(), "last": scope.date_to.isoformat()},
        ]
        if place:
            parts.append(str(place))
        if scope.for_partners:
            parts.append(gettext("your organisation's figures"))
        return capfirst(", ".join(parts))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("export", "table"):
            query.pop(name, None)
        context["query"] = query.urlencode()
        return context


def attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
