"""What a page shows, the pages API gives: for the home page, content pages, the SDG overview and the listings.

Each test renders the page as a resident sees it, takes the text of the page's own content (not the header, the
filters or the listed items, which have endpoints of their own) and checks that every piece of it is in the
page's item of ``/api/v3/pages/{id}/``. A field dropped from ``api_fields`` makes the test fail.
"""

import html
import json
import re
from html.parser import HTMLParser

import wagtail_factories
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import TestCase

from learningcity.models import SDGTarget
from tests.events.factories import EventIndexPageFactory
from tests.partners.factories import ChildCentreIndexPageFactory, PartnerIndexPageFactory

from ..learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from ..learningcity.utils import make_portal, sync_translation


class TextOf(HTMLParser):
    """The text pieces inside the elements matching ``selectors`` (a tag, or ``tag.class``), one per text node."""

    def __init__(self, *selectors: str, skip: tuple[str, ...] = ()):
        super().__init__()
        self.selectors, self.skip = selectors, skip
        self.stack: list[tuple[bool, bool]] = []  # (inside a selected element, inside a skipped one)
        self.pieces: list[str] = []

    @staticmethod
    def _matches(tag, attrs, selectors) -> bool:
        classes = (dict(attrs).get("class") or "").split()
        return any(
            selector == tag or (selector.startswith(f"{tag}.") and selector.split(".", 1)[1] in classes)
            for selector in selectors
        )

    def handle_starttag(self, tag, attrs):
        inside, skipped = self.stack[-1] if self.stack else (False, False)
        if tag in ("br", "img", "input", "meta", "link", "hr", "source"):
            return
        self.stack.append(
            (inside or self._matches(tag, attrs, self.selectors), skipped or self._matches(tag, attrs, self.skip))
        )

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "img", "input", "meta", "link", "hr", "source"):
            self.stack.pop()

    def handle_data(self, data):
        inside, skipped = self.stack[-1] if self.stack else (False, False)
        text = " ".join(data.split())
        if inside and not skipped and text:
            self.pieces.append(text)


def shown_text(response, *selectors: str, skip: tuple[str, ...] = ()) -> list[str]:
    parser = TextOf(*selectors, skip=skip)
    parser.feed(response.content.decode())
    return parser.pieces


def api_text(item) -> str:
    """Every string in an API item, its HTML reduced to text, in one line."""
    strings = []

    def walk(value):
        if isinstance(value, dict):
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)
        elif value is not None:
            strings.append(html.unescape(re.sub(r"<[^>]+>", " ", str(value))))

    walk(item)
    return " ".join(" ".join(strings).split())


class PagesMatchTheirHTMLTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
        cls.document = wagtail_factories.DocumentFactory(title="Jaarverslag leren")
        cls.home, locales = make_portal(
            intro="<p>Leren doe je <b>overal</b> in Proefstad.</p>",
            gnlc_member_since=2019,
        )
        cls.page = ContentPageFactory(
            parent=cls.home,
            title="Leren in de wijk",
            intro="Waar je in de buurt kunt leren.",
            body=[
                ("heading", {"text": "Samen leren", "level": "h2"}),
                ("paragraph", "<p>Elke <b>wijk</b> heeft een leerpunt.</p><ul><li>Bibliotheek</li></ul>"),
                ("quote", {"quote": "Leren doe je samen.", "attribution": "Een bewoner"}),
                ("image", {"image": cls.image, "alt_text": "Kinderen bouwen een robot", "caption": "Robotclub"}),
                ("document", {"document": cls.document, "title": ""}),
                (
                    "call_to_action",
                    {
                        "title": "Doe mee",
                        "text": "Geef je op als vrijwilliger.",
                        "url": "https://vrijwilligers.example.org/",
                        "button_label": "Aanmelden",
                    },
                ),
            ],
        )
        cls.page.sdg_targets.set(SDGTarget.objects.filter(code__in=["11.3", "4.7"]))
        cls.page.save_revision().publish()
        cls.home.featured_items.create(page=cls.page)
        cls.home.save_revision().publish()
        cls.sdgs = SDGIndexPageFactory(parent=cls.home, intro="De zeventien doelen van de Verenigde Naties.")
        cls.sdgs_en = sync_translation(cls.sdgs, locales["en"])
        cls.agenda = EventIndexPageFactory(parent=cls.home, intro="<p>Alles wat je <i>leren</i> kunt.</p>")
        cls.directory = PartnerIndexPageFactory(parent=cls.home, intro="<p>Wie er meedoet.</p>")
        cls.centres = ChildCentreIndexPageFactory(parent=cls.home, intro="<p>Kindcentra van 0 tot 12 jaar.</p>")

    def assert_shown_in_api(self, page, *selectors: str, skip: tuple[str, ...] = ()) -> dict:
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        pieces = shown_text(response, *selectors, skip=skip)
        self.assertTrue(pieces, f"nothing found in {selectors} on {page.url}")
        item = self.client.get(f"/api/v3/pages/{page.pk}/").json()
        given = api_text(item)
        for piece in pieces:
            with self.subTest(page=page.title, shown=piece):
                self.assertIn(piece, given)
        return item

    def test_a_content_page(self):
        # The SDG section names each target by its code (its text comes from /api/v3/sdgs/).
        # The document's type and size are shown as "(PDF, 2 MB)": compared below.
        item = self.assert_shown_in_api(self.page, "article", skip=("section.sdg-tags", "span.meta"))
        badges = re.findall(r'class="sdg-badge[^"]*">[^<]*?(\d+\.[\da-z]+)<', self.client.get(self.page.url).text)
        self.assertEqual(set(badges), set(item["sdg_target_codes"]))
        self.assertEqual(len(badges), 2)
        # The button's label and where it leads.
        self.assertIn("https://vrijwilligers.example.org/", api_text(item))

    def test_images_documents_and_buttons_come_as_the_page_shows_them(self):
        blocks = {
            block["type"]: block["value"] for block in self.client.get(f"/api/v3/pages/{self.page.pk}/").json()["body"]
        }
        image = blocks["image"]["image"]
        self.assertEqual(image["alt"], "Kinderen bouwen een robot")
        self.assertEqual((image["width"], image["height"]), (1600, 900))
        self.assertEqual(image["renditions"]["medium"]["width"], 640)
        for rendition in image["renditions"].values():
            self.assertTrue(rendition["url"].startswith("http://testserver/"), rendition["url"])
            # The file exists (media are served by the web server in front, not by the test client).
            name = rendition["url"].removeprefix(f"http://testserver{settings.MEDIA_URL}")
            self.assertTrue(default_storage.exists(name), name)
        page = self.client.get(self.page.url).text
        self.assertIn('alt="Kinderen bouwen een robot"', page)
        document = blocks["document"]
        self.assertEqual(document["title"], "Jaarverslag leren")
        self.assertEqual(document["url"], f"http://testserver{self.document.url}")
        self.assertIn(f'href="{self.document.url}"', page)
        self.assertIn(f"({document['file_extension'].upper()}", page)
        self.assertEqual(document["file_size"], self.document.file_size)
        self.assertEqual(blocks["call_to_action"]["url"], "https://vrijwilligers.example.org/")

    def test_a_button_to_a_page_leads_to_the_page(self):
        self.page.body = [
            (
                "call_to_action",
                {"title": "Agenda", "text": "", "page": self.agenda, "url": "", "button_label": "Bekijk"},
            )
        ]
        self.page.save_revision().publish()
        [block] = self.client.get(f"/api/v3/pages/{self.page.pk}/").json()["body"]
        self.assertEqual(block["value"]["page"], self.agenda.pk)
        self.assertEqual(block["value"]["url"], f"http://testserver{self.agenda.url}")

    def test_the_home_page(self):
        item = self.assert_shown_in_api(self.home, "div.hero", skip=("p.gnlc",))
        self.assertEqual(item["gnlc_member_since"], 2019)
        self.assertEqual([featured["page"]["id"] for featured in item["featured_items"]], [self.page.pk])

    def test_the_sdg_overview(self):
        self.assert_shown_in_api(self.sdgs, "h1", "p.lead")

    def test_a_goals_page_and_its_goal_in_the_sdg_endpoint(self):
        for language, sdgs in (("nl", self.sdgs), ("en", self.sdgs_en)):
            with self.subTest(language=language):
                response = self.client.get(sdgs.url + "4/")
                self.assertEqual(response.status_code, 200)
                pieces = shown_text(response, "h1", "p.lead", "dl.sdg-targets")
                [goal] = [
                    goal
                    for goal in self.client.get("/api/v3/sdgs/", {"locale": language}).json()["items"]
                    if goal["number"] == 4
                ]
                given = api_text(goal)
                for piece in pieces:
                    self.assertIn(piece, given)
                self.assertGreater(len(pieces), 10)  # the number, title, description and each target

    def test_the_listings_introductions(self):
        for page in (self.agenda, self.directory, self.centres):
            self.assert_shown_in_api(page.specific, "h1", "div.lead")

    def test_rich_text_comes_as_the_page_shows_it(self):
        item = self.client.get(f"/api/v3/pages/{self.home.pk}/").json()
        self.assertEqual(item["intro"], "<p>Leren doe je <b>overal</b> in Proefstad.</p>")
        raw = self.client.get(f"/api/v3/pages/{self.home.pk}/", {"rich_text_format": "db_html"}).json()
        self.assertIn("overal", json.dumps(raw["intro"]))
