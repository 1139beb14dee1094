"""Saved feeds: a named set of the agenda's filters with a stable URL in every feed format."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

# Parameters a subscriber adds to a saved feed's URL; the filters themselves are stored.
REQUEST_PARAMETERS = ("locale", "limit")


@register_snippet
class SavedFeed(models.Model):
    """E.g. "Library Noord: own venue + STEM and reading"; partners subscribe to its URL, editors keep its filters."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Part of the feed's address, e.g. /feeds/saved/library-noord.ics. Keep it once partners use it."),
    )
    query = models.CharField(
        _("filters"),
        max_length=2000,
        blank=True,
        help_text=_("The agenda's filters as in its address, e.g. venue=12&theme=stem&theme=reading."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("query")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved feed")
        verbose_name_plural = _("saved feeds")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.query = self.query.strip().lstrip("?")
        errors = self.query_errors()
        if errors:
            raise ValidationError({"query": errors})
        return super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:saved_feed_ics", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = self.query_errors()
        if errors:
            raise ValidationError({"query": errors})

    def query_errors(self) -> list[str]:
        """The agenda's FilterSet's messages for the stored filters, one per parameter."""
        from ..filters import EventFilterSet

        params = self.params()
        errors = [
            f"{name}: {_('Add this to the feed address instead.')}" for name in REQUEST_PARAMETERS if name in params
        ]
        filterset = EventFilterSet(params)
        if not filterset.is_valid():
            errors += [f"{name}: {' '.join(messages)}" for name, messages in filterset.parameter_errors().items()]
        return errors

    def params(self) -> QueryDict:
        return QueryDict(self.query.strip().lstrip("?"), mutable=True)
