"""The admin form of an event page."""

import dataclasses
from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
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
NEEDS_APPROVAL = _(
    "Another organisation you name here is shown once the municipal editors approve your submission; they see "
    "that you named it."
)


NOT_IN_SERIES = _(
    "The event does not take place on this date. Choose a date of the series (and its time, when it differs "
    "from the usual start time)."
)


def too_many_places_left(left: int, capacity: int) -> ValidationError:
    return ValidationError(
        _("There cannot be more places left (%(left)s) than places (%(capacity)s)."),
        code="more_than_capacity",
        params={"left": left, "capacity": capacity},
    )


class EventPageForm(WagtailAdminPageForm):
    """An event names as organisers and venue only partners in whose name its editor may act, or goes through the
    municipality's approval to name another one.

    A partner editor publishes nothing themselves (``partners.editors.PAGE_PERMISSIONS``): every event they submit
    waits for a municipal editor's approval, so they may name any partner (a library as the venue of their
    workshop), and the approvers' dashboard lists the submissions that name another partner
    (``events.wagtail_hooks.OtherPartnersAwaitingApprovalPanel``). Any other user names only partners whose page
    they may change (``partners.editors.nameable_partners``: municipal editors and superusers any); partners the
    event already names stay allowed, so a page the municipality gave a second organiser can still be saved.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            if is_partner_editor(self.for_user):
                for name in ("organisers", "venue"):
                    if name in self.fields:
                        self.fields[name].help_text = NEEDS_APPROVAL
            else:
                self.limit_partners(nameable_partners(self.for_user))
        self.offer_each_partner_once()

    def is_valid(self) -> bool:
        return super().is_valid() and all([self.check_changed_dates(), self.check_places()])

    def check_places(self) -> bool:
        """No changed date has more places left than it has places: its own capacity, else the event's."""
        formset = self.formsets.get("occurrence_exceptions")
        if formset is None:
            return True
        valid = True
        for form in self.kept_forms(formset):
            row = form.instance
            capacity = row.capacity if row.capacity is not None else self.instance.capacity
            if row.places_left is not None and capacity is not None and row.places_left > capacity:
                form.add_error("places_left", too_many_places_left(row.places_left, capacity))
                valid = False
        return valid

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
        current = {"organisers": [], "venue": [self.instance.venue_id] if self.instance.venue_id else []}
        if self.instance.pk:
            current["organisers"] = [partner.pk for partner in self.instance.organisers.all()]
        for name, refusal in (("organisers", ORGANISERS_REFUSED), ("venue", VENUE_REFUSED)):
            field = self.fields.get(name)
            if field is None:
                continue
            field.queryset = PartnerPage.objects.filter(
                Q(pk__in=partners.values("pk")) | Q(pk__in=current[name])
            ).select_related("locale")
            field.error_messages = {**field.error_messages, "invalid_choice": refusal}

    def offer_each_partner_once(self) -> None:
        """The organiser list (and a partner editor's venue list) names each partner once, not once per language.

        Each partner is offered as its copy in the event's language, else its first copy, with that copy's
        language named; a copy the event already names is shown as it is. Any copy the field allows is still
        accepted: the event's page shows every organiser in the visitor's language.
        """
        for name in ("organisers", "venue"):
            field = self.fields.get(name)
            if field is None or not isinstance(field.widget, forms.Select):  # the page chooser browses the tree
                continue
            value = self[name].value()
            chosen = {str(pk) for pk in (value if isinstance(value, list | tuple) else [value]) if pk}
            offered, seen = {}, set()
            copies = list(field.queryset.select_related("locale").order_by("pk"))
            for partner in copies:
                if str(partner.pk) in chosen:
                    offered[partner.pk] = partner
                    seen.add(partner.translation_key)
            for partner in sorted(copies, key=lambda copy: copy.locale_id != self.instance.locale_id):
                if partner.translation_key not in seen:
                    offered[partner.pk] = partner
                    seen.add(partner.translation_key)
            titles = Counter(partner.title for partner in offered.values())
            choices = [
                (partner.pk, self.partner_label(partner, titles[partner.title] > 1))
                for partner in sorted(offered.values(), key=lambda partner: (partner.title.casefold(), partner.pk))
            ]
            if not isinstance(field.widget, forms.SelectMultiple):
                choices.insert(0, ("", field.empty_label or ""))
            field.widget.choices = choices

    def partner_label(self, partner: PartnerPage, shared_title: bool = False) -> str:
        """A partner's title, with its slug when another partner has that title and its language when it is not
        the event's."""
        details = [partner.slug] if shared_title else []
        if partner.locale_id != self.instance.locale_id:
            details.append(partner.locale.get_display_name())
        return f"{partner.title} ({', '.join(details)})" if details else partner.title
