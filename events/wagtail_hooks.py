"""The events in the admin: dashboard panels (dates this week that residents should know changed, activities
not yet translated, submissions that name another partner) and the page with a partner's embed code and feed
links."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import TaskState

from learningcity.dashboard import SHOWN, ListPanel, Row, UntranslatedPagesPanel, editable_pages
from partners.editors import is_partner_editor
from partners.models import PartnerEditorGroup, PartnerPage

from .enums import EventStatus
from .models import EventPage, Occurrence
from .subscription_views import (
    calendar_subscriptions,
    delete_subscription,
    edit_calendar_subscription,
    may_subscribe,
    run_subscription,
)
from .views import partner_feeds


class ChangedDatesThisWeekPanel(ListPanel):
    """Cancelled and full dates of the coming seven days, soonest first: check that residents are told."""

    name = "changed_dates_this_week"
    heading = _("Cancelled or full this week")
    empty_text = _("No date in the coming seven days is cancelled or full.")
    order = 110

    def items(self):
        now = timezone.now()
        return (
            Occurrence.objects.filter(start__gte=now, start__lt=now + timedelta(days=7))
            .filter(Q(status=EventStatus.CANCELLED) | Q(is_full=True))
            .filter(event__live=True, event__in=editable_pages(self.request.user))
            .select_related("event")
            .only("start", "status", "is_full", "event__title")
            .order_by("start", "event_id")
        )

    def row(self, occurrence):
        label = EventStatus(occurrence.status).label if occurrence.status == EventStatus.CANCELLED else _("Full")
        when = formats.date_format(timezone.localtime(occurrence.start), "DATETIME_FORMAT")
        return Row(
            occurrence.event.title, reverse("wagtailadmin_pages:edit", args=[occurrence.event_id]), f"{when} · {label}"
        )


class UntranslatedEventsPanel(UntranslatedPagesPanel):
    name = "untranslated_events"
    heading = _("Activities without a translation")
    empty_text = _("Every published activity is translated.")
    order = 130
    page_model = EventPage


class OtherPartnersAwaitingApprovalPanel(ListPanel):
    """Activities awaiting the editor's approval whose partner editor named another partner as organiser or venue.

    A partner editor may name any partner (``events.forms.EventPageForm``), as every submission waits for approval:
    this is where the approver sees which ones to check with the partner named. The names are read from the
    revision under review; it looks at the ``LOOKED_AT`` latest submissions, in four queries.
    """

    name = "other_partners_awaiting_approval"
    heading = _("Awaiting approval, naming another partner")
    empty_text = _("No activity awaiting your approval names a partner other than its editor's own.")
    order = 105
    LOOKED_AT = 200

    def get_context_data(self, parent_context=None):
        states = list(
            TaskState.objects.reviewable_by(self.request.user)
            .filter(
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__content_type=ContentType.objects.get_for_model(EventPage),
            )
            .select_related("revision", "workflow_state")
            .order_by("-started_at")[: self.LOOKED_AT]
        )
        named = {state.pk: self.named_partners(state.revision.content) for state in states}
        partners = {
            partner["pk"]: partner
            for partner in PartnerPage.objects.filter(pk__in=set().union(*named.values())).values(
                "pk", "title", "translation_key"
            )
        }
        own = {}
        for user_id, key in PartnerEditorGroup.objects.filter(
            group__user__in={state.workflow_state.requested_by_id for state in states}
        ).values_list("group__user", "translation_key"):
            own.setdefault(user_id, set()).add(key)
        rows = []
        for state in states:
            editor_partners = own.get(state.workflow_state.requested_by_id)
            if not editor_partners:  # not a partner editor's submission
                continue
            others = sorted(
                {
                    partners[pk]["title"]
                    for pk in named[state.pk]
                    if pk in partners and partners[pk]["translation_key"] not in editor_partners
                },
                key=str.casefold,
            )
            if others:
                title = state.revision.content.get("title") or state.revision.object_str
                url = reverse("wagtailadmin_pages:edit", args=[state.workflow_state.object_id])
                rows.append(Row(title, url, ", ".join(others)))
        return {"panel": self, "total": len(rows), "rows": rows[:SHOWN], "more": max(0, len(rows) - SHOWN)}

    @staticmethod
    def named_partners(content: dict) -> set[int]:
        """The partner ids a revision of an event names as organisers or venue."""
        named = {pk for pk in content.get("organisers") or () if isinstance(pk, int)}
        if isinstance(content.get("venue"), int):
            named.add(content["venue"])
        return named


@hooks.register("construct_homepage_panels")
def add_event_panels(request, panels):
    panels.extend([ChangedDatesThisWeekPanel(request), UntranslatedEventsPanel(request)])
    if not is_partner_editor(request.user):  # they approve nothing
        panels.append(OtherPartnersAwaitingApprovalPanel(request))


@hooks.register("register_admin_urls")
def register_partner_feeds_url():
    return [path("activities-on-your-site/", partner_feeds, name="partner_feeds")]


@hooks.register("register_admin_menu_item")
def register_partner_feeds_menu_item():
    return MenuItem(_("Activities on your site"), reverse("partner_feeds"), icon_name="code", order=450)


@hooks.register("register_admin_urls")
def register_calendar_subscription_urls():
    return [
        path("calendar-subscriptions/", calendar_subscriptions, name="calendar_subscriptions"),
        path("calendar-subscriptions/<int:pk>/", edit_calendar_subscription, name="edit_calendar_subscription"),
        path("calendar-subscriptions/<int:pk>/run/", run_subscription, name="run_calendar_subscription"),
        path("calendar-subscriptions/<int:pk>/delete/", delete_subscription, name="delete_calendar_subscription"),
    ]


class SubscriptionsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_subscribe(request.user)


@hooks.register("register_admin_menu_item")
def register_calendar_subscriptions_menu_item():
    return SubscriptionsMenuItem(
        _("Calendar subscriptions"), reverse("calendar_subscriptions"), icon_name="calendar", order=460
    )
