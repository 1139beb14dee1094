"""The events in the admin: dashboard panels (dates this week that residents should know changed, activities
not yet translated) and the page with a partner's embed code and feed links."""

from datetime import timedelta

from django.db.models import Q
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learningcity.dashboard import ListPanel, Row, UntranslatedPagesPanel, editable_pages

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


@hooks.register("construct_homepage_panels")
def add_event_panels(request, panels):
    panels.extend([ChangedDatesThisWeekPanel(request), UntranslatedEventsPanel(request)])


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
