"""The admin's "Calendar subscriptions": a partner editor sets their partner's calendar address, a municipal
editor switches it on; both see each run's result and may run it at once. ``manage.py sync_calendars`` runs the
active ones on a schedule (``events.subscriptions``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.models import Locale

from learningcity.views import AdminPageMixin
from partners.editors import nameable_partners
from partners.enums import ImportStatus
from partners.models import PartnerPage

from .models import CalendarSubscription
from .subscriptions import sync_subscription

ACTIVATE = "events.activate_calendarsubscription"


def may_subscribe(user) -> bool:
    """Whether ``user`` keeps some partner up to date, and so may manage its subscriptions."""
    partners = nameable_partners(user)
    return partners is None or partners.exists()


class SubscriptionForm(forms.ModelForm):
    url = CalendarSubscription._meta.get_field("url").formfield(assume_scheme="https")

    class Meta:
        model = CalendarSubscription
        fields = ["partner", "url", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        partners = nameable_partners(user)
        queryset = PartnerPage.objects.filter(locale=Locale.get_default()).order_by("title")
        if partners is not None:
            queryset = queryset.filter(translation_key__in=partners.values("translation_key"))
        self.fields["partner"].queryset = queryset
        if not user.has_perm(ACTIVATE):
            del self.fields["active"]

    def clean(self):
        cleaned = super().clean()
        partner, url = cleaned.get("partner"), cleaned.get("url")
        duplicates = CalendarSubscription.objects.filter(partner=partner, url=url).exclude(pk=self.instance.pk)
        if partner and url and duplicates.exists():
            self.add_error("url", _("This partner already subscribes to this calendar."))
        return cleaned

    def save(self, commit=True):
        subscription = super().save(commit=False)
        if "active" not in self.fields and ("url" in self.changed_data or "partner" in self.changed_data):
            subscription.active = False  # a new source waits for a municipal editor
        if commit:
            subscription.save()
        return subscription


class SubscriptionsView(AdminPageMixin, FormView):
    template_name = "events/admin/calendar_subscriptions.html"
    form_class = SubscriptionForm
    page_title = gettext_lazy("Calendar subscriptions")
    header_icon = "calendar"
    success_url = reverse_lazy("calendar_subscriptions")

    def dispatch(self, request, *args, **kwargs):
        if not may_subscribe(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        subscriptions = (
            CalendarSubscription.objects.for_user(self.request.user)
            .select_related("partner")
            .order_by("partner__title", "url")
        )
        return super().get_context_data(
            subscriptions=subscriptions, can_activate=self.request.user.has_perm(ACTIVATE), **kwargs
        )

    def form_valid(self, form):
        try:
            with transaction.atomic():
                subscription = form.save()
        except IntegrityError:
            form.add_error("url", _("This partner already subscribes to this calendar."))
            return self.form_invalid(form)
        if subscription.active:
            messages.success(self.request, _("The subscription is saved and active."))
        else:
            messages.success(
                self.request, _("The subscription is saved; it runs once a municipal editor has switched it on.")
            )
        return super().form_valid(form)


class SubscriptionEditView(AdminPageMixin, FormView):
    template_name = "events/admin/calendar_subscription_edit.html"
    form_class = SubscriptionForm
    page_title = gettext_lazy("Edit a calendar subscription")
    header_icon = "calendar"
    success_url = reverse_lazy("calendar_subscriptions")

    def dispatch(self, request, pk):
        self.object = _own_subscription(request, pk)
        return super().dispatch(request, pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscription=self.object, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error("url", _("This partner already subscribes to this calendar."))
            return self.form_invalid(form)
        messages.success(self.request, _("The subscription is saved."))
        return super().form_valid(form)


def _own_subscription(request, pk) -> CalendarSubscription:
    if not may_subscribe(request.user):
        raise PermissionDenied
    return get_object_or_404(CalendarSubscription.objects.for_user(request.user).select_related("partner"), pk=pk)


@require_POST
def run_subscription(request, pk):
    subscription = _own_subscription(request, pk)
    if not subscription.active:
        messages.error(request, _("This subscription is not switched on yet."))
        return redirect("calendar_subscriptions")
    run = sync_subscription(subscription, user=request.user)
    report = _(
        "%(partner)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, %(unpublished)s unpublished."
    ) % {
        "partner": subscription.partner.title,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "unpublished": run.unpublished,
    }
    if run.status == ImportStatus.APPLIED:
        messages.success(request, report)
    elif run.status == ImportStatus.PARTIAL:
        messages.warning(request, report + " " + _("Some events were skipped; see their errors below."))
    else:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": run.errors[0]})
    return redirect("calendar_subscriptions")


@require_POST
def delete_subscription(request, pk):
    subscription = _own_subscription(request, pk)
    subscription.delete()
    messages.success(request, _("The subscription is deleted; the activities it imported stay."))
    return redirect("calendar_subscriptions")


calendar_subscriptions = SubscriptionsView.as_view()
edit_calendar_subscription = SubscriptionEditView.as_view()
