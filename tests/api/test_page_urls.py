"""``PageURLs`` gives the API's links from ``url_path`` alone, exactly as ``page.get_full_url(request)`` does."""

from django.test import RequestFactory, TestCase
from wagtail.models import Page, Site

from learningcity.api import PageURLs

from ..events.factories import EventIndexPageFactory, EventPageFactory
from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import PartnerIndexPageFactory, PartnerPageFactory


class PageURLsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        agenda = EventIndexPageFactory(parent=cls.home)
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.event = EventPageFactory(parent=agenda, slug="taalcafé-ĳsselstein")
        cls.partner = PartnerPageFactory(parent=directory, slug="bibliotheek")
        for page in (agenda, directory, cls.event, cls.partner):
            sync_translation(page, cls.locales["en"])
        # A second site whose root lies inside the first: its pages have two site roots to choose from.
        cls.inner = Site.objects.create(hostname="agenda.example", port=443, root_page=agenda)

    def test_every_page_gets_the_url_wagtail_gives_it(self):
        for host in ("testserver", "agenda.example"):
            request = RequestFactory().get("/api/v3/events/", HTTP_HOST=host)
            urls = PageURLs(request)
            for page in Page.objects.all():
                with self.subTest(host=host, page=page.url_path):
                    self.assertEqual(urls(page.url_path), page.get_full_url(request))

    def test_a_non_ascii_slug_is_quoted_as_reverse_quotes_it(self):
        url = PageURLs(RequestFactory().get("/"))(self.event.url_path)
        self.assertEqual(url, "http://testserver/nl/agenda/taalcaf%C3%A9-%C4%B3sselstein/")
