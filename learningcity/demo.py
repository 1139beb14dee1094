"""The demo learning city "Lindeveld": home, content pages, the SDG overview, menus, footer and settings.

Fictional throughout: no real people, addresses, e-mail addresses or telephone numbers.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.models import Locale, Page, Site

from .demo_tools import DemoReport, collect_strings, get_or_create_page, sync_translations, text, translate
from .models import (
    ContentPage,
    FooterText,
    HomePage,
    HomePageFeaturedItem,
    LearningCitySettings,
    SDGIndexPage,
)

CITY = text("Leerstad Lindeveld", "Learning City Lindeveld", "Ville apprenante de Lindeveld")
HOME_INTRO = text(
    "Lindeveld is een lerende stad: scholen, bibliotheken, buurthuizen, bedrijven en verenigingen maken samen "
    "leren mogelijk voor iedereen, van peuter tot senior.",
    "Lindeveld is a learning city: schools, libraries, community centres, companies and associations work "
    "together so that everyone can learn, from toddlers to seniors.",
    "Lindeveld est une ville apprenante : écoles, bibliothèques, maisons de quartier, entreprises et associations "
    "s'unissent pour que chacun puisse apprendre, des tout-petits aux seniors.",
)

CONTENT_PAGES = [
    {
        "slug": "over-lindeveld",
        "title": text("Over de lerende stad", "About the learning city", "À propos de la ville apprenante"),
        "intro": text(
            "Waarom Lindeveld lid werd van het UNESCO-netwerk van lerende steden en wat dat voor u betekent.",
            "Why Lindeveld joined UNESCO's network of learning cities and what it means for you.",
            "Pourquoi Lindeveld a rejoint le réseau UNESCO des villes apprenantes et ce que cela signifie pour vous.",
        ),
        "body": [
            ("heading", text("Samen leren", "Learning together", "Apprendre ensemble")),
            (
                "paragraph",
                text(
                    "Leren stopt niet aan de schoolpoort. In Lindeveld werken de gemeente en haar partners samen aan "
                    "een leerecosysteem: iedereen vindt een plek om te leren, dichtbij huis.",
                    "Learning does not stop at the school gate. In Lindeveld the municipality and its partners build "
                    "a learning ecosystem together: everyone finds a place to learn, close to home.",
                    "L'apprentissage ne s'arrête pas à la porte de l'école. À Lindeveld, la commune et ses partenaires "
                    "construisent ensemble un écosystème d'apprentissage : chacun trouve où apprendre, près de chez soi.",
                ),
            ),
            (
                "quote",
                text(
                    "Er is een heel dorp nodig om een kind op te voeden.",
                    "It takes a village to raise a child.",
                    "Il faut tout un village pour élever un enfant.",
                ),
            ),
        ],
        "children": [],
    },
    {
        "slug": "leven-lang-leren",
        "title": text("Leven lang leren", "Lifelong learning", "Apprendre tout au long de la vie"),
        "intro": text(
            "Cursussen, taalcafés, workshops en open dagen voor alle leeftijden.",
            "Courses, language cafés, workshops and open days for all ages.",
            "Cours, cafés linguistiques, ateliers et journées portes ouvertes pour tous les âges.",
        ),
        "body": [
            (
                "paragraph",
                text(
                    "Of u nu Nederlands wilt oefenen, digitaal vaardiger wilt worden of een nieuw vak wilt leren: "
                    "de partners van Lindeveld hebben een aanbod voor u.",
                    "Whether you want to practise Dutch, improve your digital skills or learn a new trade: "
                    "Lindeveld's partners have something for you.",
                    "Que vous souhaitiez pratiquer le néerlandais, améliorer vos compétences numériques ou apprendre "
                    "un nouveau métier : les partenaires de Lindeveld ont une offre pour vous.",
                ),
            ),
        ],
        "children": [
            {
                "slug": "taalcafes",
                "title": text(
                    "Taalcafés en basisvaardigheden",
                    "Language cafés and basic skills",
                    "Cafés linguistiques et compétences de base",
                ),
                "intro": text(
                    "Oefen een taal in een ontspannen sfeer, elke week in de bibliotheek en de buurthuizen.",
                    "Practise a language in a relaxed atmosphere, every week in the library and community centres.",
                    "Pratiquez une langue dans une ambiance détendue, chaque semaine à la bibliothèque et dans "
                    "les maisons de quartier.",
                ),
                "body": [],
                "children": [],
            }
        ],
    },
    {
        "slug": "contact",
        "title": text("Contact", "Contact", "Contact"),
        "intro": text(
            "Vragen over het leeraanbod of wilt u partner worden? Neem contact op met de gemeente.",
            "Questions about learning offers, or want to become a partner? Contact the municipality.",
            "Des questions sur l'offre d'apprentissage ou envie de devenir partenaire ? Contactez la commune.",
        ),
        "body": [],
        "children": [],
    },
]
SDG_PAGE = {
    "title": text(
        "Duurzame ontwikkelingsdoelen", "Sustainable development goals", "Objectifs de développement durable"
    ),
    "intro": text(
        "Waaraan Lindeveld en zijn partners bijdragen, doel per doel.",
        "What Lindeveld and its partners contribute to, goal by goal.",
        "Ce à quoi Lindeveld et ses partenaires contribuent, objectif par objectif.",
    ),
}
FOOTER = text(
    "Leerstad Lindeveld is een initiatief van de gemeente Lindeveld en haar partners.",
    "Learning City Lindeveld is an initiative of the municipality of Lindeveld and its partners.",
    "La ville apprenante de Lindeveld est une initiative de la commune de Lindeveld et de ses partenaires.",
)


def ensure_locales(report: DemoReport) -> None:
    for code, _name in settings.LANGUAGES:
        _locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.add(f"locale {code}")


def ensure_home(report: DemoReport) -> HomePage:
    root = Page.get_first_root_node()
    nl = Locale.objects.get(language_code="nl")
    home = HomePage.objects.filter(locale=nl, depth=2, slug="lindeveld").first()
    if home is None:
        # Wagtail's own placeholder page ("Welcome to your new Wagtail site!") makes way for the portal.
        root.get_children().exact_type(Page).filter(slug="home").delete()
        home = HomePage(
            title=CITY["nl"],
            slug="lindeveld",
            city_name=CITY["nl"],
            intro=f"<p>{HOME_INTRO['nl']}</p>",
            gnlc_member_since=2021,
            locale=nl,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        report.add(f"home page: {home.title}")
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", is_default_site=True)
    if site.root_page_id != home.pk or site.site_name != CITY["nl"]:
        site.root_page = home
        site.site_name = CITY["nl"]
        site.save()
        report.add("default site points at the portal")
    return home


def site_address(url: str) -> tuple[str, int]:
    """The Wagtail Site hostname and port that make page URLs start with ``url`` (``http://127.0.0.1:8123``).

    Wagtail writes a Site on port 80 as ``http://host``, on 443 as ``https://host`` and on any other port as
    ``http://host:port``, so HTTPS is only possible on port 443.
    """
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default_port
    except ValueError:
        port = None
    if default_port is None or not parts.hostname or port is None or parts.path.strip("/") or parts.query:
        raise ValidationError("%(url)s is not an address like http://127.0.0.1:8000", params={"url": url})
    if parts.scheme == "https" and port != 443:
        raise ValidationError("Wagtail serves HTTPS sites on port 443 only, not %(url)s", params={"url": url})
    return parts.hostname, port


def point_site_at(url: str, report: DemoReport) -> str:
    """Give the portal's Site the address it is served at, so feeds, the API and the sitemap link back to it."""
    hostname, port = site_address(url)
    site = Site.objects.get(root_page__slug="lindeveld", root_page__depth=2)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.full_clean()
        site.save()
        report.add(f"site address {site.root_url}")
    return site.root_url


def add_content_pages(parent, specs, report: DemoReport) -> list[tuple]:
    created = []
    for spec in specs:
        body = [
            (
                kind,
                f"<p>{value['nl']}</p>"
                if kind == "paragraph"
                else {"text": value["nl"], "level": "h2"}
                if kind == "heading"
                else {"quote": value["nl"], "attribution": ""},
            )
            for kind, value in spec["body"]
        ]
        page = get_or_create_page(
            parent,
            ContentPage,
            spec["slug"],
            report,
            title=spec["title"]["nl"],
            intro=spec["intro"]["nl"],
            body=body,
            show_in_menus=parent.depth == 2,
        )
        strings = collect_strings(spec["title"], spec["intro"], *(value for _kind, value in spec["body"]))
        created.append((page, strings))
        created.extend(add_content_pages(page, spec["children"], report))
    return created


def load(report: DemoReport) -> None:
    ensure_locales(report)
    home = ensure_home(report)
    translate(home, collect_strings(CITY, HOME_INTRO), report)
    pages = add_content_pages(home, CONTENT_PAGES, report)
    sdg_page = get_or_create_page(
        home,
        SDGIndexPage,
        "sdg",
        report,
        title=SDG_PAGE["title"]["nl"],
        intro=SDG_PAGE["intro"]["nl"],
        show_in_menus=True,
    )
    pages.append((sdg_page, collect_strings(SDG_PAGE["title"], SDG_PAGE["intro"])))
    # Parents before children: a translation needs its parent's translation.
    for page, strings in pages:
        translate(page, strings, report)
    if not home.featured_items.exists():
        feature_on_home([pages[0][0], sdg_page], report)

    footer = FooterText.objects.filter(locale=home.locale, title="Footer").first()
    if footer is None:
        footer = FooterText.objects.create(title="Footer", text=f"<p>{FOOTER['nl']}</p>", locale=home.locale)
        report.add("footer text")
    translate(footer, collect_strings(FOOTER), report)

    site = Site.objects.get(root_page=home)
    city_settings = LearningCitySettings.for_site(site)
    if not city_settings.municipality_name:
        city_settings.municipality_name = "Gemeente Lindeveld"
        city_settings.contact_email = "leren@lindeveld.example"
        city_settings.contact_address = "Marktplein 1, 9999 Lindeveld"
        city_settings.footer = footer
        city_settings.save()
        report.add("learning city settings")


def feature_on_home(pages, report: DemoReport) -> None:
    """Feature ``pages`` (Dutch) on the demo's home page after those featured already, in every language.

    Each app's demo features some of its own pages; the home page's translations get the same featured offers (the
    pages are shown in the visitor's language). Pages featured already are left alone, and so are six.
    """
    home = HomePage.objects.filter(slug="lindeveld", locale__language_code="nl").first()
    if home is None:
        return
    featured = [item.page_id for item in home.featured_items.all()]
    missing = [page for page in pages if page.pk not in featured][: max(0, 6 - len(featured))]
    for position, page in enumerate(missing, len(featured)):
        home.featured_items.add(HomePageFeaturedItem(page=page, sort_order=position))
        report.add(f"featured on the home page: {page.title}")
    if missing:
        home.save_revision().publish()
        featured += [page.pk for page in missing]
    translations = HomePage.objects.filter(translation_key=home.translation_key).exclude(pk=home.pk)
    shown = HomePageFeaturedItem.objects.filter(home__in=translations).order_by("sort_order", "pk")
    by_home: dict[int, list[int]] = {translation.pk: [] for translation in translations}
    for home_id, page_id in shown.values_list("home_id", "page_id"):
        by_home[home_id].append(page_id)
    if any(page_ids != featured for page_ids in by_home.values()):
        sync_translations(home, report)
