"""Schedules in plain language: a table of rules, each read in Dutch, English and French."""

from datetime import date, datetime

from django.test import SimpleTestCase
from django.utils import translation

from events.recurrence import Override, Schedule
from events.schedule_text import describe, format_date, format_time, month_day

TZ = "Europe/Amsterdam"


def series(start, end=None, **fields) -> Schedule:
    return Schedule(tzid=TZ, start=start, end=end, **fields)


# Weekly across both DST changes of 2026 (29 March, 25 October): the local time is what residents read.
WEEKLY_ACROSS_DST = series(
    datetime(2026, 3, 3, 19), datetime(2026, 3, 3, 21), frequency="weekly", weekdays=(1,), until=date(2026, 11, 24)
)
FIRST_WEDNESDAY = series(
    datetime(2026, 1, 7, 14),
    datetime(2026, 1, 7, 16),
    frequency="monthly",
    weekdays=(2,),
    ordinals=(1,),
    until=date(2026, 6, 24),
    excluded=((date(2026, 4, 1), date(2026, 4, 1)),),
)
LAST_FRIDAY = series(
    datetime(2026, 1, 30, 19), datetime(2026, 1, 30, 21), frequency="monthly", weekdays=(4,), ordinals=(-1,), count=10
)
EVERY_OTHER_WEEK = series(
    datetime(2026, 3, 2, 9, 30),
    datetime(2026, 3, 2, 11),
    frequency="weekly",
    interval=2,
    weekdays=(0, 2),
    excluded=((date(2026, 7, 6), date(2026, 8, 30)), (date(2026, 5, 13), date(2026, 5, 13))),
)
YEARLY_ON_A_DATE = series(datetime(2026, 5, 1, 10), frequency="yearly")
YEARLY_LAST_SUNDAY = series(
    datetime(2026, 9, 27, 10), datetime(2026, 9, 27, 17), frequency="yearly", weekdays=(6,), ordinals=(-1,)
)
ALL_DAY_MULTI_DAY = series(datetime(2026, 4, 25), datetime(2026, 4, 27), all_day=True, frequency="yearly")
NO_END_MONTH_DAYS = series(
    datetime(2026, 2, 15, 10), datetime(2026, 2, 15, 12), frequency="monthly", month_days=(1, 15)
)
CHANGED_DATES = series(
    datetime(2026, 3, 3, 19),
    datetime(2026, 3, 3, 21),
    frequency="weekly",
    until=date(2026, 6, 30),
    extra=(datetime(2026, 7, 2, 19),),
    overrides={
        datetime(2026, 3, 10, 19): Override(status="cancelled"),
        datetime(2026, 3, 17, 19): Override(start=datetime(2026, 3, 18, 19, 30), end=datetime(2026, 3, 18, 21, 30)),
    },
)
ONE_OFF = series(datetime(2026, 4, 1, 14), datetime(2026, 4, 1, 16))
THREE_MONTH_DAYS = series(
    datetime(2026, 2, 10, 10),
    datetime(2026, 2, 10, 12),
    frequency="monthly",
    month_days=(1, 10, 20),
    until=date(2026, 12, 20),
    excluded=((date(2026, 4, 1), date(2026, 4, 1)), (date(2026, 7, 1), date(2026, 8, 31))),
)
ONE_MONTH_DAY = series(datetime(2026, 2, 1, 19, 30), frequency="monthly", month_days=(1,))
MONTH_DAYS_EVERY_OTHER_MONTH = series(
    datetime(2026, 1, 2, 10), frequency="monthly", interval=2, month_days=(2, 22, 31), count=6
)
THREE_WEEKDAYS_EVERY_THIRD_WEEK = series(
    datetime(2026, 3, 2, 9, 30), frequency="weekly", interval=3, weekdays=(0, 2, 4)
)
TWO_WEEKDAYS_EVERY_WEEK = series(datetime(2026, 3, 2, 9, 30), frequency="weekly", weekdays=(0, 3))
ALL_DAY_ONE_OFF = series(datetime(2026, 4, 25), datetime(2026, 4, 28), all_day=True)

SHORT = [
    (
        (WEEKLY_ACROSS_DST, "weekly across DST"),
        {
            "nl": "Elke dinsdag, 19:00–21:00, tot 24 november 2026",
            "en": "Every Tuesday, 19:00–21:00, until 24 November 2026",
            "fr": "Chaque mardi, de 19 h à 21 h, jusqu'au 24 novembre 2026",
        },
    ),
    (
        (FIRST_WEDNESDAY, "first Wednesday"),
        {
            "nl": "Elke eerste woensdag van de maand, 14:00–16:00, tot 24 juni 2026 — niet op 1 april",
            "en": "Every first Wednesday of the month, 14:00–16:00, until 24 June 2026 — not on 1 April",
            "fr": "Chaque premier mercredi du mois, de 14 h à 16 h, jusqu'au 24 juin 2026 — sauf le 1er avril",
        },
    ),
    (
        (LAST_FRIDAY, "last Friday"),
        {
            "nl": "Elke laatste vrijdag van de maand, 19:00–21:00, 10 keer",
            "en": "Every last Friday of the month, 19:00–21:00, 10 times",
            "fr": "Chaque dernier vendredi du mois, de 19 h à 21 h, 10 fois",
        },
    ),
    (
        (EVERY_OTHER_WEEK, "every other week with a period"),
        {
            "nl": "Om de twee weken op maandag en woensdag, 09:30–11:00 — niet op 13 mei, niet van 6 juli tot en met "
            "30 augustus",
            "en": "Every other Monday and Wednesday, 09:30–11:00 — not on 13 May, not from 6 July to 30 August",
            "fr": "Toutes les deux semaines, le lundi et le mercredi, de 9 h 30 à 11 h — sauf le 13 mai, sauf du "
            "6 juillet au 30 août",
        },
    ),
    (
        (YEARLY_ON_A_DATE, "yearly on a date, no end time"),
        {
            "nl": "Elk jaar op 1 mei, om 10:00",
            "en": "Every year on 1 May, at 10:00",
            "fr": "Chaque année, le 1er mai, à 10 h",
        },
    ),
    (
        (YEARLY_LAST_SUNDAY, "yearly on the last Sunday"),
        {
            "nl": "Elk jaar op de laatste zondag van september, 10:00–17:00",
            "en": "Every year on the last Sunday of September, 10:00–17:00",
            "fr": "Chaque année, le dernier dimanche de septembre, de 10 h à 17 h",
        },
    ),
    (
        (ALL_DAY_MULTI_DAY, "all-day over two days"),
        {
            "nl": "Elk jaar op 25 april, 2 dagen lang",
            "en": "Every year on 25 April, for 2 days",
            "fr": "Chaque année, le 25 avril, pendant 2 jours",
        },
    ),
    (
        (NO_END_MONTH_DAYS, "days of the month, no end"),
        {
            "nl": "Elke maand op de 1e en 15e, 10:00–12:00",
            "en": "Every month on the 1st and 15th, 10:00–12:00",
            "fr": "Le 1er et le 15 de chaque mois, de 10 h à 12 h",
        },
    ),
    (
        (THREE_MONTH_DAYS, "three days of the month, with a day and a period without"),
        {
            "nl": "Elke maand op de 1e, 10e en 20e, 10:00–12:00, tot 20 december 2026 — niet op 1 april, niet van "
            "1 juli tot en met 31 augustus",
            "en": "Every month on the 1st, 10th and 20th, 10:00–12:00, until 20 December 2026 — not on 1 April, "
            "not from 1 July to 31 August",
            "fr": "Le 1er, le 10 et le 20 de chaque mois, de 10 h à 12 h, jusqu'au 20 décembre 2026 — sauf le "
            "1er avril, sauf du 1er juillet au 31 août",
        },
    ),
    (
        (ONE_MONTH_DAY, "one day of the month, the 1st"),
        {
            "nl": "Elke maand op de 1e, om 19:30",
            "en": "Every month on the 1st, at 19:30",
            "fr": "Le 1er de chaque mois, à 19 h 30",
        },
    ),
    (
        (MONTH_DAYS_EVERY_OTHER_MONTH, "days of the month every other month"),
        {
            "nl": "Om de 2 maanden op de 2e, 22e en 31e, om 10:00, 6 keer",
            "en": "Every 2 months on the 2nd, 22nd and 31st, at 10:00, 6 times",
            "fr": "Tous les 2 mois, le 2, le 22 et le 31, à 10 h, 6 fois",
        },
    ),
    (
        (THREE_WEEKDAYS_EVERY_THIRD_WEEK, "three weekdays every third week"),
        {
            "nl": "Om de 3 weken op maandag, woensdag en vrijdag, om 09:30",
            "en": "Every 3 weeks on Monday, Wednesday and Friday, at 09:30",
            "fr": "Toutes les 3 semaines, le lundi, le mercredi et le vendredi, à 9 h 30",
        },
    ),
    (
        (TWO_WEEKDAYS_EVERY_WEEK, "two weekdays every week"),
        {
            "nl": "Elke maandag en donderdag, om 09:30",
            "en": "Every Monday and Thursday, at 09:30",
            "fr": "Chaque lundi et jeudi, à 9 h 30",
        },
    ),
    (
        (ALL_DAY_ONE_OFF, "one all-day event over three days"),
        {
            "nl": "Van 25 april tot en met 27 april 2026",
            "en": "From 25 April to 27 April 2026",
            "fr": "Du 25 avril au 27 avril 2026",
        },
    ),
    (
        (ONE_OFF, "one date"),
        {
            "nl": "Woensdag 1 april 2026, 14:00–16:00",
            "en": "Wednesday 1 April 2026, 14:00–16:00",
            "fr": "Mercredi 1er avril 2026, de 14 h à 16 h",
        },
    ),
]

FULL = [
    (
        (FIRST_WEDNESDAY, "first Wednesday"),
        {
            "nl": "Elke eerste woensdag van de maand, 14:00–16:00, van 7 januari tot 24 juni 2026 — niet op 1 april",
            "en": "Every first Wednesday of the month, 14:00–16:00, from 7 January until 24 June 2026 — not on 1 April",
            "fr": "Chaque premier mercredi du mois, de 14 h à 16 h, du 7 janvier au 24 juin 2026 — sauf le 1er avril",
        },
    ),
    (
        (NO_END_MONTH_DAYS, "days of the month, no end"),
        {
            "nl": "Elke maand op de 1e en 15e, 10:00–12:00, vanaf 15 februari 2026",
            "en": "Every month on the 1st and 15th, 10:00–12:00, from 15 February 2026",
            "fr": "Le 1er et le 15 de chaque mois, de 10 h à 12 h, à partir du 15 février 2026",
        },
    ),
    (
        (THREE_MONTH_DAYS, "three days of the month, with a day and a period without"),
        {
            "nl": "Elke maand op de 1e, 10e en 20e, 10:00–12:00, van 10 februari tot 20 december 2026 — niet op "
            "1 april, niet van 1 juli tot en met 31 augustus",
            "en": "Every month on the 1st, 10th and 20th, 10:00–12:00, from 10 February until 20 December 2026 — "
            "not on 1 April, not from 1 July to 31 August",
            "fr": "Le 1er, le 10 et le 20 de chaque mois, de 10 h à 12 h, du 10 février au 20 décembre 2026 — sauf "
            "le 1er avril, sauf du 1er juillet au 31 août",
        },
    ),
    (
        (CHANGED_DATES, "extra, cancelled and moved dates"),
        {
            "nl": "Elke dinsdag, 19:00–21:00, van 3 maart tot 30 juni 2026 — ook op 2 juli, geannuleerd op 10 maart, "
            "17 maart verplaatst naar 18 maart om 19:30",
            "en": "Every Tuesday, 19:00–21:00, from 3 March until 30 June 2026 — also on 2 July, cancelled on "
            "10 March, 17 March moved to 18 March at 19:30",
            "fr": "Chaque mardi, de 19 h à 21 h, du 3 mars au 30 juin 2026 — aussi le 2 juillet, annulé le 10 mars, "
            "le 17 mars déplacé au 18 mars à 19 h 30",
        },
    ),
]


class ScheduleTextTests(SimpleTestCase):
    def test_short_texts_read_naturally_in_each_language(self):
        for (schedule, name), texts in SHORT:
            for language, text in texts.items():
                with self.subTest(name, language=language), translation.override(language):
                    self.assertEqual(describe(schedule), text)

    def test_full_texts_name_the_first_date_and_every_change(self):
        for (schedule, name), texts in FULL:
            for language, text in texts.items():
                with self.subTest(name, language=language), translation.override(language):
                    self.assertEqual(describe(schedule, full=True), text)

    def test_a_short_text_counts_many_exceptions(self):
        days = tuple((date(2026, 3, day), date(2026, 3, day)) for day in (3, 10, 17))
        schedule = series(datetime(2026, 3, 3, 19), frequency="weekly", excluded=days)
        for language, text in {
            "nl": "Elke dinsdag, om 19:00 — 3 uitzonderingen",
            "en": "Every Tuesday, at 19:00 — 3 exceptions",
            "fr": "Chaque mardi, à 19 h — 3 exceptions",
        }.items():
            with self.subTest(language), translation.override(language):
                self.assertEqual(describe(schedule), text)

    def test_exclusions_that_take_no_date_away_are_left_out(self):
        thursday = ((date(2026, 3, 5), date(2026, 3, 5)),)  # a Tuesday series
        with translation.override("en"):
            self.assertEqual(
                describe(series(datetime(2026, 3, 3, 19), frequency="weekly", excluded=thursday)),
                "Every Tuesday, at 19:00",
            )

    def test_every_day_of_the_month_and_intervals(self):
        with translation.override("en"):
            self.assertEqual(
                [month_day(day) for day in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)],
                ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"],
            )
            daily = series(datetime(2026, 3, 3, 19), frequency="daily", interval=3)
            self.assertEqual(describe(daily), "Every 3 days, at 19:00")
            quarterly = series(
                datetime(2026, 1, 7, 14), frequency="monthly", interval=3, weekdays=(2,), ordinals=(1, 3)
            )
            self.assertEqual(describe(quarterly), "Every 3 months on the first and third Wednesday, at 14:00")
        with translation.override("fr"):
            self.assertEqual(format_date(date(2026, 4, 1)), "1er avril 2026")
            self.assertEqual(format_time(datetime(2026, 1, 1, 9, 5).time()), "9 h 05")
