"""Generate a benchmark learning city: partners and events with a realistic share of weekly series.

Used by the bench scripts against a throw-away test database; never run it against real data. Pages are made
without updating the search index and Wagtail's reference index (the benchmarks search nothing and follow no
references), and events are appended to the tree as treebeard's ``add_child`` would, without Wagtail's
per-save work (validation, log entries): the rows are the same, and 100,000 events take minutes, not hours.
"""

import random
from contextlib import contextmanager
from datetime import date, time, timedelta

from modelcluster.models import ClusterableModel
from wagtail.models import Locale, Page, Site

from events.models import AudienceGroup, EventExcludedDate, EventIndexPage, EventPage, Frequency, Theme
from learningcity.models import HomePage
from partners.models import Municipality, PartnerIndexPage, PartnerKind, PartnerPage, Sector

SERIES_SHARE = 0.3


class TreeAppender:
    """Appends new pages as the last children of their parents, as ``add_child`` does, in fewer queries.

    The pages are saved live, with their path, depth and url_path set here; ``finish()`` writes the parents'
    child counts. Only for a tree that nothing else changes meanwhile.
    """

    def __init__(self):
        self.parents: dict[int, tuple[Page, int]] = {}

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
        ClusterableModel.save(page)  # the page and its child rows, without Page.save()'s per-save work

    def finish(self) -> None:
        for pk, (parent, count) in self.parents.items():
            Page.objects.filter(pk=pk).update(numchild=count)
            parent.numchild = count


@contextmanager
def without_indexing():
    """Save pages without indexing them for search or references (one transaction, for speed)."""
    from django.db import transaction
    from django.db.models.signals import post_save
    from modelsearch import index as search_index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    searched = list(search_index.get_indexed_models())
    for model in searched:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update(), transaction.atomic():
            yield
    finally:
        for model in searched:
            post_save.connect(post_save_signal_handler, sender=model)


def make_site() -> tuple[HomePage, EventIndexPage, PartnerIndexPage]:
    Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bench", slug="bench", city_name="Bench"))
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    directory = home.add_child(instance=PartnerIndexPage(title="Partners", slug="partners"))
    return home, agenda, directory


def make_partners(directory: PartnerIndexPage, count: int, first: int = 0) -> list[PartnerPage]:
    """Add ``count`` partners numbered from ``first``."""
    municipality, _created = Municipality.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    with without_indexing():
        return [
            directory.add_child(
                instance=PartnerPage(
                    title=f"Partner {n}",
                    slug=f"partner-{n}",
                    kind=PartnerKind.LIBRARY,
                    sector=Sector.GOVERNMENT,
                    summary="Bench partner.",
                    municipality=municipality,
                )
            )
            for n in range(first, first + count)
        ]


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
) -> int:
    """Add ``count`` events numbered from ``first``; returns how many it made.

    With ``partners``, each event gets one of them as organiser and venue, and half of the events live under
    their organiser's page (as partner editors would keep them), the others under the agenda. Events get a theme,
    an audience group and a price, so that the agenda's filters have something to select.
    """
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    audiences = list(AudienceGroup.objects.all())
    tree = TreeAppender()
    with without_indexing():
        for n in range(first, first + count):
            page = EventPage(**event_fields(rng, n, today))
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
