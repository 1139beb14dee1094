"""The link between a partner and its editor group: keyed by the partner's translation key, not by its title."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerEditorGroup(models.Model):
    """The group whose members keep one partner (every language copy of it) up to date, and its collection.

    Titles are not unique (a CSV import easily makes two partners with one name), so the group and the collection
    are found through this row, never by name; their names only show the partner's title to people.
    """

    translation_key = models.UUIDField(
        _("partner"), unique=True, help_text=_("The translation key the partner's pages in every language share.")
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="partner_editors", verbose_name=_("group")
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("collection"),
        help_text=_("The partner's own images and documents; made when the first editor is added."),
    )

    class Meta:
        verbose_name = _("partner editor group")
        verbose_name_plural = _("partner editor groups")
        permissions = [("manage_partner_editors", _("Can invite and remove partner editors"))]

    def __str__(self):
        return self.group.name
