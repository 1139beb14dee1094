"""``/api/v3/events/{uuid}/``: one event with every field its page shows, and its dates in a window."""

import re
from datetime import UTC, date, datetime

import time_machine
import wagtail_factories
from django.db import connection
from django.test import TestCase, override_settings
from django.test.html import Element, parse_html
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page, PageViewRestriction, Site

from events.enums import EventStatus
from events.models import AudienceGroup, Theme
from learningcity.models import SDGTarget
from partners.models import AccessibilityFacility, Language

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import HomePageFactory
from ..learningcity.utils import make_portal, queries_but_the_content_version, sync_translation
from ..partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday
SERIES_DATES = ["03", "10", "17", "24", "31"]  # Tuesdays of March 2026, at 19:00 in Brussels


def detail_url(event, /, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"/api/v3/events/{event.uuid}/" + (f"?{query}" if query else "")


def translate(page, locale, **fields):
    translation_ = sync_translation(page, locale).specific
    for name, value in fields.items():
        setattr(translation_, name, value)
    return publish(translation_)


class CourseFixture(TestCase):
    """A weekly course with everything filled, in Dutch and English: one cancelled date, one full date."""

    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            sync_translation(cls.agenda, cls.locales["en"])
            directory = PartnerIndexPageFactory(parent=cls.home)
            sync_translation(directory, cls.locales["en"])
            cls.municipality = MunicipalityFactory(code="99001", name="Lindeveld")
            cls.library = publish(
                PartnerPageFactory(
                    parent=directory,
                    title="Bibliotheek",
                    street="Markt 1",
                    postcode="9000",
                    municipality=cls.municipality,
                )
            )
            translate(cls.library, cls.locales["en"], title="Library")
            cls.museum = publish(PartnerPageFactory(parent=directory, title="Museum"))
            cls.image = wagtail_factories.ImageFactory()
            course = EventPageFactory(
                parent=cls.agenda,
                title="Nederlands voor beginners",
                summary="Tien lessen Nederlands voor nieuwkomers.",
                body=f'<p>Meer uitleg in <a linktype="page" id="{cls.library.pk}">de bibliotheek</a>.</p>',
                image=cls.image,
                image_alt_text="Cursisten rond een tafel",
                start_date=date(2026, 3, 3),
                frequency="weekly",
                weekdays=[1],
                count=5,
                venue=cls.library,
                attendance_mode="mixed",
                online_url="https://meet.example/nederlands",
                status=EventStatus.RESCHEDULED,
                status_reason="Nu in de grote zaal.",
                is_free=False,
                price="25.00",
                price_note="Halve prijs met een UiTPAS",
                registration_required=True,
                registration_url="https://inschrijven.example/nederlands",
                registration_email="cursus@example.org",
                capacity=12,
                min_age=16,
                course_level="beginner",
                prerequisites="Je kunt al een beetje lezen.",
                certificate="Attest van deelname",
            )
            course.organisers.set([cls.library, cls.museum])
            course.themes.set(Theme.objects.filter(code__in=["languages", "citizenship"]))
            course.accessibility.set(AccessibilityFacility.objects.all()[:2])
            course.audience_groups.set(AudienceGroup.objects.filter(code__in=["adults", "newcomers"]))
            course.languages.set(Language.objects.filter(code__in=["nl"]))
            course.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.6", "10.2"]))
            cls.course = publish(
                course,
                exceptions=[
                    {"original_date": date(2026, 3, 10), "status": EventStatus.CANCELLED, "reason": "Lesgever ziek"},
                    {"original_date": date(2026, 3, 17), "is_full": True, "reason": "Ander lokaal"},
                ],
            )
            cls.course_en = translate(
                cls.course,
                cls.locales["en"],
                title="Dutch for beginners",
                summary="Ten Dutch lessons for newcomers.",
                body=f'<p>More in <a linktype="page" id="{cls.library.pk}">the library</a>.</p>',
                image_alt_text="Learners around a table",
                status_reason="Now in the large hall.",
                prerequisites="You can read a little.",
                certificate="Certificate of attendance",
            )

    def get(self, event=None, **params):
        return self.client.get(detail_url(event or self.course, **params))


@time_machine.travel(NOW, tick=False)
class EventDetailTests(CourseFixture):
    def test_an_event_with_everything_filled(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        item = response.json()
        self.assertEqual(item["id"], str(self.course.uuid))
        self.assertEqual((item["page_id"], item["locale"]), (self.course.pk, "nl"))
        self.assertEqual(item["title"], "Nederlands voor beginners")
        self.assertEqual(item["url"], "http://testserver/nl/agenda/nederlands-voor-beginners/")
        self.assertEqual(item["summary"], "Tien lessen Nederlands voor nieuwkomers.")
        self.assertIn('<a href="http://testserver/nl/partners/bibliotheek/">de bibliotheek</a>', item["body_html"])
        image = item["image"]
        self.assertEqual(
            (image["alt"], image["width"], image["height"]), ("Cursisten rond een tafel", self.image.width, 100)
        )
        self.assertEqual(set(image["renditions"]), {"square", "medium", "large"})
        self.assertTrue(image["renditions"]["medium"]["url"].startswith("http://testserver/"))
        self.assertEqual(image["renditions"]["square"]["width"], 100)  # a rendition never enlarges
        self.assertEqual(
            item["themes"],
            [{"code": "languages", "label": "Talen"}, {"code": "citizenship", "label": "Burgerschap en samenleving"}],
        )
        self.assertEqual(len(item["accessibility"]), 2)
        self.assertEqual(item["audience"], {"min_age": 16, "max_age": None, "groups": ["adults", "newcomers"]})
        self.assertEqual(item["languages"], ["nl"])
        self.assertEqual((item["attendance_mode"], item["online_url"]), ("mixed", "https://meet.example/nederlands"))
        venue = item["venue"]
        self.assertEqual((venue["id"], venue["title"]), (str(self.library.translation_key), "Bibliotheek"))
        self.assertEqual(venue["address"]["street"], "Markt 1")
        self.assertEqual(venue["address"]["municipality"], {"code": "99001", "name": "Lindeveld"})
        self.assertEqual([organiser["title"] for organiser in item["organisers"]], ["Bibliotheek", "Museum"])
        self.assertEqual(
            item["cost"], {"free": False, "price": "25.00", "currency": "EUR", "note": "Halve prijs met een UiTPAS"}
        )
        self.assertEqual(
            item["registration"],
            {
                "required": True,
                "url": "https://inschrijven.example/nederlands",
                "email": "cursus@example.org",
                "status": "open",
                "capacity": 12,
                "full": False,
            },
        )
        self.assertEqual((item["status"], item["status_reason"]), ("rescheduled", "Nu in de grote zaal."))
        self.assertEqual(
            item["course"],
            {
                "level": {"code": "beginner", "label": "Beginner"},
                "session_count": None,
                "total_hours": None,
                "funding": None,
                "prerequisites": "Je kunt al een beetje lezen.",
                "certificate": "Attest van deelname",
            },
        )
        self.assertEqual(item["sdg"], {"goals": [4, 10], "targets": ["4.6", "10.2"]})
        self.assertEqual(item["ics_url"], f"http://testserver/feeds/events/{self.course.uuid}.ics")
        self.assertEqual(
            item["recurrence"],
            {
                "frequency": "weekly",
                "interval": 1,
                "repeat_frequency": "P1W",
                "weekdays": ["tuesday"],
                "positions": [],
                "month_day": None,
                "month_days": [],
                "month": None,
                "start_date": "2026-03-03",
                "start_time": "19:00:00",
                "end_time": "21:00:00",
                "until": None,
                "count": 5,
                "timezone": "Europe/Brussels",
                "except_dates": ["2026-03-10"],
            },
        )

    def test_dates_carry_their_status_note_and_whether_they_are_full(self):
        dates = self.get().json()["occurrences"]
        self.assertEqual(dates["count"], 5)
        self.assertEqual(
            dates["items"][:3],
            [
                {
                    "id": f"{self.course.uuid}/2026-03-03T19:00:00",
                    "start": "2026-03-03T19:00:00+01:00",
                    "end": "2026-03-03T21:00:00+01:00",
                    "all_day": False,
                    "status": "rescheduled",
                    "full": False,
                    "capacity": 12,
                    "places_left": None,
                    "note": "",
                },
                {
                    "id": f"{self.course.uuid}/2026-03-10T19:00:00",
                    "start": "2026-03-10T19:00:00+01:00",
                    "end": "2026-03-10T21:00:00+01:00",
                    "all_day": False,
                    "status": "cancelled",
                    "full": False,
                    "capacity": 12,
                    "places_left": None,
                    "note": "Lesgever ziek",
                },
                {
                    "id": f"{self.course.uuid}/2026-03-17T19:00:00",
                    "start": "2026-03-17T19:00:00+01:00",
                    "end": "2026-03-17T21:00:00+01:00",
                    "all_day": False,
                    "status": "rescheduled",
                    "full": True,
                    "capacity": 12,
                    "places_left": None,
                    "note": "Ander lokaal",
                },
            ],
        )

    def test_a_full_event_makes_every_date_full(self):
        self.course.registration_status = "full"
        publish(self.course)
        item = self.get().json()
        self.assertTrue(item["registration"]["full"])
        self.assertTrue(all(date_["full"] for date_ in item["occurrences"]["items"]))

    def test_a_one_off_has_no_recurrence_and_its_own_place(self):
        one_off = publish(
            EventPageFactory(
                parent=self.agenda,
                start_date=date(2026, 3, 4),
                venue_name="Stadspark",
                street="Parklaan 2",
                municipality=self.municipality,
            )
        )
        item = self.get(one_off).json()
        self.assertIsNone(item["recurrence"])
        self.assertIsNone(item["image"])
        self.assertEqual(
            item["course"],
            {
                "level": None,
                "session_count": None,
                "total_hours": None,
                "funding": None,
                "prerequisites": "",
                "certificate": "",
            },
        )
        self.assertEqual((item["venue"]["id"], item["venue"]["title"]), (None, "Stadspark"))
        self.assertEqual(item["venue"]["address"]["street"], "Parklaan 2")
        self.assertEqual(item["occurrences"]["count"], 1)

    def test_english_gives_the_translation_and_its_labels(self):
        item = self.get(locale="en").json()
        self.assertEqual((item["page_id"], item["locale"]), (self.course_en.pk, "en"))
        self.assertEqual(item["title"], "Dutch for beginners")
        self.assertEqual(item["url"], "http://testserver/en/agenda/nederlands-voor-beginners/")
        self.assertIn('<a href="http://testserver/en/partners/bibliotheek/">the library</a>', item["body_html"])
        self.assertEqual(item["image"]["alt"], "Learners around a table")
        self.assertEqual(item["status_reason"], "Now in the large hall.")
        self.assertEqual(item["course"]["prerequisites"], "You can read a little.")
        self.assertEqual(item["themes"][0], {"code": "languages", "label": "Languages"})
        self.assertEqual(item["venue"]["title"], "Library")  # the partner's translation
        self.assertEqual([organiser["title"] for organiser in item["organisers"]], ["Library", "Museum"])
        self.assertEqual(item["occurrences"]["count"], 5)  # the same dates in every language

    def test_without_a_translation_the_source_page_answers(self):
        item = self.client.get(detail_url(self.course, locale="fr"), HTTP_ACCEPT_LANGUAGE="en").json()
        self.assertEqual((item["page_id"], item["locale"]), (self.course.pk, "nl"))
        self.assertEqual(item["title"], "Nederlands voor beginners")
        self.assertEqual(item["themes"][0], {"code": "languages", "label": "Langues"})  # labels follow ``locale``

    def test_an_unpublished_translation_is_not_shown(self):
        self.course_en.unpublish()
        item = self.get(locale="en").json()
        self.assertEqual((item["page_id"], item["title"]), (self.course.pk, "Nederlands voor beginners"))

    def assert_not_found(self, url: str, language: str = "nl", **extra) -> None:
        response = self.client.get(url, **extra)
        self.assertEqual(response.status_code, 404, url)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        expected = {"nl": "Er is geen activiteit met deze id op deze site.", "en": "There is no event"}[language]
        self.assertIn(expected, response.json()["detail"])

    def test_unknown_and_malformed_ids_are_404_problems(self):
        known = str(self.course.uuid)
        for key in (
            "6f1c2a3e-0000-4000-8000-000000000000",
            "nope",
            known.upper(),
            known.replace("-", ""),
            f"{{{known}}}",
            "1" * 300,
            str(self.course.translation_key),
        ):
            with self.subTest(key=key):
                self.assert_not_found(f"/api/v3/events/{key}/")
        self.assert_not_found("/api/v3/events/nope/?locale=en", "en")

    def test_private_and_unpublished_events_are_404(self):
        private = publish(EventPageFactory(parent=self.agenda, start_date=date(2026, 3, 4)))
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
        draft = EventPageFactory(parent=self.agenda, start_date=date(2026, 3, 4), live=False)
        withdrawn = publish(EventPageFactory(parent=self.agenda, start_date=date(2026, 3, 4)))
        withdrawn.unpublish()
        for page in (private, draft, withdrawn):
            with self.subTest(page=page.title):
                self.assert_not_found(detail_url(page))
        PageViewRestriction.objects.create(page=self.agenda, restriction_type=PageViewRestriction.LOGIN)
        self.assert_not_found(detail_url(self.course))  # private through its agenda

    @override_settings(ALLOWED_HOSTS=["testserver", "elders.example"])
    def test_another_sites_event_is_404_here_and_shown_there(self):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=self.locales["nl"])
        Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
        elsewhere = publish(EventPageFactory(parent=EventIndexPageFactory(parent=other_home), title="Elders"))
        self.assert_not_found(detail_url(elsewhere))
        response = self.client.get(detail_url(elsewhere), HTTP_HOST="elders.example")
        self.assertEqual(response.json()["title"], "Elders")
        self.assertEqual(self.client.get(detail_url(self.course), HTTP_HOST="elders.example").status_code, 404)

    def test_from_and_to_choose_the_window_and_limit_and_offset_page_it(self):
        def starts(**params):
            dates = self.get(**params).json()["occurrences"]
            return dates["count"], [item["start"][5:10] for item in dates["items"]]

        self.assertEqual(starts(), (5, [f"03-{day}" for day in SERIES_DATES]))
        self.assertEqual(starts(**{"from": "2026-03-10", "to": "2026-03-17"}), (2, ["03-10", "03-17"]))
        self.assertEqual(starts(**{"from": "2026-03-18"}), (2, ["03-24", "03-31"]))
        self.assertEqual(starts(to="2026-03-10"), (2, ["03-03", "03-10"]))
        self.assertEqual(starts(limit=2, offset=2), (5, ["03-17", "03-24"]))
        self.assertEqual(starts(limit=2, offset=4), (5, ["03-31"]))
        self.assertEqual(starts(**{"from": "2026-04-01"}), (0, []))
        with time_machine.travel(datetime(2026, 3, 24, 19, 30, tzinfo=UTC), tick=False):
            self.assertEqual(starts(), (2, ["03-24", "03-31"]))  # ongoing and upcoming
            self.assertEqual(starts(**{"from": "2026-03-01"}), (5, [f"03-{day}" for day in SERIES_DATES]))

    def test_bad_window_parameters_are_400_problems_naming_each_one(self):
        cases = [
            ({"from": "3 March"}, {"from"}),
            ({"from": "2026-03-10", "to": "2026-03-01"}, {"to"}),
            ({"from": "2020-01-01", "to": "2099-01-01"}, {"from", "to"}),
            ({"limit": "0", "offset": "-1"}, {"limit", "offset"}),
            ({"when": "today", "status": "cancelled", "page": "2"}, {"when", "status", "page"}),
            ({"locale": "de"}, {"locale"}),
        ]
        for params, named in cases:
            with self.subTest(params=params):
                response = self.get(**params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/problem+json")
                self.assertEqual({error["loc"][1] for error in response.json()["errors"]}, named)
        self.assertEqual(self.get(**{"from": "2026-03-10", "foo": "1"}).status_code, 400)
        # The parameters are checked before the id: a bad window on an unknown event is a 400 too.
        self.assertEqual(self.client.get("/api/v3/events/nope/?from=x").status_code, 400)

    def detail_queries(self, locale: str) -> list[str]:
        url = detail_url(self.course, locale=locale, limit=3)  # a full page of dates: counted
        self.client.get(url)  # what a running worker has loaded
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return queries_but_the_content_version(captured)

    def test_query_count_depends_neither_on_the_dates_nor_on_the_organisers(self):
        directory = self.library.get_parent()
        for locale in ("nl", "en"):
            with self.subTest(locale=locale):
                self.assertEqual(len(self.detail_queries(locale)), DETAIL_QUERIES[locale])
        more = [publish(PartnerPageFactory(parent=directory, title=f"Partner {n}")) for n in range(8)]
        for partner in more[::2]:
            translate(partner, self.locales["en"])
        self.course.organisers.set([self.library, self.museum, *more])
        self.course.count = 40
        self.course.audience_groups.set(AudienceGroup.objects.all())
        publish(self.course, extra_dates=[date(2026, 3, 5), date(2026, 3, 6)], excluded=[date(2026, 4, 7)])
        sync_translation(self.course, self.locales["en"])
        for locale in ("nl", "en"):
            with self.subTest(locale=locale, organisers=10, dates=41):
                self.assertEqual(len(self.detail_queries(locale)), DETAIL_QUERIES[locale])
                item = self.client.get(detail_url(self.course, locale=locale, limit=30)).json()
                self.assertEqual(len(item["organisers"]), 10)
                self.assertEqual((item["occurrences"]["count"], len(item["occurrences"]["items"])), (41, 30))

    def test_a_one_off_needs_no_schedule_rows(self):
        one_off = EventPageFactory(
            parent=self.agenda,
            start_date=date(2026, 3, 4),
            image=self.image,
            image_alt_text="Een foto",
            body=self.course.body,
        )
        one_off.organisers.set([self.library])
        one_off = publish(one_off)
        url = detail_url(one_off, limit=3)
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).json()["occurrences"]["count"], 1)
        # A page that is not full needs no count. Its schedule rows are read: its dates in words name its extra
        # dates and the dates without it, which a one-off may have too.
        self.assertEqual(len(queries_but_the_content_version(captured)), DETAIL_QUERIES["nl"] - 1)


# The locale, the site, restricted paths, the event's pages (with its image), its summary (the event, organisers,
# its terms: audience groups, languages, themes, accessibility and SDGs in one query; in English also the partners'
# translations), the pages the body links to (their types, rows and locales; in English also their translations),
# for a series the schedule's rows (changes, extra dates, excluded dates) that describe its recurrence, the longest
# occurrence, the dates and their count. Image renditions come from Wagtail's renditions cache once made.
DETAIL_QUERIES = {"nl": 16, "en": 18}


class HTMLText:
    """What a visitor reads in a page's article, found by tag and class (``django.test.html`` elements)."""

    def __init__(self, content: str):
        self.root = parse_html(content)
        self.root = self.one("article")

    def find(self, tag: str | None = None, css_class: str | None = None, within: Element | None = None):
        found = []

        def walk(node):
            for child in getattr(node, "children", ()):
                if isinstance(child, Element):
                    classes = (dict(child.attributes).get("class") or "").split()
                    if (tag is None or child.name == tag) and (css_class is None or css_class in classes):
                        found.append(child)
                    walk(child)

        walk(within or self.root)
        return found

    def one(self, tag=None, css_class=None, within=None) -> Element:
        (element,) = self.find(tag, css_class, within)
        return element

    @staticmethod
    def text(element) -> str:
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(element)
        return re.sub(r"\s+([:,.)])", r"\1", re.sub(r"\s+", " ", " ".join(parts))).strip()

    def texts(self, tag=None, css_class=None, within=None) -> list[str]:
        return [self.text(element) for element in self.find(tag, css_class, within)]

    def practical(self) -> dict[str, str]:
        """The practical information as ``{term: description}``."""
        section = self.one("section", "event-practical")
        return {self.text(div.children[0]): self.text(div.children[1]) for div in self.find("div", within=section)}


def plain(html: str) -> str:
    """The text of an HTML fragment, read as ``HTMLText`` reads a page."""
    return HTMLText.text(parse_html(html))


@time_machine.travel(NOW, tick=False)
class PageAndAPIParityTests(CourseFixture):
    """What the event page shows, the API item gives: each visible value of the page is found in the item."""

    def assert_shown_in_the_api(self, page, language: str) -> None:
        html = HTMLText(self.client.get(page.url).content.decode())
        item = self.client.get(detail_url(page, locale=language)).json()
        with translation.override(language):
            labels = {
                "languages": [str(Language.LABELS[code]) for code in item["languages"]],
                "audience": [str(AudienceGroup.LABELS[code]) for code in item["audience"]["groups"]],
                "status": str(EventStatus(item["status"]).label),
            }
            terms = {
                name: gettext(name.capitalize())
                for name in ("level", "prerequisites", "certificate", "registration", "cost")
            }
        practical = html.practical()
        shown_and_given = {
            "title": (html.text(html.one("h1")), item["title"]),
            "summary": (html.text(html.one("p", "lead")), item["summary"]),
            "body text": (html.text(html.one("div", "event-body")), plain(item["body_html"])),
            "body link": (
                "http://testserver" + dict(html.one("a", within=html.one("div", "event-body")).attributes)["href"],
                re.search(r'href="([^"]+)"', item["body_html"])[1],
            ),
            "image alt": (dict(html.one("img", within=html.one("header")).attributes)["alt"], item["image"]["alt"]),
            "status": (
                html.text(html.one("p", "event-status")),
                f"{labels['status']}: {item['status_reason']}",
            ),
            "themes": (html.texts("li", within=html.one("ul", "themes")), [t["label"] for t in item["themes"]]),
            "accessibility": (
                html.texts("li", within=html.one("ul", "accessibility")),
                [facility["label"] for facility in item["accessibility"]],
            ),
            "languages": (html.texts("li", within=html.one("ul", "languages")), labels["languages"]),
            "audience": (html.texts("li", within=html.one("ul", "audience")), labels["audience"]),
            "venue": (html.texts("a", within=html.one("section", "event-place"))[0], item["venue"]["title"]),
            "address": (
                html.text(html.one("p", "address")),
                "{street} {postcode} {municipality[name]}".format(**item["venue"]["address"]),
            ),
            "online link": (html.texts("a", within=html.one("section", "event-place"))[1], item["online_url"]),
            "organisers": (
                html.texts("li", within=html.one("section", "event-organisers")),
                [organiser["title"] for organiser in item["organisers"]],
            ),
            "date starts": (
                [  # a date's day, its start, its end
                    dict(html.find("time", within=li)[1].attributes)["datetime"]
                    for li in html.find("li", within=html.one("ul", "occurrences"))
                ],
                [date_["start"] for date_ in item["occurrences"]["items"]],
            ),
            "date notes": (
                # every date here has a status label: "label — note"
                [text.split(" — ", 1)[1] for text in html.texts("p", "occurrence-status") if " — " in text],
                [date_["note"] for date_ in item["occurrences"]["items"] if date_["note"]],
            ),
            "course level": (practical[terms["level"]], item["course"]["level"]["label"]),
            "prerequisites": (practical[terms["prerequisites"]], item["course"]["prerequisites"]),
            "certificate": (practical[terms["certificate"]], item["course"]["certificate"]),
            "sdg targets": (
                [text.split()[-1] for text in html.texts("span", "sdg-badge")],
                item["sdg"]["targets"],
            ),
        }
        registration, cost = practical[terms["registration"]], practical[terms["cost"]]
        for name, (shown, given) in shown_and_given.items():
            with self.subTest(language=language, field=name):
                self.assertTrue(shown, "the page shows it: every field of the course is filled")
                self.assertEqual(shown, given)
        with self.subTest(language=language, field="capacity"):
            self.assertIn(f"{item['registration']['capacity']} ", registration)
        with self.subTest(language=language, field="registration e-mail"):
            self.assertIn(item["registration"]["email"], registration)
        with self.subTest(language=language, field="price note"):
            self.assertIn(f"({item['cost']['note']})", cost)

    def test_the_api_gives_what_the_dutch_page_shows(self):
        self.assert_shown_in_the_api(self.course, "nl")

    def test_the_api_gives_what_the_english_page_shows(self):
        self.assert_shown_in_the_api(self.course_en, "en")
