"""An event's schedule in plain language, in the active language: "Every first Wednesday of the month, 14:00–16:00,
until 24 June 2027 — not on 1 April".

Two lengths, as UiTdatabank offers them: ``short`` for listings, the embed and feed summaries (the rule, its times,
its end and at most two dates without the event), and ``full`` for the event page, its JSON-LD and the API (also
the first date, every date and period without the event, cancelled, moved and extra dates).

Every phrase is a msgid with named placeholders, so each language orders its own words; dates and times use
formats that are msgids too (French writes "1er avril" and "14 h 30"), and month and weekday names come from
Django's catalogues.
"""

from bisect import bisect_left
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .recurrence import Schedule

SHORT_EXCEPTIONS = 2  # dates and periods without the event a short text names; more are counted


def ordinal_word(ordinal: int) -> str:
    """ "first" … "fourth", "last", as said of a weekday of the month (French: masculine, as every weekday is)."""
    words = {
        1: pgettext("weekday of the month", "first"),
        2: pgettext("weekday of the month", "second"),
        3: pgettext("weekday of the month", "third"),
        4: pgettext("weekday of the month", "fourth"),
        -1: pgettext("weekday of the month", "last"),
    }
    return words[ordinal]


def month_day(day: int) -> str:
    """A day of the month as an ordinal number: "1st", "15th" ("1e", "15e"; "1er", "15")."""
    if day == 1:
        return pgettext("day of the month", "1st")
    if day in (21, 31):
        text = pgettext("day of the month", "%(day)sst")
    elif day in (2, 22):
        text = pgettext("day of the month", "%(day)snd")
    elif day in (3, 23):
        text = pgettext("day of the month", "%(day)srd")
    else:
        text = pgettext("day of the month", "%(day)sth")
    return text % {"day": day}


def month_days(days: list[int]) -> str:
    """Days of the month after "on the": "1st and 15th"; French gives each day after the first its article ("1er et
    le 15", in "le 1er et le 15 de chaque mois")."""
    first, *others = [month_day(day) for day in days]
    further = [pgettext("a further day of the month in a list", "%(day)s") % {"day": day} for day in others]
    return join([first, *further])


def of_month(month: int) -> str:
    """ "of September" after "the last Sunday": French elides ("d'avril"), so each month is its own phrase."""
    phrases = (
        pgettext("the first Monday …", "of January"),
        pgettext("the first Monday …", "of February"),
        pgettext("the first Monday …", "of March"),
        pgettext("the first Monday …", "of April"),
        pgettext("the first Monday …", "of May"),
        pgettext("the first Monday …", "of June"),
        pgettext("the first Monday …", "of July"),
        pgettext("the first Monday …", "of August"),
        pgettext("the first Monday …", "of September"),
        pgettext("the first Monday …", "of October"),
        pgettext("the first Monday …", "of November"),
        pgettext("the first Monday …", "of December"),
    )
    return phrases[month - 1]


def join(items: list[str]) -> str:
    """ "a, b and c" in the active language."""
    if len(items) < 2:
        return "".join(items)
    return pgettext("list", "%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def format_date(day: date, *, year: bool = True, weekday: bool = False) -> str:
    """A date as residents read it: "24 June 2027", "1 April"; "1er avril" in French."""
    first = day.day == 1
    if weekday:
        fmt = (
            pgettext("date with weekday, 1st of the month", "l j F Y")
            if first
            else pgettext("date with weekday", "l j F Y")
        )
    elif year:
        fmt = pgettext("date, 1st of the month", "j F Y") if first else pgettext("date", "j F Y")
    else:
        fmt = pgettext("date without year, 1st of the month", "j F") if first else pgettext("date without year", "j F")
    return dateformat.format(day, fmt)


def format_time(moment: time) -> str:
    """A time of day: "14:00"; "14 h" and "14 h 30" in French."""
    fmt = pgettext("time of day, on the hour", "H:i") if moment.minute == 0 else pgettext("time of day", "H:i")
    return dateformat.time_format(moment, fmt)


class ScheduleText:
    """The phrases of one schedule; ``short()`` and ``full()`` assemble them."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self.year = schedule.start.year

    def date(self, day: date) -> str:
        """A date, without its year when that is the year the series starts in."""
        return format_date(day, year=day.year != self.year)

    # The rule.

    def weekdays(self, *, after_on: bool = False) -> str:
        """ "Monday and Wednesday"; ``after_on`` where the list follows "on" ("every other week on Monday and
        Wednesday"), where French gives each weekday after the first its article ("lundi et le mercredi")."""
        first, *others = [
            str(WEEKDAYS[day]) for day in sorted(self.schedule.weekdays) or [self.schedule.start.weekday()]
        ]
        if after_on:
            others = [
                pgettext("a further weekday in a list after 'on'", "%(weekday)s") % {"weekday": day} for day in others
            ]
        return join([first, *others])

    def position(self) -> str:
        """ "first and third Wednesday", "last Friday"."""
        ordinals = join([ordinal_word(ordinal) for ordinal in self.schedule.ordinals])
        return pgettext("ordinal weekday", "%(ordinal)s %(weekday)s") % {
            "ordinal": ordinals,
            "weekday": self.weekdays(),
        }

    def rule(self) -> str:
        schedule = self.schedule
        n = schedule.interval or 1
        values = {"count": n}
        if schedule.frequency == "daily":
            return _("Every day") if n == 1 else _("Every %(count)s days") % values
        if schedule.frequency == "weekly":
            values["weekdays"] = self.weekdays(after_on=n > 1)
            if n == 1:
                return _("Every %(weekdays)s") % values
            if n == 2:
                return _("Every other %(weekdays)s") % values
            return _("Every %(count)s weeks on %(weekdays)s") % values
        if schedule.frequency == "monthly":
            if schedule.by_position:
                values["position"] = self.position()
                if n == 1:
                    return _("Every %(position)s of the month") % values
                return _("Every %(count)s months on the %(position)s") % values
            values["days"] = month_days(list(schedule.month_days or [schedule.start.day]))
            if n == 1:
                return _("Every month on the %(days)s") % values
            return _("Every %(count)s months on the %(days)s") % values
        if schedule.frequency == "yearly":
            if schedule.by_position:
                values.update(position=self.position(), of_month=of_month(schedule.start.month))
                if n == 1:
                    return _("Every year on the %(position)s %(of_month)s") % values
                return _("Every %(count)s years on the %(position)s %(of_month)s") % values
            values["date"] = format_date(schedule.start.date(), year=False)
            if n == 1:
                return _("Every year on %(date)s") % values
            return _("Every %(count)s years on %(date)s") % values
        return ""

    # Times and ends.

    def times(self) -> str:
        """ "14:00–16:00", "at 19:00", "for 3 days"; empty for an all-day event of one day."""
        schedule = self.schedule
        duration = schedule.duration
        if schedule.all_day:
            days = duration.days if duration else 1
            if days < 2:
                return ""
            return ngettext("for %(count)s day", "for %(count)s days", days) % {"count": days}
        start = format_time(schedule.start.time())
        if duration is None:
            return _("at %(start)s") % {"start": start}
        if duration < timedelta(days=1):
            return _("%(start)s–%(end)s") % {"start": start, "end": format_time(schedule.end.time())}
        days = (schedule.end.date() - schedule.start.date()).days + 1
        return ngettext("from %(start)s, for %(count)s day", "from %(start)s, for %(count)s days", days) % {
            "start": start,
            "count": days,
        }

    def end(self) -> str:
        schedule = self.schedule
        if schedule.until:
            return _("until %(date)s") % {"date": format_date(schedule.until)}
        if schedule.count:
            return ngettext("%(count)s time", "%(count)s times", schedule.count) % {"count": schedule.count}
        return ""

    def one_off(self) -> str:
        """The dates of an event that does not repeat by a rule."""
        schedule = self.schedule
        first = schedule.start.date()
        if not schedule.extra:
            if self.last_day > first:
                return _("From %(first)s to %(last)s") % {
                    "first": format_date(first, year=first.year != self.last_day.year),
                    "last": format_date(self.last_day),
                }
            return capfirst(format_date(first, weekday=True))
        days = sorted({first, *(extra.date() for extra in schedule.extra)})
        dates = join([self.date(day) for day in days[:-1]] + [format_date(days[-1])])
        return ngettext("On %(dates)s", "On %(dates)s", len(days)) % {"dates": dates}

    @property
    def last_day(self) -> date:
        """The last day of an all-day event's first date (its first day for a timed event)."""
        schedule = self.schedule
        if schedule.all_day and schedule.end:
            return max(schedule.start.date(), (schedule.end - timedelta(days=1)).date())
        return schedule.start.date()

    def one_off_times(self) -> str:
        """The times of a one-off, none for an all-day event from one day to another (its days are named)."""
        return "" if self.last_day > self.schedule.start.date() and not self.schedule.extra else self.times()

    # Exceptions.

    @cached_property
    def unexcluded_starts(self) -> list[datetime]:
        """The series' starts, its exclusions left aside, from the first to the last day that an exclusion or a
        change names: one expansion, however many rows (an import may bring a thousand)."""
        days = [day for period in self.schedule.excluded for day in period]
        days += [original.date() for original in self.schedule.overrides]
        if not days:
            return []
        unexcluded = replace(self.schedule, excluded=())
        return unexcluded.local_starts(datetime.combine(min(days), time.min), datetime.combine(max(days), time.max))

    def starts_between(self, after: datetime, before: datetime) -> bool:
        """Whether the series, its exclusions left aside, starts in [after, before]."""
        starts = self.unexcluded_starts
        index = bisect_left(starts, after)
        return index < len(starts) and starts[index] <= before

    def starts_on(self, first: date, last: date) -> bool:
        return self.starts_between(datetime.combine(first, time.min), datetime.combine(last, time.max))

    def excluded(self) -> tuple[list[date], list[tuple[date, date]]]:
        """The days and periods without the event that take a date away from the series."""
        days, periods = [], []
        for first, last in self.schedule.excluded:
            if not self.starts_on(first, last):
                continue
            if first == last:
                days.append(first)
            else:
                periods.append((first, last))
        return days, periods

    def excluded_phrases(self, days: list[date], periods: list[tuple[date, date]]) -> list[str]:
        phrases = []
        if days:
            dates = join([self.date(day) for day in days])
            phrases.append(ngettext("not on %(dates)s", "not on %(dates)s", len(days)) % {"dates": dates})
        if periods:
            spans = [
                pgettext("period", "from %(first)s to %(last)s") % {"first": self.date(first), "last": self.date(last)}
                for first, last in periods
            ]
            phrases.append(_("not %(periods)s") % {"periods": join(spans)})
        return phrases

    def changes(self) -> list[str]:
        """Cancelled and moved dates, and extra dates, as phrases."""
        schedule = self.schedule
        cancelled, moved = [], []
        for original, override in schedule.overrides.items():
            if not self.starts_between(original, original) or schedule.is_excluded(original):
                continue
            if override.status == "cancelled":
                cancelled.append(original.date())
            elif override.start and override.start != original:
                new = self.date(override.start.date())
                if not schedule.all_day:
                    new = pgettext("date and time", "%(date)s at %(time)s") % {
                        "date": new,
                        "time": format_time(override.start.time()),
                    }
                moved.append(_("%(original)s moved to %(new)s") % {"original": self.date(original.date()), "new": new})
        phrases = []
        if schedule.frequency and schedule.extra:
            days = sorted({extra.date() for extra in schedule.extra})
            dates = join([self.date(day) for day in days])
            phrases.append(ngettext("also on %(dates)s", "also on %(dates)s", len(days)) % {"dates": dates})
        if cancelled:
            dates = join([self.date(day) for day in cancelled])
            phrases.append(
                ngettext("cancelled on %(dates)s", "cancelled on %(dates)s", len(cancelled)) % {"dates": dates}
            )
        return phrases + moved

    # Assembly.

    def sentence(self, parts: list[str], exceptions: list[str]) -> str:
        text = ", ".join(part for part in parts if part)
        if exceptions:
            text = _("%(schedule)s — %(exceptions)s") % {"schedule": text, "exceptions": ", ".join(exceptions)}
        return text

    def short(self) -> str:
        if not self.schedule.frequency:
            return self.sentence([self.one_off(), self.one_off_times()], [])
        days, periods = self.excluded()
        if len(days) + len(periods) > SHORT_EXCEPTIONS:
            count = len(days) + len(periods)
            exceptions = [ngettext("%(count)s exception", "%(count)s exceptions", count) % {"count": count}]
        else:
            exceptions = self.excluded_phrases(days, periods)
        return self.sentence([self.rule(), self.times(), self.end()], exceptions)

    def full(self) -> str:
        if not self.schedule.frequency:
            return self.sentence([self.one_off(), self.one_off_times()], self.excluded_phrases(*self.excluded()))
        first, until = self.schedule.start.date(), self.schedule.until
        if until:
            span = _("from %(first)s until %(last)s") % {
                "first": format_date(first, year=first.year != until.year),
                "last": format_date(until),
            }
            parts = [self.rule(), self.times(), span]
        else:
            parts = [self.rule(), self.times(), _("from %(date)s") % {"date": format_date(first)}, self.end()]
        return self.sentence(parts, self.excluded_phrases(*self.excluded()) + self.changes())


def describe(schedule: Schedule, *, full: bool = False) -> str:
    """The schedule in words, in the active language; ``full`` for the event page, else the short form."""
    text = ScheduleText(schedule)
    return text.full() if full else text.short()
