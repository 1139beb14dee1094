"""Fixed, translatable lists shared by partners, child centres and events.

Each list is a small reference table loaded by a data migration, so pages can hold several values in a
ParentalManyToManyField (kept identical in every translation) and filters join on an indexed code. The
labels live in code, translated with gettext, so they follow the visitor's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACCESSIBILITY_FACILITIES = {
    "step-free": _("Step-free access"),
    "accessible-toilet": _("Accessible toilet"),
    "induction-loop": _("Induction loop"),
    "sign-language": _("Sign-language interpreting on request"),
    "low-stimulus": _("Low-stimulus space"),
    "easy-read": _("Easy-read information"),
    "accessible-parking": _("Accessible parking"),
    "assistance-dogs": _("Assistance dogs welcome"),
    "quiet-hours": _("Quiet hours"),
    "wheelchair-loan": _("Wheelchair available"),
}

# ISO 639 codes of the languages residents of Dutch and Flemish cities speak most, plus sign languages.
LANGUAGES = {
    "nl": pgettext_lazy("language", "Dutch"),
    "fr": pgettext_lazy("language", "French"),
    "en": pgettext_lazy("language", "English"),
    "de": pgettext_lazy("language", "German"),
    "ar": pgettext_lazy("language", "Arabic"),
    "tr": pgettext_lazy("language", "Turkish"),
    "pl": pgettext_lazy("language", "Polish"),
    "ro": pgettext_lazy("language", "Romanian"),
    "bg": pgettext_lazy("language", "Bulgarian"),
    "uk": pgettext_lazy("language", "Ukrainian"),
    "ru": pgettext_lazy("language", "Russian"),
    "es": pgettext_lazy("language", "Spanish"),
    "it": pgettext_lazy("language", "Italian"),
    "pt": pgettext_lazy("language", "Portuguese"),
    "so": pgettext_lazy("language", "Somali"),
    "ti": pgettext_lazy("language", "Tigrinya"),
    "fa": pgettext_lazy("language", "Persian"),
    "ps": pgettext_lazy("language", "Pashto"),
    "zgh": pgettext_lazy("language", "Tamazight"),
    "vgt": pgettext_lazy("language", "Flemish Sign Language"),
    "ngt": pgettext_lazy("language", "Dutch Sign Language"),
}

CHILD_CENTRE_SERVICES = {
    "childcare": _("Childcare"),
    "pre-school": _("Pre-school"),
    "primary-education": _("Primary education"),
    "out-of-school-care": _("Out-of-school care"),
    "youth-health-care": _("Youth health care"),
    "parenting-support": _("Parenting support"),
    "other": _("Other services"),
}


class CodedTerm(models.Model):
    """A term of a fixed list: a stable code, a position, and a translated label from ``LABELS``."""

    LABELS: dict = {}

    code = models.SlugField(_("code"), max_length=30, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return self.LABELS.get(self.code, self.code)


class AccessibilityFacility(CodedTerm):
    LABELS = ACCESSIBILITY_FACILITIES

    class Meta(CodedTerm.Meta):
        verbose_name = _("accessibility facility")
        verbose_name_plural = _("accessibility facilities")


class Language(CodedTerm):
    LABELS = LANGUAGES

    class Meta(CodedTerm.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class ChildCentreService(CodedTerm):
    LABELS = CHILD_CENTRE_SERVICES

    class Meta(CodedTerm.Meta):
        verbose_name = _("child centre service")
        verbose_name_plural = _("child centre services")


TERM_LISTS = {
    "AccessibilityFacility": ACCESSIBILITY_FACILITIES,
    "Language": LANGUAGES,
    "ChildCentreService": CHILD_CENTRE_SERVICES,
}
