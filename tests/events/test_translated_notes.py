"""Cancellation reasons and per-date notes are translated with wagtail-localize, and every surface shows them in
the visitor's language: the agenda, the event page, the feeds, the single-date calendar, the embed and the API."""

import importlib
import json
import re
from datetime import UTC, date, datetime

import feedparser
import icalendar
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape
from wagtail_localize.models import String, StringTranslation, Translation, TranslationSource

from events.models import EventOccurrenceException, EventStatus, Occurrence
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

# What residents read of the café's dates on 10 March (another room) and 17 March (cancelled), by language.
NOTES = {
    "nl": ("Andere zaal", "Zaal bezet"),
    "en": ("Other room", "Hall in use"),
    "fr": ("Andere zaal", "Salle occupée"),  # the French translation kept the untranslated note
}
# The evening's cancellation reason.
REASONS = {"nl": "De schrijver is ziek.", "en": "The writer is ill.", "fr": "L'écrivain est malade."}
MOVED, CANCELLED = "2026-03-10T19:00:00", "2026-03-17T19:00:00"
EVENING = "2026-03-05T19:00:00"  # the cancelled evening's one date


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

    def page_url(self, page, language: str) -> str:
        return page.get_translation(self.locales[language]).url

    def shown_notes(self, response) -> set[str]:
        """What each date's status line ends with: its note, else its status."""
        self.assertEqual(response.status_code, 200)
        lines = re.findall(r'<p class="occurrence-status">(.*?)</p>', response.content.decode())
        return {re.sub(r"<[^>]+>", "", line).rpartition(" — ")[2] for line in lines}

    def other_notes(self, *notes: str) -> set[str]:
        return {note for shown in NOTES.values() for note in shown} - set(notes)

    def calendar(self, url: str) -> icalendar.Calendar:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content)
        return icalendar.Calendar.from_ical(response.content)

    def descriptions(self, calendar: icalendar.Calendar, event) -> dict[str, str]:
        """The DESCRIPTION of each VEVENT of ``event``, by RECURRENCE-ID (``""`` for the series)."""
        found = {}
        for vevent in calendar.walk("VEVENT"):
            if str(vevent["UID"]) == str(event.uuid):
                recurrence_id = vevent.get("RECURRENCE-ID")
                found[recurrence_id.dt.strftime("%Y-%m-%dT%H:%M:%S") if recurrence_id else ""] = str(
                    vevent["DESCRIPTION"]
                )
        return found

    def test_the_index_keeps_each_dates_note_in_every_language(self):
        notes = dict(Occurrence.objects.for_event(self.cafe).values_list("recurrence_id", "notes"))
        self.assertEqual(
            notes,
            {
                "2026-03-03T19:00:00": {},
                MOVED: {language: moved for language, (moved, _cancelled) in NOTES.items()},
                CANCELLED: {language: cancelled for language, (_moved, cancelled) in NOTES.items()},
                "2026-03-24T19:00:00": {},
            },
        )

    def test_the_agenda_shows_each_dates_note_in_its_language(self):
        for language, notes in NOTES.items():
            with self.subTest(language=language):
                shown = self.shown_notes(
                    self.client.get(self.agenda_url(language) + "?status=scheduled&status=cancelled")
                )
                self.assertLessEqual(set(notes), shown)
                self.assertFalse(shown & self.other_notes(*notes))

    def test_the_event_page_shows_the_dates_notes_and_the_reason_in_its_language(self):
        for language, notes in NOTES.items():
            with self.subTest(language=language):
                shown = self.shown_notes(self.client.get(self.page_url(self.cafe, language)))
                self.assertLessEqual(set(notes), shown)
                self.assertFalse(shown & self.other_notes(*notes))
                response = self.client.get(self.page_url(self.evening, language))
                self.assertContains(response, f": {escape(REASONS[language])}</p>", html=False)

    def test_the_calendar_feeds_write_the_notes_and_the_reason_in_the_locale_language(self):
        for language, (moved, cancelled) in NOTES.items():
            with self.subTest(language=language):
                for url in ("/feeds/events.ics", reverse("events:event_ics", kwargs={"uuid": self.cafe.uuid})):
                    descriptions = self.descriptions(self.calendar(f"{url}?locale={language}"), self.cafe)
                    self.assertTrue(descriptions[MOVED].endswith(f"\n\n{moved}"), descriptions)
                    self.assertTrue(descriptions[CANCELLED].endswith(f"\n\n{cancelled}"), descriptions)
                calendar = self.calendar(f"/feeds/events.ics?locale={language}")
                self.assertIn(REASONS[language], self.descriptions(calendar, self.evening)[""])

    def test_the_single_date_calendar_writes_the_note_and_the_reason_in_the_locale_language(self):
        for language, (moved, cancelled) in NOTES.items():
            for recurrence_id, note in ((MOVED, moved), (CANCELLED, cancelled)):
                with self.subTest(language=language, date=recurrence_id):
                    url = reverse(
                        "events:occurrence_ics", kwargs={"uuid": self.cafe.uuid, "recurrence_id": recurrence_id}
                    )
                    (vevent,) = self.calendar(f"{url}?locale={language}").walk("VEVENT")
                    self.assertTrue(str(vevent["DESCRIPTION"]).endswith(f"\n\n{note}"), vevent["DESCRIPTION"])
            with self.subTest(language=language, event="evening"):
                kwargs = {"uuid": self.evening.uuid, "recurrence_id": EVENING}
                (vevent,) = self.calendar(f"{reverse('events:occurrence_ics', kwargs=kwargs)}?locale={language}").walk(
                    "VEVENT"
                )
                self.assertTrue(str(vevent["DESCRIPTION"]).endswith(f"\n\n{REASONS[language]}"))

    def test_atom_rss_and_json_feed_show_the_notes_and_the_reason_in_the_locale_language(self):
        for language, (moved, cancelled) in NOTES.items():
            with self.subTest(language=language):
                query = f"?locale={language}&status=scheduled&status=cancelled"
                for path in ("/feeds/events.atom", "/feeds/events.rss"):
                    parsed = feedparser.parse(self.client.get(path + query).content)
                    self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
                    summaries = {entry.id.rpartition("#")[2]: entry.summary for entry in parsed.entries}
                    self.assertIn(f"\n{moved}\n", summaries[MOVED])
                    self.assertIn(f"\n{cancelled}\n", summaries[CANCELLED])
                    self.assertIn(f"\n{REASONS[language]}\n", summaries[EVENING])
                document = json.loads(self.client.get("/feeds/events.json" + query).content)
                items = {item["_leerstad"]["recurrence_id"]: item for item in document["items"]}
                self.assertEqual(items[MOVED]["_leerstad"]["note"], moved)
                self.assertIn(f"\n{moved}\n", items[MOVED]["content_text"])
                self.assertEqual(items[CANCELLED]["_leerstad"]["note"], cancelled)
                self.assertEqual(items["2026-03-03T19:00:00"]["_leerstad"]["note"], "")
                self.assertIn(f"\n{REASONS[language]}\n", items[EVENING]["content_text"])

    def test_the_embed_shows_the_notes_in_the_locale_language(self):
        for language, (moved, cancelled) in NOTES.items():
            with self.subTest(language=language):
                response = self.client.get(f"/embed/events/?locale={language}&status=scheduled&status=cancelled")
                self.assertContains(response, f'<span class="note">{moved}</span>', html=False)
                self.assertContains(response, f'<span class="note">{cancelled}</span>', html=False)

    def test_the_api_gives_the_notes_and_the_reason_in_the_locale_language(self):
        for language, (moved, cancelled) in NOTES.items():
            with self.subTest(language=language):
                item = self.client.get(f"/api/v3/events/{self.cafe.uuid}/?locale={language}").json()
                notes = {row["id"].partition("/")[2]: row["note"] for row in item["occurrences"]["items"]}
                self.assertEqual(notes[MOVED], moved)
                self.assertEqual(notes[CANCELLED], cancelled)
                item = self.client.get(f"/api/v3/events/{self.evening.uuid}/?locale={language}").json()
                self.assertEqual((item["status"], item["status_reason"]), ("cancelled", REASONS[language]))

    def test_a_language_without_a_live_translation_shows_the_source_notes(self):
        french = self.cafe.get_translation(self.locales["fr"])
        with self.captureOnCommitCallbacks(execute=True):
            french.unpublish()
        self.assertEqual(
            Occurrence.objects.for_event(self.cafe).get(recurrence_id=CANCELLED).notes,
            {"nl": "Zaal bezet", "en": "Hall in use"},
        )
        item = self.client.get(f"/api/v3/events/{self.cafe.uuid}/?locale=fr").json()
        notes = {row["id"].partition("/")[2]: row["note"] for row in item["occurrences"]["items"]}
        self.assertEqual((notes[MOVED], notes[CANCELLED]), ("Andere zaal", "Zaal bezet"))
        shown = self.shown_notes(self.client.get(self.agenda_url("fr") + "?status=cancelled"))
        self.assertIn("Zaal bezet", shown)
        self.assertNotIn("Salle occupée", shown)
        document = json.loads(self.client.get("/feeds/events.json?locale=fr&status=cancelled").content)
        notes = [item["_leerstad"]["note"] for item in document["items"] if item["title"].startswith("Taalcafé")]
        self.assertEqual(notes, ["Zaal bezet"])

    def test_publishing_a_changed_translation_renews_its_notes_everywhere(self):
        string = String.objects.get(data="Andere zaal")
        StringTranslation.objects.filter(translation_of=string, locale=self.locales["en"]).update(data="Room 2")
        translation = Translation.objects.get(
            source__object_id=self.cafe.translation_key, target_locale=self.locales["en"]
        )
        with self.captureOnCommitCallbacks(execute=True):
            translation.save_target(publish=True)
        self.assertIn("Room 2", self.shown_notes(self.client.get(self.agenda_url("en"))))
        item = self.client.get(f"/api/v3/events/{self.cafe.uuid}/?locale=en").json()
        self.assertIn("Room 2", [row["note"] for row in item["occurrences"]["items"]])
        descriptions = self.descriptions(self.calendar("/feeds/events.ics?locale=en"), self.cafe)
        self.assertTrue(descriptions[MOVED].endswith("\n\nRoom 2"))
        self.assertIn("Andere zaal", self.shown_notes(self.client.get(self.agenda_url("nl"))))

    def test_the_migration_fills_the_notes_of_existing_dates(self):
        expected = dict(Occurrence.objects.values_list("pk", "notes"))
        Occurrence.objects.update(notes={})
        migration = importlib.import_module("events.migrations.0011_occurrence_notes")
        migration.fill_notes(apps, None)
        self.assertEqual(dict(Occurrence.objects.values_list("pk", "notes")), expected)
        self.assertTrue(any(expected.values()))
