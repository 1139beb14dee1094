"""The admin's imports (Settings → Imports): upload a partners or child-centres CSV or a calendar, see what it would
change, confirm to apply. The rules are the importers' own (``partners.imports``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.auth import permission_required
from wagtail.models import Locale

from learningcity.views import AdminPageMixin

from .editors import nameable_partners
from .enums import ImportStatus
from .imports import apply, get_importer, importers, preview, prune_runs
from .models import ImportRun, PartnerPage

PERMISSION = "partners.import_files"
SHOWN_ROWS = 500  # rows listed on a run's page; the counts cover them all


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), widget=forms.RadioSelect)
    file = forms.FileField(label=gettext_lazy("File"))
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Organiser"),
        queryset=PartnerPage.objects.none(),
        required=False,
        help_text=gettext_lazy("For a calendar: the partner whose activities these are; they go under its page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(importer.kind, importer.kind.label) for importer in importers()]
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted({importer.extension for importer in importers()}))
        self.fields["partner"].queryset = PartnerPage.objects.filter(locale=Locale.get_default()).order_by("title")

    def clean(self):
        cleaned = super().clean()
        kind, upload = cleaned.get("kind"), cleaned.get("file")
        if not kind:
            return cleaned
        importer = get_importer(kind)
        if upload is not None and upload.size > importer.max_bytes():
            self.add_error(
                "file",
                _("The file is %(size)s; an import takes at most %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(importer.max_bytes())},
            )
        if importer.needs_partner and not cleaned.get("partner"):
            self.add_error("partner", _("Choose the partner that organises the calendar's activities."))
        return cleaned


class ImportView(AdminPageMixin, FormView):
    template_name = "partners/admin/import_upload.html"
    form_class = ImportForm
    page_title = gettext_lazy("Imports")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        runs = ImportRun.objects.finished().select_related("user").order_by("-created_at")[:10]
        return super().get_context_data(runs=runs, **kwargs)

    def form_valid(self, form):
        prune_runs()
        upload, importer = form.cleaned_data["file"], get_importer(form.cleaned_data["kind"])
        data = b"".join(upload.chunks())
        if len(data) > importer.max_bytes():  # the declared size said otherwise
            form.add_error("file", _("The file is larger than an import takes."))
            return self.form_invalid(form)
        run = ImportRun(
            kind=importer.kind,
            user=self.request.user,
            partner=form.cleaned_data["partner"] if importer.needs_partner else None,
            source=upload.name[:500],
            data=data,
        )
        preview(run)
        return redirect("import_run", token=run.token)


class ImportRunView(AdminPageMixin, TemplateView):
    """One import: its preview with the confirmation button, or what it did. Partner editors see the runs of their
    own partner (subscriptions, calendars), linked from the dashboard."""

    template_name = "partners/admin/import_run.html"
    header_icon = "upload"

    def get_page_title(self):
        return str(self.run)

    def dispatch(self, request, token):
        self.run = get_object_or_404(ImportRun.objects.select_related("user", "partner"), token=token)
        if not self.may_see(request.user, self.run):
            raise Http404
        return super().dispatch(request, token)

    @staticmethod
    def may_see(user, run) -> bool:
        if run.status == ImportStatus.PREVIEW:
            return run.user_id == user.pk  # an upload waiting for confirmation is its uploader's
        if user.has_perm(PERMISSION):
            return True
        partners = nameable_partners(user)
        return run.partner is not None and (
            partners is None or partners.filter(translation_key=run.partner.translation_key).exists()
        )

    def get_context_data(self, **kwargs):
        run = self.run
        return super().get_context_data(
            run=run,
            shown_rows=run.rows[:SHOWN_ROWS],
            more_rows=max(0, len(run.rows) - SHOWN_ROWS),
            can_confirm=run.status == ImportStatus.PREVIEW and not run.errors and (run.created or run.updated),
            **kwargs,
        )

    def post(self, request, token):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        with transaction.atomic():
            run = (
                ImportRun.objects.select_for_update()
                .filter(token=token, user=request.user, status=ImportStatus.PREVIEW)
                .first()
            )
            if run is None:
                messages.warning(request, _("This import was confirmed already or has expired; upload the file again."))
                return redirect("import_run", token=token)
            if run.errors:
                messages.error(
                    request, _("This file has errors; nothing was imported. Correct it and upload it again.")
                )
                return redirect("import_run", token=token)
            apply(run)
        if run.status == ImportStatus.APPLIED:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s changed, %(unchanged)s unchanged.")
                % {"created": run.created, "updated": run.updated, "unchanged": run.unchanged},
            )
        else:
            messages.error(request, _("Nothing was imported: the file no longer passes the checks."))
        return redirect("import_run", token=token)


import_view = permission_required(PERMISSION)(ImportView.as_view())
import_run_view = ImportRunView.as_view()


def import_run_url(run: ImportRun) -> str:
    return reverse("import_run", kwargs={"token": run.token})
