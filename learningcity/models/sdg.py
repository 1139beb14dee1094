"""The UN Sustainable Development Goals: 17 goals, 169 targets, and a mixin to tag pages with them.

Goals and targets are fixed, language-neutral rows (a code is unique and never duplicated per locale); their
texts are stored per language code and fall back to English, so a new language needs no schema change.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms.models import register_form_field_override

from ..compat import SynchronisedManyToManyField
from ..widgets import SDGTargetsWidget

FALLBACK_LANGUAGE = "en"


def pick_text(texts: dict, language: str | None = None) -> str:
    """Return the text for ``language`` (default: the active one), falling back to English."""
    language = (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or ""


class SDGGoal(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True, editable=False)
    colour = models.CharField(_("colour"), max_length=7, editable=False)
    titles = models.JSONField(_("titles"), default=dict, help_text=_("Short title per language code."))
    descriptions = models.JSONField(_("descriptions"), default=dict)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return str(self.number)

    @property
    def title(self) -> str:
        return pick_text(self.titles)

    @property
    def description(self) -> str:
        return pick_text(self.descriptions)

    @property
    def is_first_class(self) -> bool:
        """SDG 4 (education) and 11 (cities) are what a learning city reports on first."""
        return self.number in FIRST_CLASS_GOALS


FIRST_CLASS_GOALS = (4, 11)


class SDGTarget(models.Model):
    goal = models.ForeignKey(SDGGoal, on_delete=models.PROTECT, related_name="targets", editable=False)
    code = models.CharField(_("code"), max_length=5, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), editable=False)
    texts = models.JSONField(_("texts"), default=dict, help_text=_("Official target text per language code."))

    class Meta:
        ordering = ["goal__number", "position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return pick_text(self.texts)


class SDGTargetsField(ParentalManyToManyField):
    """A ParentalManyToManyField to SDG targets; only its admin widget differs (targets grouped by goal)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "modelcluster.fields.ParentalManyToManyField", args, kwargs


register_form_field_override(SDGTargetsField, override={"widget": SDGTargetsWidget})


class SDGTaggedMixin(models.Model):
    """Tags a page with SDG targets; the goals follow from the targets.

    A ParentalManyToManyField, not a plain ManyToManyField: it is stored with the page's revisions and
    wagtail-localize synchronises it to translations.
    """

    sdg_targets = SDGTargetsField(
        SDGTarget,
        blank=True,
        related_name="+",
        verbose_name=_("SDG targets"),
        help_text=_("The sustainable development goals this contributes to; residents can filter on them."),
    )

    # Tags are the same in every language; subclasses that override this list must extend it.
    override_translatable_fields = [SynchronisedManyToManyField("sdg_targets")]

    class Meta:
        abstract = True

    @property
    def sdg_target_codes(self) -> list[str]:
        """The codes of this page's SDG targets ("4.7", "11.3"), in UN order; for the pages API."""
        return [target.code for target in self.sdg_targets.all()]

    @property
    def sdg_targets_with_goals(self) -> list[SDGTarget]:
        """This page's SDG targets with their goals, in UN order (one query), as pages show them."""
        return list(self.sdg_targets.select_related("goal"))

    @property
    def sdg_goals(self) -> list[SDGGoal]:
        """The goals of this page's targets, in UN order (uses prefetched targets when present)."""
        goals = {target.goal_id: target.goal for target in self.sdg_targets.all()}
        return sorted(goals.values(), key=lambda goal: goal.number)
