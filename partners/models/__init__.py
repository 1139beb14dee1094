from .childcentres import (
    MAX_AGE_MONTHS,
    SUGGESTED_SDG_TARGETS,
    ChildCentreIndexPage,
    ChildCentreOpeningHours,
    ChildCentreOpeningHoursException,
    ChildCentrePage,
)
from .editors import PartnerEditorGroup
from .imports import ImportRun
from .partners import (
    SCHOOL_KINDS,
    Network,
    PartnerIndexPage,
    PartnerKind,
    PartnerOpeningHours,
    PartnerOpeningHoursException,
    PartnerPage,
    Partnership,
    PartnershipKind,
    PartnershipParticipant,
    PartnershipStatus,
    Sector,
)
from .places import WEEKDAYS, AddressMixin, Municipality, OpeningHoursBase, OpeningHoursExceptionBase
from .taxonomy import AccessibilityFacility, ChildCentreService, Language

__all__ = [
    "MAX_AGE_MONTHS",
    "SCHOOL_KINDS",
    "SUGGESTED_SDG_TARGETS",
    "WEEKDAYS",
    "AccessibilityFacility",
    "AddressMixin",
    "ChildCentreIndexPage",
    "ChildCentreOpeningHours",
    "ChildCentreOpeningHoursException",
    "ChildCentrePage",
    "ChildCentreService",
    "ImportRun",
    "Language",
    "Municipality",
    "Network",
    "OpeningHoursBase",
    "OpeningHoursExceptionBase",
    "PartnerEditorGroup",
    "PartnerIndexPage",
    "PartnerKind",
    "PartnerOpeningHours",
    "PartnerOpeningHoursException",
    "PartnerPage",
    "Partnership",
    "PartnershipKind",
    "PartnershipParticipant",
    "PartnershipStatus",
    "Sector",
]
