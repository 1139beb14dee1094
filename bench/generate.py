"""Generate a benchmark learning city: partners and events with a realistic share of weekly series.

Used by the bench scripts against a throw-away test database; never run it against real data. Pages are made
without updating Wagtail's search and reference indexes (the benchmarks follow no references), and partners and
events are appended to the tree as treebeard's ``add_child`` would, without Wagtail's per-save work (validation,
log entries) and with their many-to-many rows written in batches: the rows are the same, and 10,000 events with
1,000 partners take under a minute on PostgreSQL. The site search's index follows the saved live pages when each
batch commits (``learningcity.search.signals``), as the listings' ``q`` reads it; ``bench/search.py`` generates
``without_site_search()`` and builds the index once, timed.

Titles and summaries are numbered placeholders ("Event 12", "Bench event."), unless ``dutch=True``: then they
are drawn from a small Dutch vocabulary (``DutchTexts``), so that a search finds some pages and not others, and
events get a body of two paragraphs.
"""

import random
from contextlib import contextmanager
from datetime import date, time, timedelta

from modelcluster.models import ClusterableModel, get_all_child_m2m_relations
from wagtail.models import Locale, Page, Site

from events.models import AudienceGroup, EventExcludedDate, EventIndexPage, EventPage, Frequency, Theme
from learningcity.models import HomePage
from partners.models import Municipality, PartnerIndexPage, PartnerKind, PartnerPage, Sector

SERIES_SHARE = 0.3

# What a Dutch-speaking learning city's agenda and directory say, in pieces: compounds that share a start (taalcafé,
# taalles, taalmaatjes), common words (cursus, workshop) and words only a few titles hold.
ACTIVITIES = [
    "Taalcafé",
    "Taalles Nederlands",
    "Taalmaatjes",
    "Conversatietafel Nederlands",
    "Voorleesuurtje",
    "Boekenclub",
    "Schrijfworkshop",
    "Computercursus",
    "Cursus digitale vaardigheden",
    "Digitaal spreekuur",
    "Programmeren met Scratch",
    "Robotica-workshop",
    "Repaircafé",
    "Moestuinieren",
    "Natuurwandeling",
    "Stadswandeling",
    "Lezing over stadsgeschiedenis",
    "Museumbezoek",
    "Fotografiecursus",
    "Tekenles",
    "Muziekworkshop",
    "Theaterworkshop",
    "Kookworkshop",
    "Naaicursus",
    "Yoga",
    "Fietsles",
    "Sollicitatietraining",
    "Spreekuur geldzaken",
    "Opvoedingscafé",
    "Huiswerkbegeleiding",
    "Schaakles",
    "EHBO-cursus",
]
QUALIFIERS = [
    "voor beginners",
    "voor gevorderden",
    "voor kinderen",
    "voor jongeren",
    "voor volwassenen",
    "voor senioren",
    "voor nieuwkomers",
    "voor ouders en kinderen",
    "in de bibliotheek",
    "in het buurthuis",
    "in het wijkcentrum",
    "op woensdagmiddag",
    "op zaterdagochtend",
    "",
]
NEIGHBOURHOODS = ["Noord", "Zuid", "Oost", "West", "Centrum", "De Haven", "Kerkwijk", "Molenbuurt", "Stationskwartier"]
SENTENCES = [
    "Samen oefenen we in een ontspannen sfeer.",
    "Je hoeft niets voor te bereiden.",
    "Neem je eigen laptop of tablet mee.",
    "Een vrijwilliger helpt je op weg.",
    "Aanmelden is niet nodig, loop gerust binnen.",
    "Inschrijven kan aan de balie of via de website.",
    "Koffie en thee staan klaar.",
    "We werken in kleine groepjes.",
    "Geschikt voor wie net begint.",
    "Voor wie zijn kennis wil opfrissen.",
    "Na afloop is er tijd om na te praten.",
    "De begeleiders spreken ook Engels en Arabisch.",
    "Kinderen zijn welkom onder begeleiding van een volwassene.",
    "Materiaal is aanwezig.",
    "In samenwerking met de bibliotheek en het buurtwerk.",
    "We sluiten af met een kleine tentoonstelling.",
    "Oefen je spreekvaardigheid met andere deelnemers.",
    "Leer hoe je veilig internetbankiert en je gegevens beschermt.",
    "Ontdek de geschiedenis van je eigen wijk.",
    "Je krijgt een certificaat van deelname.",
]
BODY_SENTENCES = [
    "De lessen vinden plaats in een lokaal op de eerste verdieping, dat met de lift bereikbaar is.",
    "Wie zich inschrijft, krijgt een week vooraf een bevestiging met praktische informatie.",
    "Het lesmateriaal en het cursusboek krijg je ter plaatse; een bibliotheekpas is niet nodig.",
    "We bepalen samen je taalniveau, zodat je in een groep terechtkomt die bij je past.",
    "Tijdens de pauze is er tijd voor een gesprek met de andere deelnemers.",
    "De begeleiders zijn vrijwilligers met ervaring in het onderwijs en het buurtwerk.",
    "Heb je vragen over bereikbaarheid of toegankelijkheid, neem dan contact op met het onthaal.",
    "Er is fietsenstalling bij de ingang en de bus stopt vlak voor de deur.",
    "Voor kinderen is er tijdens de activiteit opvang in het speellokaal.",
    "Wie een uitkering heeft of een vrijetijdspas, betaalt het verminderde tarief.",
    "Aan het einde van de reeks houden we een kleine presentatie voor familie en vrienden.",
    "De activiteit maakt deel uit van het programma van de lerende stad.",
    "We werken met concrete voorbeelden uit het dagelijks leven: de bank, de dokter, de school.",
    "Je leert stap voor stap, in je eigen tempo, en je mag altijd vragen stellen.",
    "Breng gerust een vriend, buur of familielid mee.",
    "Bij slecht weer gaat de activiteit binnen door.",
]
PARTNER_KINDS = {
    "Bibliotheek": "library",
    "Buurthuis": "community-centre",
    "Wijkcentrum": "community-centre",
    "Cultuurcentrum": "community-centre",
    "Basisschool": "primary-school",
    "Atheneum": "secondary-school",
    "Centrum voor Volwassenenonderwijs": "adult-education",
    "Academie voor Muziek en Woord": "arts-education",
    "Museum": "museum",
    "Sportclub": "sports-leisure",
    "Huis van het Kind": "welfare",
    "Werkwinkel": "employment",
}
PARTNER_NAMES = [
    "De Linde",
    "Het Anker",
    "De Regenboog",
    "Sint-Jozef",
    "De Kleine Prins",
    "Het Klooster",
    "De Brug",
    "De Horizon",
    "Den Appel",
    "De Wilg",
    "Het Spoor",
    "De Vlier",
]
PARTNER_SENTENCES = [
    "Een plek om te leren, te lezen en elkaar te ontmoeten.",
    "We bieden cursussen, workshops en lezingen voor alle leeftijden.",
    "Onze vrijwilligers helpen met taal, computers en formulieren.",
    "Open op weekdagen en zaterdagochtend.",
    "Samen met scholen en verenigingen uit de buurt.",
    "Wij werken aan een duurzame en inclusieve stad.",
]


class DutchTexts:
    """Varied Dutch titles and summaries for events and partners, from a random generator of their own."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"texts-{seed}")

    def event(self) -> tuple[str, str, str]:
        """A title, a summary and a body of two paragraphs (rich text)."""
        rng = self.rng
        title = " ".join(part for part in (rng.choice(ACTIVITIES), rng.choice(QUALIFIERS)) if part)
        if rng.random() < 0.4:
            title += f" ({rng.choice(NEIGHBOURHOODS)})"
        summary = " ".join(rng.sample(SENTENCES, rng.randint(2, 4)))
        body = "".join(
            f"<p>{' '.join(rng.sample(BODY_SENTENCES + SENTENCES, rng.randint(3, 5)))}</p>" for _paragraph in range(2)
        )
        return title, summary, body

    def partner(self, n: int) -> tuple[str, str, str]:
        rng = self.rng
        kind = rng.choice(list(PARTNER_KINDS))
        title = f"{kind} {rng.choice(PARTNER_NAMES)} {rng.choice(NEIGHBOURHOODS)}"
        if n >= len(PARTNER_KINDS) * len(PARTNER_NAMES):
            title += f" {n}"  # distinct titles, as a directory has them
        return title, " ".join(rng.sample(PARTNER_SENTENCES, 2)), PARTNER_KINDS[kind]


class TreeAppender:
    """Appends new pages as the last children of their parents, as ``add_child`` does, in fewer queries.

    The pages are saved live, with their path, depth and url_path set here; ``finish()`` writes the parents'
    child counts. Only for a tree that nothing else changes meanwhile. The pages' many-to-many rows (themes,
    organisers…) are written in one statement per relation once ``BATCH`` rows wait, in the order modelcluster
    writes them page by page with three queries per relation and the ``m2m_changed`` signals: a new page has no rows
    to compare with, and the signals' one receiver renews the cache, which ``without_indexing`` does once at the end.
    """

    BATCH = 1_000

    def __init__(self):
        self.parents: dict[int, tuple[Page, int]] = {}
        self.relations: dict[type, list] = {}  # through model: rows to insert

    def add(self, parent: Page, page: Page) -> None:
        _parent, count = self.parents.get(parent.pk) or (parent, Page.objects.get(pk=parent.pk).numchild)
        count += 1
        self.parents[parent.pk] = (parent, count)
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, count)
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live = True
        if isinstance(page, EventPage):
            page.schedule_fingerprint = page.compute_schedule_fingerprint()  # as EventPage.save() sets it
        related = getattr(page, "_cluster_related_objects", {})
        m2m = get_all_child_m2m_relations(page)
        chosen = {field: related.pop(field.name) for field in m2m if field.name in related}
        ClusterableModel.save(page)  # the page and its child rows, without Page.save()'s per-save work
        for field, objects in chosen.items():
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            rows = self.relations.setdefault(through, [])
            rows += [through(**{f"{source}_id": page.pk, f"{target}_id": item.pk}) for item in objects]
            related[field.name] = objects  # as a saved page's relation reads
        if sum(map(len, self.relations.values())) >= self.BATCH:
            self.write_relations()

    def write_relations(self) -> None:
        for through, rows in self.relations.items():
            through.objects.bulk_create(rows)
        self.relations = {}

    def finish(self) -> None:
        self.write_relations()
        for pk, (parent, count) in self.parents.items():
            Page.objects.filter(pk=pk).update(numchild=count)
            parent.numchild = count


@contextmanager
def without_indexing():
    """Save pages without indexing them for search or references, in one transaction, for speed.

    The cache's content version is renewed once at the end (``one_renewal``), not on every saved page, where working
    out which sites show the page cost two queries.
    """
    from django.db import transaction
    from django.db.models.signals import post_save
    from modelsearch import index as search_index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from learningcity.caching import one_renewal

    searched = list(search_index.get_indexed_models())
    for model in searched:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update(), transaction.atomic(), one_renewal():
            yield
    finally:
        for model in searched:
            post_save.connect(post_save_signal_handler, sender=model)


@contextmanager
def without_site_search():
    """Save live pages without the site search indexing them when the transaction commits."""
    from django.db.models.signals import post_save

    from learningcity.search import signals
    from learningcity.search.index import searchables

    models = {searchable.model for searchable in searchables()}
    for model in models:
        post_save.disconnect(sender=model, dispatch_uid=f"search-saved-{model._meta.label_lower}")
    try:
        yield
    finally:
        for model in models:
            signals.connect(model)


def make_site() -> tuple[HomePage, EventIndexPage, PartnerIndexPage]:
    Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bench", slug="bench", city_name="Bench"))
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    directory = home.add_child(instance=PartnerIndexPage(title="Partners", slug="partners"))
    return home, agenda, directory


def make_partners(directory: PartnerIndexPage, count: int, first: int = 0, *, dutch: bool = False) -> list[PartnerPage]:
    """Add ``count`` partners numbered from ``first`` (with Dutch titles and summaries when ``dutch``)."""
    municipality, _created = Municipality.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    texts = DutchTexts(first) if dutch else None
    partners = []
    tree = TreeAppender()
    with without_indexing():
        for n in range(first, first + count):
            placeholder = (f"Partner {n}", "Bench partner.", PartnerKind.LIBRARY)
            title, summary, kind = texts.partner(n) if texts else placeholder
            page = PartnerPage(
                title=title,
                slug=f"partner-{n}",
                kind=kind,
                sector=Sector.GOVERNMENT,
                summary=summary,
                municipality=municipality,
            )
            tree.add(directory, page)
            partners.append(page)
        tree.finish()
    return partners


def event_fields(rng: random.Random, n: int, today: date) -> dict:
    start_date = today + timedelta(days=rng.randint(-365, 365))
    fields = {"title": f"Event {n}", "slug": f"event-{n}", "summary": "Bench event.", "start_date": start_date}
    if rng.random() < SERIES_SHARE:
        fields.update(
            start_time=time(rng.choice([10, 14, 19])),
            end_time=time(rng.choice([12, 16, 21])),
            frequency=Frequency.WEEKLY,
            weekdays=[start_date.weekday()],
        )
        if rng.random() < 0.5:
            fields["count"] = rng.randint(8, 30)
        else:
            fields["until"] = start_date + timedelta(weeks=rng.randint(10, 40))
    elif rng.random() < 0.15:
        fields.update(all_day=True, end_date=start_date + timedelta(days=rng.randint(0, 4)))
    else:
        fields.update(start_time=time(rng.randint(9, 20)), end_time=time(21, 30))
    return fields


def make_events(
    agenda: EventIndexPage,
    count: int,
    today: date,
    seed: int = 4,
    first: int = 0,
    partners: list[PartnerPage] | None = None,
    *,
    dutch: bool = False,
) -> int:
    """Add ``count`` events numbered from ``first``; returns how many it made.

    With ``partners``, each event gets one of them as organiser and venue, and half of the events live under
    their organiser's page (as partner editors would keep them), the others under the agenda. Events get a theme,
    an audience group and a price, so that the agenda's filters have something to select. With ``dutch``, titles,
    summaries and bodies come from ``DutchTexts`` (drawn apart, so the dates and the rest are the same either way).
    """
    rng = random.Random(seed)
    texts = DutchTexts(seed) if dutch else None
    themes = list(Theme.objects.all())
    audiences = list(AudienceGroup.objects.all())
    tree = TreeAppender()
    with without_indexing():
        for n in range(first, first + count):
            page = EventPage(**event_fields(rng, n, today))
            if texts:
                page.title, page.summary, page.body = texts.event()
            if page.frequency and rng.random() < 0.5:
                holiday = page.start_date + timedelta(weeks=4)
                page.excluded_dates = [EventExcludedDate(first_day=holiday, last_day=holiday + timedelta(days=13))]
            if themes:
                page.themes = [rng.choice(themes)]
                page.audience_groups = [rng.choice(audiences)]
            if rng.random() < 0.3:
                page.is_free, page.price = False, 5
            parent = agenda
            if partners:
                organiser = rng.choice(partners)
                page.organisers = [organiser]
                page.venue = organiser
                if rng.random() < 0.5:
                    parent = organiser
            tree.add(parent, page)
        tree.finish()
    return count
