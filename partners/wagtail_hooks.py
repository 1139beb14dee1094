"""The admin for what is not a page (networks, partnerships and municipalities, under one "Partners" menu), what
partner editors do not see (the site-wide reports), and the partners' panels on the dashboard."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import user_passes_test
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.utils.urlpatterns import decorate_urlpatterns

from learningcity.dashboard import ListPanel, Row, StalePagesPanel, UntranslatedPagesPanel

from . import admin_imports
from .editors import is_partner_editor, nameable_partners
from .models import ImportRun, Municipality, Network, PartnerPage, Partnership
from .views import PERMISSION, partner_editors, remove_partner_editor


class ParticipantsColumn(Column):
    """The partners of a partnership, from the prefetched participants."""

    def get_value(self, instance):
        return ", ".join(str(participant) for participant in instance.participants.all())


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("Networks")
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug", "description"]
    search_backend_name = None


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "link"
    menu_label = _("Partnerships")
    list_display = ["title", "kind", "status", ParticipantsColumn("participants", label=_("Partners")), "start_date"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "description"]
    search_backend_name = None

    def get_queryset(self, request):
        return Partnership.objects.prefetch_related("participants__partner")


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Municipalities")
    list_display = ["name", "code", "region", "site"]
    list_filter = ["region"]
    search_fields = ["name", "code", "region"]
    search_backend_name = None


class PartnersGroup(SnippetViewSetGroup):
    menu_label = _("Partners")
    menu_icon = "group"
    menu_order = 250
    items = (NetworkViewSet, PartnershipViewSet, MunicipalityViewSet)


register_snippet(PartnersGroup)


# Reports (site history, aging pages, workflows, locked pages, page types) show the work of every partner: they
# are for municipal editors. Partner editors see only the reports made for them (the learning city report, with
# their own figures), and the report views under Wagtail's "wagtailadmin_reports" URLs send them to the dashboard
# with Wagtail's "no permission" message.


@hooks.register("construct_reports_menu")
def hide_reports_from_partner_editors(request, menu_items):
    if is_partner_editor(request.user):
        menu_items[:] = [item for item in menu_items if getattr(item, "shown_to_partner_editors", False)]


@hooks.register("register_admin_urls")
def refuse_reports_to_partner_editors():
    """Wrap Wagtail's report views, which have no hook of their own, in place; adds no URLs.

    Runs while ``wagtail.admin.urls`` is built, after it imported its reports module (importing that package from
    this module would build the admin URLs before every app registered its hooks).
    """
    from wagtail.admin.urls import reports

    decorate_urlpatterns(reports.urlpatterns, user_passes_test(lambda user: not is_partner_editor(user)))
    return []


# The dashboard: partner profiles residents may find out of date, and those not yet translated.


class StalePartnersPanel(StalePagesPanel):
    name = "stale_partners"
    heading = _("Partner profiles not updated for a year")
    empty_text = _("Every partner profile was published in the last twelve months.")
    order = 140
    page_model = PartnerPage


class UntranslatedPartnersPanel(UntranslatedPagesPanel):
    name = "untranslated_partners"
    heading = _("Partners without a translation")
    empty_text = _("Every published partner is translated.")
    order = 135
    page_model = PartnerPage


class ImportsPanel(ListPanel):
    """The last imports and calendar subscription runs, with their errors; a partner editor sees their partner's."""

    name = "imports"
    heading = _("Latest imports and subscriptions")
    empty_text = _("No imports or subscription runs yet.")
    order = 160

    def items(self):
        runs = ImportRun.objects.finished().order_by("-created_at", "-pk")
        user = self.request.user
        if user.has_perm(admin_imports.PERMISSION):
            return runs
        partners = nameable_partners(user)
        if partners is None:
            return runs
        return runs.filter(partner__translation_key__in=partners.values("translation_key"))

    def row(self, run):
        when = formats.date_format(timezone.localtime(run.finished_at or run.created_at), "DATETIME_FORMAT")
        detail = render_to_string("partners/admin/includes/import_counts.html", {"run": run}).strip()
        if run.errors:
            detail = f"{detail}: {Truncator(run.errors[0]).chars(120)}"
        return Row(str(run), admin_imports.import_run_url(run), f"{when} · {detail}")


@hooks.register("construct_homepage_panels")
def add_partner_panels(request, panels):
    panels.extend([StalePartnersPanel(request), UntranslatedPartnersPanel(request), ImportsPanel(request)])


# Imports: municipal editors upload a CSV or calendar, check the preview and confirm (Settings → Imports).


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("imports/", admin_imports.import_view, name="imports"),
        path("imports/<uuid:token>/", admin_imports.import_run_view, name="import_run"),
    ]


@hooks.register("register_settings_menu_item")
def register_imports_menu_item():
    return PermissionMenuItem(
        _("Imports"), reverse("imports"), icon_name="upload", order=620, permission=admin_imports.PERMISSION
    )


# Partner editors: municipal editors invite and remove them (Settings → Partner editors).


@hooks.register("register_admin_urls")
def register_partner_editor_urls():
    return [
        path("partner-editors/", partner_editors, name="partner_editors"),
        path(
            "partner-editors/<int:link_id>/remove/<int:user_id>/",
            remove_partner_editor,
            name="remove_partner_editor",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_settings_menu_item")
def register_partner_editors_menu_item():
    return PermissionMenuItem(
        _("Partner editors"), reverse("partner_editors"), icon_name="group", order=610, permission=PERMISSION
    )
