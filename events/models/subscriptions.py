"""A partner's calendar subscription: an iCalendar address that ``manage.py sync_calendars`` imports regularly."""

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.enums import ImportStatus


class CalendarSubscriptionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The subscriptions ``user`` may see and change: every one for a municipal editor, a partner editor's
        own partner's otherwise."""
        from partners.editors import nameable_partners

        partners = nameable_partners(user)
        if partners is None:
            return self
        return self.filter(partner__translation_key__in=partners.values("translation_key"))


class CalendarSubscription(models.Model):
    partner = models.ForeignKey(
        "partners.PartnerPage",
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
        verbose_name=_("partner"),
        help_text=_("The organiser of the imported activities; they are created under its page."),
    )
    url = models.URLField(
        _("calendar address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The iCalendar (.ics) address of the partner's own agenda, starting with https:// or http://."),
    )
    active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_(
            "Only active subscriptions are imported. A municipal editor switches a subscription on after checking "
            "the calendar; a partner editor changing the address switches it off again."
        ),
    )
    known_uids = models.JSONField(_("imported UIDs"), default=list, blank=True, editable=False)
    unpublished_uids = models.JSONField(
        _("UIDs unpublished as vanished"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Events this subscription unpublished; published again when their UID comes back."),
    )
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    last_status = models.CharField(
        _("last result"), max_length=10, choices=ImportStatus.choices, blank=True, editable=False
    )
    last_created = models.PositiveIntegerField(_("created"), default=0, editable=False)
    last_updated = models.PositiveIntegerField(_("changed"), default=0, editable=False)
    last_unchanged = models.PositiveIntegerField(_("unchanged"), default=0, editable=False)
    last_unpublished = models.PositiveIntegerField(_("unpublished"), default=0, editable=False)
    last_errors = models.JSONField(_("errors"), default=list, blank=True, editable=False)

    objects = CalendarSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        constraints = [models.UniqueConstraint(fields=["partner", "url"], name="unique_calendar_per_partner")]
        permissions = [("activate_calendarsubscription", _("Can switch calendar subscriptions on"))]

    def __str__(self):
        return f"{self.partner.title}: {self.url}"
