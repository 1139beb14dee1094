"""Fixed, translatable lists for events: themes and audience groups (labels in code, codes in the database)."""

from django.utils.translation import gettext_lazy as _

from partners.models.taxonomy import CodedTerm

THEMES = {
    "stem": _("Science, technology and maths"),
    "digital-skills": _("Digital skills"),
    "reading": _("Reading and writing"),
    "languages": _("Languages"),
    "arts-culture": _("Arts and culture"),
    "sustainability": _("Sustainability and nature"),
    "citizenship": _("Citizenship and society"),
    "health": _("Health and well-being"),
    "parenting": _("Parenting and family"),
    "work": _("Work and career"),
    "heritage": _("History and heritage"),
    "teaching": _("Teaching and education"),
}

AUDIENCE_GROUPS = {
    "children": _("Children"),
    "teens": _("Teenagers"),
    "adults": _("Adults"),
    "seniors": _("Seniors"),
    "parents": _("Parents"),
    "teachers": _("Teachers"),
    "newcomers": _("Newcomers"),
    "job-seekers": _("Job seekers"),
}


class Theme(CodedTerm):
    LABELS = THEMES

    class Meta(CodedTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class AudienceGroup(CodedTerm):
    LABELS = AUDIENCE_GROUPS

    class Meta(CodedTerm.Meta):
        verbose_name = _("audience group")
        verbose_name_plural = _("audience groups")


TERM_LISTS = {"Theme": THEMES, "AudienceGroup": AUDIENCE_GROUPS}
