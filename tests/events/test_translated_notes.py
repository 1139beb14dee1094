"""Cancellation reasons and per-date notes are translated with wagtail-localize."""

from datetime import UTC, date, datetime

import time_machine
from django.core.cache import cache
from django.test import TestCase
from wagtail_localize.models import TranslationSource

from events.models import EventOccurrenceException, EventStatus
from learningcity.demo_tools import translate
from tests.learningcity.utils import make_portal

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)  # a Monday

STRINGS = {
    "Agenda": {"en": "Events", "fr": "Agenda"},
    "Taalcafé": {"en": "Language café", "fr": "Café linguistique"},
    "Andere zaal": {"en": "Other room"},  # no French: the French page keeps the Dutch note
    "Zaal bezet": {"en": "Hall in use", "fr": "Salle occupée"},
    "Schrijversavond": {"en": "An evening with a writer", "fr": "Soirée avec un écrivain"},
    "De schrijver is ziek.": {"en": "The writer is ill.", "fr": "L'écrivain est malade."},
}


@time_machine.travel(NOW, tick=False)
class TranslatedNotesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            cafe = EventPageFactory(
                parent=cls.agenda,
                title="Taalcafé",
                slug="taalcafe",
                start_date=date(2026, 3, 3),
                frequency="weekly",
                weekdays=[1],
                count=4,
            )
            cls.cafe = publish(
                cafe,
                exceptions=[
                    {"original_date": date(2026, 3, 10), "reason": "Andere zaal"},
                    {"original_date": date(2026, 3, 17), "status": EventStatus.CANCELLED, "reason": "Zaal bezet"},
                ],
            )
            evening = EventPageFactory(
                parent=cls.agenda,
                title="Schrijversavond",
                slug="schrijversavond",
                start_date=date(2026, 3, 5),
                status=EventStatus.CANCELLED,
                status_reason="De schrijver is ziek.",
            )
            cls.evening = publish(evening)
            for page in (cls.agenda, cls.cafe, cls.evening):
                with cls.captureOnCommitCallbacks(execute=True):  # the index follows published translations
                    translate(page, STRINGS)

    def agenda_url(self, language: str) -> str:
        return self.agenda.get_translation(self.locales[language]).url

    def setUp(self):
        cache.clear()

    def test_wagtail_localize_offers_the_reason_and_each_dates_note_for_translation(self):
        source, _created = TranslationSource.update_or_create_from_instance(self.evening)
        self.assertIn("status_reason", set(source.stringsegment_set.values_list("context__path", flat=True)))
        source, _created = TranslationSource.update_or_create_from_instance(self.cafe)
        notes = {
            segment.string.data
            for segment in source.stringsegment_set.select_related("string", "context")
            if segment.context.path.startswith("occurrence_exceptions.") and segment.context.path.endswith(".reason")
        }
        self.assertEqual(notes, {"Andere zaal", "Zaal bezet"})

    def test_a_translations_dates_keep_the_source_schedule_with_translated_notes(self):
        english = self.cafe.get_translation(self.locales["en"])
        rows = {
            row.original_date: (row.status, row.reason, row.translation_key)
            for row in EventOccurrenceException.objects.filter(page=english)
        }
        source = {row.original_date: row.translation_key for row in self.cafe.occurrence_exceptions.all()}
        self.assertEqual(
            rows,
            {
                date(2026, 3, 10): ("", "Other room", source[date(2026, 3, 10)]),
                date(2026, 3, 17): (EventStatus.CANCELLED, "Hall in use", source[date(2026, 3, 17)]),
            },
        )
