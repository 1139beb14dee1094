"""Event summaries kept under the content version: a new filter lists known events without reading them again, and
every change shows on the next request."""

import pickle
import tempfile
from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime
from unittest import mock

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from pydantic import ValidationError
from wagtail.models import Site

from events.api import API_RELATED, listed_event, occurrence_out
from events.models import EventPage
from events.summaries import Address, EventSummary, PartnerRef, _shape, summaries_of

from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import PartnerIndexPageFactory, PartnerPageFactory
from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)


def reads_events(queries) -> bool:
    """Whether any query read the events' own rows or their organisers (what a summary is built from)."""
    return any(
        'FROM "events_eventpage"' in query["sql"] or "events_eventpage_organisers" in query["sql"] for query in queries
    )


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300, LEERSTAD_RESPONSE_CACHE=False)
class SummaryCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            cls.directory = PartnerIndexPageFactory(parent=cls.home)
            cls.library = publish(PartnerPageFactory(parent=cls.directory, title="Bibliotheek"))
            cls.taalcafe = EventPageFactory(parent=cls.agenda, title="Taalcafé", start_date=date(2026, 3, 4))
            cls.taalcafe.organisers.set([cls.library])
            publish(cls.taalcafe)
            publish(EventPageFactory(parent=cls.agenda, title="Voorlezen", start_date=date(2026, 3, 5)))

    def setUp(self):
        cache.clear()

    def events(self, url: str, **headers) -> list[dict]:
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200, response.content)
        return [item["event"] for item in response.json()["items"]]

    def test_a_new_filter_reads_the_events_it_lists_from_the_cache(self):
        first = self.events("/api/v3/events/")
        with CaptureQueriesContext(connection) as queries:
            again = self.events("/api/v3/events/?from=2026-03-03")  # another answer, the same events
        self.assertFalse(reads_events(queries), [query["sql"] for query in queries])
        self.assertEqual(again, first)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/nl/agenda/?when=week")  # the agenda keeps its own (relative links)
        self.assertTrue(reads_events(queries))
        self.assertContains(response, f'<a href="{self.taalcafe.url}">Taalcafé</a>', html=True)
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/nl/agenda/?when=month")
        self.assertFalse(reads_events(queries))

    def test_a_kept_summary_unpickles_as_it_was_made(self):
        summary = summaries_of([self.taalcafe.pk], self.taalcafe.locale, related=API_RELATED)[self.taalcafe.pk]
        self.assertEqual([organiser.title for organiser in summary.organisers], ["Bibliotheek"])
        for made in (summary, summary.organisers[0]):
            self.assertEqual(pickle.loads(pickle.dumps(made)), made)  # noqa: S301 (our own bytes)

    def test_with_a_shared_cache_each_request_gets_this_processs_summary_which_none_can_change(self):
        with tempfile.TemporaryDirectory() as folder:
            shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder}}
            with self.settings(CACHES=shared), mock.patch("events.api.occurrence_out", wraps=occurrence_out) as shown:
                first = self.events("/api/v3/events/")
                again = self.events("/api/v3/events/?from=2026-03-03")
            summaries = [call.args[1] for call in shown.call_args_list]
        self.assertEqual(again, first)
        self.assertEqual(len(summaries), 4)
        self.assertIs(summaries[2], summaries[0])  # the same object, not an unpickled copy
        self.assertIs(summaries[3], summaries[1])
        with self.assertRaises(FrozenInstanceError):
            summaries[0].title = "Changed for every request"
        with self.assertRaises(AttributeError):
            summaries[0].languages.append("en")

    def test_each_listed_event_is_validated_once_per_language_and_none_can_change_it(self):
        listed_event.cache_clear()
        with mock.patch("events.api.occurrence_out", wraps=occurrence_out) as shown:
            first = self.events("/api/v3/events/")
            again = self.events("/api/v3/events/?from=2026-03-03")
            self.events("/api/v3/events/?locale=en")
        self.assertEqual(again, first)
        made = [listed_event(call.args[1], call.args[3]) for call in shown.call_args_list]
        self.assertIs(made[2], made[0])  # the same validated model, not validated again
        self.assertIsNot(made[4], made[0])  # English has its own
        self.assertEqual(listed_event.cache_info().currsize, 4)  # two events in two languages
        with self.assertRaises(ValidationError):
            made[0].title = "Changed for every request"

    def test_summaries_with_other_fields_are_kept_apart(self):
        # A release whose summaries have other fields (a rolling restart: both share Redis) reads none of the other's.
        self.events("/api/v3/events/")
        with mock.patch("events.summaries.SHAPE", "0ther"), CaptureQueriesContext(connection) as queries:
            self.events("/api/v3/events/?from=2026-03-03")
        self.assertTrue(reads_events(queries))
        self.assertNotEqual(_shape(EventSummary, Address), _shape(EventSummary, PartnerRef))

    def test_paging_through_a_listing_counts_its_dates_once(self):
        self.assertEqual(self.client.get("/api/v3/events/?limit=1").json()["count"], 2)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get("/api/v3/events/?limit=1&offset=1").json()["count"], 2)
        self.assertEqual([query["sql"] for query in queries if "COUNT(" in query["sql"]], [])
        self.assertEqual(self.client.get("/api/v3/events/?limit=1&from=2026-03-05").json()["count"], 1)  # its own
        publish(EventPageFactory(parent=self.agenda, title="Schrijfcafé", start_date=date(2026, 3, 6)))
        self.assertEqual(self.client.get("/api/v3/events/?limit=1&offset=1").json()["count"], 3)

    def test_the_cache_off_builds_every_summary(self):
        self.events("/api/v3/events/")
        with override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
            self.events("/api/v3/events/?from=2026-03-03")
        self.assertTrue(reads_events(queries))

    def test_a_published_change_of_an_event_or_its_organiser_shows_on_the_next_request(self):
        self.assertEqual(self.events("/api/v3/events/")[0]["title"], "Taalcafé")
        self.taalcafe.title = "Taalcafé Noord"
        publish(self.taalcafe)
        self.library.title = "Centrale Bibliotheek"
        publish(self.library)
        event = self.events("/api/v3/events/?from=2026-03-03")[0]
        self.assertEqual(event["title"], "Taalcafé Noord")
        self.assertEqual([ref["title"] for ref in event["organisers"]], ["Centrale Bibliotheek"])

    def test_a_draft_changes_nothing_shown(self):
        self.events("/api/v3/events/")
        self.taalcafe.title = "Concept"
        self.taalcafe.save_revision()
        self.assertEqual(self.events("/api/v3/events/?from=2026-03-03")[0]["title"], "Taalcafé")

    def test_each_language_has_its_own_summaries(self):
        english = sync_translation(self.taalcafe, self.locales["en"]).specific
        english.title = "Language café"
        with self.captureOnCommitCallbacks(execute=True):
            english.save_revision().publish()
        self.assertEqual(self.events("/api/v3/events/?locale=nl")[0]["title"], "Taalcafé")
        self.assertEqual(self.events("/api/v3/events/?locale=en")[0]["title"], "Language café")
        self.assertEqual(self.events("/api/v3/events/?locale=nl&from=2026-03-03")[0]["title"], "Taalcafé")

    @override_settings(ALLOWED_HOSTS=["testserver", "agenda.example"])
    def test_each_site_gets_links_of_its_own(self):
        Site.objects.create(hostname="agenda.example", port=80, root_page=self.agenda)
        here = self.events("/api/v3/events/")[0]
        there = self.events("/api/v3/events/?from=2026-03-03", HTTP_HOST="agenda.example")[0]
        self.assertEqual(here["url"], "http://testserver/nl/agenda/taalcafe/")
        self.assertEqual(there["url"], "http://agenda.example/nl/taalcafe/")
        with override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=0):
            self.assertEqual(there, self.events("/api/v3/events/?from=2026-03-02", HTTP_HOST="agenda.example")[0])


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300, LEERSTAD_RESPONSE_CACHE=False)
class EventPageDetailsCacheTests(TestCase):
    """The event page's venue, organisers, series text and terms are kept under the content version; its dates not."""

    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, _locales = make_portal()
            agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.library = publish(PartnerPageFactory(parent=directory, title="Bibliotheek"))
            cls.centre = publish(PartnerPageFactory(parent=directory, title="Buurthuis De Linde"))
            cls.taalcafe = EventPageFactory(
                parent=agenda, title="Taalcafé", start_date=date(2026, 3, 4), frequency="weekly", count=3
            )
            cls.taalcafe.organisers.set([cls.library])
            publish(cls.taalcafe)

    def setUp(self):
        cache.clear()

    def test_a_second_request_reads_only_the_dates_and_a_publication_shows(self):
        self.client.get(self.taalcafe.url)  # makes the site's settings, which renews the version
        self.assertContains(self.client.get(self.taalcafe.url), "Bibliotheek")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.taalcafe.url)
        sql = " ".join(query["sql"] for query in queries)
        self.assertNotIn('FROM "partners_partnerpage"', sql)
        self.assertNotIn("events_eventextradate", sql)
        self.assertIn('FROM "events_occurrence"', sql)  # the dates are read on every request
        self.assertContains(response, "Bibliotheek")
        self.library.title = "Centrale Bibliotheek"
        publish(self.library)
        self.assertContains(self.client.get(self.taalcafe.url), "Centrale Bibliotheek")

    def test_a_preview_shows_the_drafts_organisers_and_the_page_the_live_ones(self):
        self.assertContains(self.client.get(self.taalcafe.url), "Bibliotheek")
        draft = EventPage.objects.get(pk=self.taalcafe.pk)
        draft.organisers.set([self.centre])
        draft.save_revision()
        preview = draft.get_latest_revision_as_object().make_preview_request()
        self.assertContains(preview, "Buurthuis De Linde")
        self.assertNotContains(preview, "Bibliotheek")
        response = self.client.get(self.taalcafe.url)
        self.assertContains(response, "Bibliotheek")
        self.assertNotContains(response, "Buurthuis De Linde")
