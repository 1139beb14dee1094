"""Who an event is for: its ages in words on the event page and the agenda, and the agenda's age rule."""

from datetime import UTC, date, datetime

import time_machine
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from events.audience import age_range_label
from tests.learningcity.utils import make_portal, sync_translation

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)


class AgeRangeLabelTests(SimpleTestCase):
    def test_ages_in_words_in_each_language(self):
        cases = {
            (None, None): ("All ages", "Alle leeftijden", "Tous les âges"),
            (0, None): ("All ages", "Alle leeftijden", "Tous les âges"),
            (18, None): ("From 18 years", "Vanaf 18 jaar", "À partir de 18 ans"),
            (1, None): ("From 1 year", "Vanaf 1 jaar", "À partir de 1 an"),
            (None, 12): ("Up to 12 years", "Tot en met 12 jaar", "Jusqu’à 12 ans"),
            (0, 3): ("Up to 3 years", "Tot en met 3 jaar", "Jusqu’à 3 ans"),
            (8, 12): ("8 to 12 years", "8 tot en met 12 jaar", "De 8 à 12 ans"),
            (5, 5): ("5 years", "5 jaar", "5 ans"),
        }
        for (youngest, oldest), labels in cases.items():
            for language, label in zip(("en", "nl", "fr"), labels, strict=True):
                with self.subTest(ages=(youngest, oldest), language=language), translation.override(language):
                    self.assertEqual(age_range_label(youngest, oldest), label)


@time_machine.travel(NOW, tick=False)
class AudienceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            home, locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=home)
            for code in ("en", "fr"):
                sync_translation(cls.agenda, locales[code])
            cls.open_day = publish(
                EventPageFactory(parent=cls.agenda, title="Opendeurdag", start_date=date(2026, 3, 4))
            )
            cls.course = publish(
                EventPageFactory(parent=cls.agenda, title="Boekhouden", start_date=date(2026, 3, 5), min_age=18)
            )
            cls.toddlers = publish(
                EventPageFactory(parent=cls.agenda, title="Peuterzang", start_date=date(2026, 3, 6), max_age=4)
            )
            cls.coding = publish(
                EventPageFactory(
                    parent=cls.agenda, title="Programmeren", start_date=date(2026, 3, 7), min_age=7, max_age=12
                )
            )
            for event in (cls.open_day, cls.course, cls.toddlers, cls.coding):
                for code in ("en", "fr"):
                    sync_translation(event, locales[code])

    def titles(self, query: str) -> set[str]:
        response = self.client.get(f"/en/agenda/?{query}")
        self.assertEqual(response.status_code, 200)
        return {item.page.title for item in response.context["results"]}

    def test_event_without_ages_is_for_all_ages_in_each_language(self):
        for code, label in (("en", "All ages"), ("nl", "Alle leeftijden"), ("fr", "Tous les âges")):
            with self.subTest(language=code):
                response = self.client.get(f"/{code}/agenda/{self.open_day.slug}/")
                self.assertContains(response, f'<p class="ages">{label}</p>', html=True)

    def test_event_page_names_the_age_range(self):
        for event, label in (
            (self.course, "From 18 years"),
            (self.toddlers, "Up to 4 years"),
            (self.coding, "7 to 12 years"),
        ):
            with self.subTest(event=event.title):
                response = self.client.get(f"/en/agenda/{event.slug}/")
                self.assertContains(response, f'<p class="ages">{label}</p>', html=True)

    def test_agenda_rows_name_the_ages(self):
        response = self.client.get("/nl/agenda/")
        for label in ("Alle leeftijden", "Vanaf 18 jaar", "Tot en met 4 jaar", "7 tot en met 12 jaar"):
            with self.subTest(label=label):
                self.assertContains(response, f'<p class="meta ages">{label}</p>', html=True)

    def test_age_filter_leaves_out_adult_courses_for_a_child_and_keeps_events_for_all_ages(self):
        cases = {
            "age=7": {"Opendeurdag", "Programmeren"},
            "age=3": {"Opendeurdag", "Peuterzang"},
            "age=12": {"Opendeurdag", "Programmeren"},
            "age=17": {"Opendeurdag"},
            "age=18": {"Opendeurdag", "Boekhouden"},
            "age=7&age=40": {"Opendeurdag", "Programmeren", "Boekhouden"},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(self.titles(query), expected)
