"""A partner page's relations kept under the content version: a second request reads none of them, a publication
shows on the next request, a preview shows the draft's own, and a passed exception to the opening hours leaves
the page on the day after."""

import datetime
from datetime import UTC

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from partners.models import Language, PartnerOpeningHours, PartnerOpeningHoursException, PartnerPage

from ..events.factories import publish
from ..learningcity.utils import make_portal
from .factories import MunicipalityFactory, NetworkFactory, PartnerIndexPageFactory, PartnerPageFactory

NOW = datetime.datetime(2026, 3, 3, 22, 58, tzinfo=UTC)  # 23:58 in Brussels
# What the page's relations are read from: none of it once they are kept.
RELATION_TABLES = (
    "partners_partneropeninghours",
    "partners_network",
    "partners_partnership",
    "partners_partnerpage_languages",
    "partners_partnerpage_accessibility",
    "partners_municipality",
)


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300, LEERSTAD_RESPONSE_CACHE=False)
class PartnerPageDetailsCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, _locales = make_portal()
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.library = PartnerPageFactory(
                parent=directory, title="Bibliotheek Noordveld", municipality=MunicipalityFactory(name="Noordveld")
            )
            cls.library.networks.set([NetworkFactory(name="Leesnetwerk")])
            cls.library.languages.set(Language.objects.filter(code="tr"))
            cls.library.opening_hours = [
                PartnerOpeningHours(first_day=0, last_day=4, opens=datetime.time(9), closes=datetime.time(17))
            ]
            publish(cls.library)
            PartnerOpeningHoursException.objects.create(
                page=cls.library, date=datetime.date(2026, 3, 3), closed=True, sort_order=0
            )

    def setUp(self):
        cache.clear()
        self.client.get(self.library.url)  # makes the site's settings, which renews the version

    def test_a_second_request_reads_none_of_its_relations_and_a_publication_shows(self):
        self.assertContains(self.client.get(self.library.url), "Leesnetwerk")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.library.url)
        sql = " ".join(query["sql"] for query in queries)
        self.assertEqual([table for table in RELATION_TABLES if f'"{table}"' in sql], [])
        for shown in ("Leesnetwerk", "Noordveld", "Turks", "17:00", '<time datetime="2026-03-03">'):
            self.assertContains(response, shown)
        page = PartnerPage.objects.get(pk=self.library.pk)
        page.opening_hours = [
            PartnerOpeningHours(first_day=0, last_day=4, opens=datetime.time(9), closes=datetime.time(20))
        ]
        publish(page)
        response = self.client.get(self.library.url)
        self.assertContains(response, "20:00")
        self.assertNotContains(response, "17:00")

    def test_a_passed_exception_leaves_the_page_on_the_day_after(self):
        self.assertContains(self.client.get(self.library.url), '<time datetime="2026-03-03">')
        with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):  # 00:01, the cache still holds
            self.assertNotContains(self.client.get(self.library.url), '<time datetime="2026-03-03">')

    def test_a_preview_shows_the_drafts_hours_and_the_page_the_live_ones(self):
        self.assertContains(self.client.get(self.library.url), "17:00")
        draft = PartnerPage.objects.get(pk=self.library.pk)
        draft.opening_hours = [
            PartnerOpeningHours(first_day=5, last_day=5, opens=datetime.time(10), closes=datetime.time(13))
        ]
        draft.save_revision()
        preview = draft.get_latest_revision_as_object().make_preview_request()
        self.assertContains(preview, "13:00")
        self.assertNotContains(preview, "17:00")
        response = self.client.get(self.library.url)
        self.assertContains(response, "17:00")
        self.assertNotContains(response, "13:00")
