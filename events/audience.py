"""Who an event is for, as residents read it: its age range in words.

The age range and the agenda's ``age`` filter (``OccurrenceQuerySet.for_ages``) follow one rule: an event is for
the ages from its youngest to its oldest age, both included; a bound left empty is open, and an event with neither
is for all ages, so it is listed for every age. An adults-only course therefore needs a youngest age (18): its
audience groups ("Adults") say whom it addresses, not whom it turns away, and the age filter does not read them.
"""

from django.utils.translation import gettext, ngettext


def age_range_label(min_age: int | None, max_age: int | None) -> str:
    """The ages an event is for: "All ages", "From 16 years", "Up to 12 years", "8 to 12 years" or "5 years".

    A youngest age of 0 is no bound: 0 to 3 reads "Up to 3 years", 0 and nothing reads "All ages".
    """
    youngest = min_age or None
    if youngest is None and max_age is None:
        return gettext("All ages")
    if max_age is None:
        return ngettext("From %(min)s year", "From %(min)s years", youngest) % {"min": youngest}
    if youngest is None:
        return ngettext("Up to %(max)s year", "Up to %(max)s years", max_age) % {"max": max_age}
    if youngest == max_age:
        return ngettext("%(age)s year", "%(age)s years", max_age) % {"age": max_age}
    return gettext("%(min)s to %(max)s years") % {"min": youngest, "max": max_age}
