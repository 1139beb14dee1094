"""What a partner's and a child centre's HTML page shows, the API's detail item carries too.

Each test renders the page with the test client, reads what a visitor sees in it (title, summary, address,
contact, body text and links, image, opening hours, languages, accessibility, memberships and networks, SDG
targets, partnerships, services, member partners) and finds every value in the API's item, in Dutch and English.
A field dropped from the API (or shown by a page and never added to it) fails here.
"""

import re
from urllib.parse import urljoin

import wagtail_factories
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import TestCase
from django.utils import translation

from partners.models import WEEKDAYS

from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from .test_partner_detail import filled_centre, filled_partner, partnership_with, publish

BASE = "http://testserver"


def text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip() if node is not None else ""


def html_text(html: str) -> str:
    return text(BeautifulSoup(html, "html.parser"))


def absolute(href: str) -> str:
    return urljoin(BASE + "/", href)


class PageParity(TestCase):
    """Checks of the parts partner and child-centre pages share."""

    def setUp(self):
        # Wagtail keeps renditions in the cache by image id; an earlier test's image may have had this one's id.
        for cache in caches.all():
            cache.clear()

    def page_and_item(self, page, endpoint, language):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        item = self.client.get(f"/api/v3/{endpoint}/{page.translation_key}/", {"locale": language})
        self.assertEqual(item.status_code, 200, item.content)
        return BeautifulSoup(response.content, "html.parser"), item.json()

    def check_header(self, article, item):
        self.assertEqual(text(article.find("h1")), item["title"])
        self.assertEqual(text(article.select_one("header p.lead, p.lead")), item["summary"])

    def check_address_and_contact(self, article, item):
        address = item["address"]
        shown = text(article.select_one("p.address"))
        self.assertEqual(shown, " ".join(v for v in (address["street"], address["postcode"], address["town"]) if v))
        contact = [text(a) for a in article.select("ul.contact a")]
        self.assertEqual(contact, [v for v in item["contact"].values() if v])
        contact = item["contact"]
        expected = [
            href
            for value, href in (
                (contact["email"], f"mailto:{contact['email']}"),
                (contact["phone"], f"tel:{contact['phone'].replace(' ', '')}"),
                (contact["website"], contact["website"]),
            )
            if value
        ]
        self.assertEqual([a["href"] for a in article.select("ul.contact a")], expected)

    def check_opening_hours(self, article, item, language):
        with translation.override(language):
            days = {str(label).lower(): number for number, label in WEEKDAYS}
        schema_days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        section = article.select_one("section.opening-hours")
        regular = [spec for spec in item["opening_hours"] if spec["validFrom"] is None]
        rows = section.select("dl > div")
        self.assertTrue(rows and section.select("ul.opening-hours-exceptions li"), "the test page shows hours")
        self.assertEqual(len(rows), len(regular))
        for row, spec in zip(rows, regular, strict=True):
            named = [days[word] for word in re.findall(r"\w+", text(row.dt).lower()) if word in days]
            expected = [f"https://schema.org/{schema_days[day]}" for day in range(named[0], named[-1] + 1)]
            self.assertEqual(spec["dayOfWeek"], expected)
            self.assertEqual([text(t) for t in row.dd.find_all("time")], [spec["opens"], spec["closes"]])
        exceptions = [spec for spec in item["opening_hours"] if spec["validFrom"] is not None]
        shown = section.select("ul.opening-hours-exceptions li")
        self.assertEqual(len(shown), len(exceptions))
        for li, spec in zip(shown, exceptions, strict=True):
            times = li.find_all("time")
            self.assertEqual(times[0]["datetime"], spec["validFrom"])
            self.assertEqual([text(t) for t in times[1:]], [] if spec["closed"] else [spec["opens"], spec["closes"]])

    def check_languages_accessibility_and_sdgs(self, article, item):
        labels = item["labels"]
        self.assertTrue(article.select("ul.languages li") and article.select("section.sdg-tags li"))
        self.assertEqual([text(li) for li in article.select("ul.languages li")], list(labels["languages"].values()))
        self.assertEqual(
            [text(li) for li in article.select("ul.accessibility li")], list(labels["accessibility"].values())
        )
        self.assertEqual(list(labels["languages"]), item["languages"])
        shown = [text(li) for li in article.select("section.sdg-tags li")]
        self.assertEqual(len(shown), len(item["sdg"]["targets"]))
        for line, code in zip(shown, item["sdg"]["targets"], strict=True):
            self.assertIn(code, line)
            self.assertTrue(line.endswith(labels["sdg_targets"][code]), (line, labels["sdg_targets"][code]))

    def check_rich_text(self, container_text, links, api_html):
        """The API's HTML has the page's text and the page's links, made absolute."""
        self.assertIn(html_text(api_html), container_text)
        api_links = [a["href"] for a in BeautifulSoup(api_html, "html.parser").find_all("a")]
        self.assertEqual(api_links, [absolute(href) for href in links])


class PartnerPageParityTests(PageParity):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        network = NetworkFactory(name="STEM Noordveld", website="https://stem.example.org/")
        school = publish(PartnerPageFactory(parent=directory, title="Basisschool De Linde", kind="primary-school"))
        cls.partner = filled_partner(
            directory, other=school, municipality=MunicipalityFactory(name="Noordveld"), network=network
        )
        cls.partner.is_aspnet_member, cls.partner.aspnet_since = True, 2015
        publish(cls.partner)
        partnership_with(
            [cls.partner, school],
            "Scholenband met Kigali",
            external=[("École Amahoro", "Kigali", "Rwanda")],
            description='<p>Samen <a href="https://amahoro.example.org/">lezen</a>.</p>',
            agreement=wagtail_factories.DocumentFactory(title="Overeenkomst"),
            action_plan=wagtail_factories.DocumentFactory(title="Actieplan"),
        )
        sync_translation(directory, cls.locales["en"])
        sync_translation(school, cls.locales["en"])
        cls.partner_en = sync_translation(cls.partner, cls.locales["en"])
        cls.partner_en.title = "Noordveld Library"
        publish(cls.partner_en)

    def test_the_api_carries_what_the_partner_page_shows(self):
        for page, language in ((self.partner, "nl"), (self.partner_en, "en")):
            with self.subTest(language):
                soup, item = self.page_and_item(page, "partners", language)
                self.check_partner(soup.select_one("article.partner"), item, language)

    def check_partner(self, article, item, language):
        self.check_header(article, item)
        labels = item["labels"]
        self.assertEqual(text(article.select_one("header p.meta")), f"{labels['kind']} · {labels['sector']}")

        image = article.select_one("header img")
        self.assertEqual(image["alt"], item["image"]["alt"])
        self.assertEqual(absolute(image["src"]), item["image"]["renditions"]["medium"]["url"])
        self.assertEqual(int(image["width"]), item["image"]["renditions"]["medium"]["width"])

        # The body: what the page shows between its header and the address.
        body, links = [], []
        for node in article.find("header").find_next_siblings():
            if "contact-address" in node.get("class", []):
                break
            body.append(text(node))
            links += [a["href"] for a in node.find_all("a")]
        self.assertTrue(body)
        self.assertEqual(" ".join(body), html_text(item["body_html"]))
        self.check_rich_text(" ".join(body), links, item["body_html"])
        self.assertEqual([block["type"] for block in item["body"]], ["heading", "paragraph", "quote"])

        self.check_address_and_contact(article, item)
        self.check_opening_hours(article, item, language)
        self.check_languages_accessibility_and_sdgs(article, item)

        memberships = article.select("section.memberships li")
        shown = [text(li) for li in memberships]
        self.assertEqual(shown, [*labels["memberships"].values(), *(network["name"] for network in item["networks"])])
        self.assertEqual(
            [a["href"] for li in memberships for a in li.find_all("a")],
            [network["website"] for network in item["networks"] if network["website"]],
        )

        shown = article.select("article.partnership")
        self.assertTrue(shown and article.select("ul.participants li a") and memberships)
        self.assertEqual([text(a.h3) for a in shown], [p["title"] for p in item["partnerships"]])
        for partnership, data in zip(shown, item["partnerships"], strict=True):
            meta = text(partnership.select_one("p.meta"))
            self.assertIn(f"{data['labels']['kind']} · {data['labels']['status']}", meta)
            self.assertIn(data["start_date"][:4], meta)
            participants = {p["name"]: p for p in data["participants"]}
            for li in partnership.select("ul.participants li"):
                link = li.find("a")
                name = text(link) if link else text(li).split(" (")[0]
                participant = participants[name]
                if link:
                    self.assertEqual(absolute(link["href"]), participant["partner"]["url"])
                else:
                    self.assertIsNone(participant["partner"])
                    self.assertEqual(text(li), f"{name} ({participant['city']}, {participant['country']})")
            description = partnership.select_one("ul.participants").find_next_sibling("p")
            self.check_rich_text(
                text(description), [a["href"] for a in description.find_all("a")], data["description_html"]
            )
            documents = [absolute(a["href"]) for a in partnership.select("ul.documents a")]
            self.assertEqual(documents, [data["agreement"]["url"], data["action_plan"]["url"]])


class ChildCentrePageParityTests(PageParity):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        school = publish(PartnerPageFactory(parent=directory, title="Basisschool De Linde"))
        daycare = publish(PartnerPageFactory(parent=directory, title="Kinderopvang Olifantje"))
        listing = ChildCentreIndexPageFactory(parent=cls.home)
        cls.centre = filled_centre(listing, members=[school, daycare], linked=school)
        for page in (directory, school, listing):
            sync_translation(page, cls.locales["en"])
        cls.centre_en = sync_translation(cls.centre, cls.locales["en"])
        cls.centre_en.title = "Linde child centre"
        publish(cls.centre_en)

    def test_the_api_carries_what_the_child_centre_page_shows(self):
        for page, language in ((self.centre, "nl"), (self.centre_en, "en")):
            with self.subTest(language):
                soup, item = self.page_and_item(page, "childcentres", language)
                self.check_centre(soup.select_one("article.child-centre"), item, language)

    def check_centre(self, article, item, language):
        self.check_header(article, item)
        facts = {text(div.dt): text(div.dd) for div in article.select("dl.facts > div")}
        self.assertEqual(
            list(facts.values()), [item["labels"]["ages"], str(item["capacity"]), item["registration_number"]]
        )
        self.assertEqual(
            [text(li) for li in article.select("ul.services li")], list(item["labels"]["services"].values())
        )
        self.assertEqual(list(item["labels"]["services"]), item["services"])

        # The description stands between the services and the member partners.
        article_text = text(article)
        body_links = [
            a["href"] for a in article.find_all("a") if a.find_parent("section") is None and a.find_parent("dl") is None
        ]
        self.check_rich_text(article_text, body_links, item["body_html"])

        members = article.select("ul.member-partners a")
        self.assertTrue(members and article.select("ul.services li") and body_links)
        self.assertEqual(
            [(text(a), absolute(a["href"])) for a in members],
            [(partner["title"], partner["url"]) for partner in item["member_partners"]],
        )

        enrolment = article.select_one("section.enrolment")
        enrolment_links = [a["href"] for a in enrolment.find_all("a")]
        self.assertEqual(enrolment_links[-1], item["enrolment_url"])
        self.check_rich_text(text(enrolment), enrolment_links[:-1], item["enrolment_html"])

        self.check_address_and_contact(article, item)
        self.check_opening_hours(article, item, language)
        self.check_languages_accessibility_and_sdgs(article, item)
