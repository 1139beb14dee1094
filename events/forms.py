"""The admin form of an event page."""

import dataclasses

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from partners.editors import is_partner_editor, nameable_partners
from partners.models import PartnerPage

ORGANISERS_REFUSED = _(
    "You can name only your own organisation as an organiser. Ask the municipal editors to add another partner."
)
VENUE_REFUSED = _(
    "You can name only your own organisation as the venue. For another place, leave the venue empty and give its "
    "name and address."
)


NOT_IN_SERIES = _(
    "The event does not take place on this date. Choose a date of the series (and its time, when it differs "
    "from the usual start time)."
)


class EventPageForm(WagtailAdminPageForm):
    """An event names as organisers and venue only partners in whose name its editor may act.

    A partner editor may name their own partner (any language copy of it); municipal editors and superusers any
    partner (``partners.editors.nameable_partners``). Partners the event already names stay allowed, so a partner
    editor can still save an event the municipality gave a second organiser.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.limit_partners(nameable_partners(self.for_user))

    def is_valid(self) -> bool:
        return super().is_valid() and self.check_changed_dates()

    def check_changed_dates(self) -> bool:
        """Each change to one date names a date of the series as the form now gives it (else an error on it).

        A change to a date the series does not have would be saved and never shown: the editor meant another day
        or time, or the series changed since.
        """
        formset = self.formsets.get("occurrence_exceptions")
        if formset is None:
            return True
        schedule = dataclasses.replace(
            self.instance.schedule(),
            extra=tuple(sorted(row.local_start(self.instance) for row in self.kept_rows("extra_dates"))),
            excluded=tuple(
                sorted((row.first_day, row.last_day or row.first_day) for row in self.kept_rows("excluded_dates"))
            ),
            overrides={},
        )
        valid = True
        for form in self.kept_forms(formset):
            exception = form.instance
            if exception.original_date is None:
                continue
            original = exception.original_local_start(self.instance.all_day, self.instance.start_time)
            if not schedule.local_starts(original, original):
                form.add_error("original_date", NOT_IN_SERIES)
                valid = False
        return valid

    @staticmethod
    def kept_forms(formset):
        """The formset's rows that will be saved: filled in, not marked for deletion."""
        deleted = set(map(id, formset.deleted_forms)) if formset.can_delete else set()
        return [
            form
            for form in formset.forms
            if id(form) not in deleted and (form.instance.pk or form.has_changed()) and not form.errors
        ]

    def kept_rows(self, name: str) -> list:
        formset = self.formsets.get(name)
        return [] if formset is None else [form.instance for form in self.kept_forms(formset)]

    def limit_partners(self, partners) -> None:
        if partners is None:
            return
        # Naming another partner is refused for now. When municipal moderation arrives, this is where such an event
        # would be let through, to wait for a municipal editor's approval, instead of failing validation.
        current = {"organisers": [], "venue": [self.instance.venue_id] if self.instance.venue_id else []}
        if self.instance.pk:
            current["organisers"] = [partner.pk for partner in self.instance.organisers.all()]
        partner_editor = is_partner_editor(self.for_user)
        for name, refusal in (("organisers", ORGANISERS_REFUSED), ("venue", VENUE_REFUSED)):
            field = self.fields.get(name)
            if field is None:
                continue
            if partner_editor and name == "venue":
                # The page chooser would offer every partner; a partner editor picks from a short list instead.
                field.widget = forms.Select()
            # Setting the queryset also sets the widget's choices, so it comes after the widget.
            field.queryset = PartnerPage.objects.filter(
                Q(pk__in=partners.values("pk")) | Q(pk__in=current[name])
            ).select_related("locale")
            if partner_editor:
                field.label_from_instance = partner_label
            field.error_messages = {**field.error_messages, "invalid_choice": refusal}


def partner_label(partner: PartnerPage) -> str:
    """A partner with its language, as a partner editor sees their own partner once per language."""
    return f"{partner.title} ({partner.locale.get_display_name()})"
