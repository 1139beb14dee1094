"""The partner directory's choices: kinds of partners and partnerships, sectors, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    PRIMARY_SCHOOL = "primary-school", _("Pre-primary or primary school")
    SECONDARY_SCHOOL = "secondary-school", _("Secondary school")
    HIGHER_EDUCATION = "higher-education", _("Higher education or teacher training")
    ADULT_EDUCATION = "adult-education", _("Adult education (CVO)")
    ARTS_EDUCATION = "arts-education", _("Part-time arts education")
    SPECIAL_NEEDS_EDUCATION = "special-needs-education", _("Special-needs education")
    LIBRARY = "library", _("Library")
    COMMUNITY_CENTRE = "community-centre", _("Cultural or community centre")
    MUSEUM = "museum", _("Museum")
    SPORTS_LEISURE = "sports-leisure", _("Sports and leisure")
    CHILDCARE = "childcare", _("Childcare or out-of-school care")
    WELFARE = "welfare", _("Welfare or family service")
    EMPLOYMENT = "employment", _("Employment service")
    BUSINESS = "business", _("Company or business association")
    RESEARCH = "research", _("Research institution")
    NGO = "ngo", _("NGO")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """The "four O's" of a learning ecosystem, plus civil society."""

    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    EDUCATION = "education", _("Education")
    RESEARCH = "research", _("Research")
    CIVIL_SOCIETY = "civil-society", _("Civil society")


class PartnershipKind(models.TextChoices):
    SCHOOL_PARTNERSHIP = "north-south-school", _("North–South school partnership")
    TWIN_TOWN = "twin-town", _("Twin town")
    EU_PROJECT = "erasmus-etwinning", _("Erasmus+ or eTwinning project")
    REGIONAL_ALLIANCE = "regional-alliance", _("Regional alliance")
    OTHER = "other", _("Other")


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


SCHOOL_KINDS = {
    PartnerKind.PRIMARY_SCHOOL,
    PartnerKind.SECONDARY_SCHOOL,
    PartnerKind.HIGHER_EDUCATION,
    PartnerKind.ADULT_EDUCATION,
    PartnerKind.ARTS_EDUCATION,
    PartnerKind.SPECIAL_NEEDS_EDUCATION,
}


class ImportKind(models.TextChoices):
    """What an import in the admin (or a calendar subscription's run) brought in."""

    PARTNERS = "partners", _("Partners (CSV)")
    CHILD_CENTRES = "child-centres", _("Child centres (CSV)")
    CALENDAR = "calendar", _("Calendar (iCalendar)")
    SUBSCRIPTION = "subscription", _("Calendar subscription")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    APPLIED = "applied", _("Imported")
    PARTIAL = "partial", _("Imported, with errors")
    FAILED = "failed", _("Nothing imported")
