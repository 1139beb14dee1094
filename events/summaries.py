"""One read model of an event: what the agenda, the API, the feeds and the embed show of it, read with ``values()``.

``EventPage.objects.filter(…).summaries(locale, request)`` gives an ``EventSummary`` per event in a constant
number of queries, however many events: the events with their venues, the translations of events and partners
not in ``locale`` (``TranslatedPageQuerySet.translations_in``), and with ``related=True`` the organisers, audience
groups, languages, themes, accessibility facilities and SDG targets. Building ``EventPage`` and ``PartnerPage``
instances instead (dozens of fields over two tables, modelcluster's constructor) costs more than the rest of a
listing's request.

To show a new field of an event everywhere: add it to ``EVENT_FIELDS`` and ``EventSummary`` here, then to what
shows it (the API's ``EventOut`` in ``events/api.py``, a template or a feed's writer).
"""

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from learningcity.api import PageURLs
from learningcity.caching import cached_many
from learningcity.querysets import pages_in_any_model

from .audience import age_range_label

PAGE_FIELDS = ("translation_key", "locale_id", "title", "url_path", "live")
ADDRESS_FIELDS = (
    "street",
    "postcode",
    "locality",
    "country",
    "municipality_id",
    "municipality__code",
    "municipality__name",
)
VENUE_FIELDS = tuple(f"venue__{name}" for name in (*PAGE_FIELDS, *ADDRESS_FIELDS))
# The fields ``EventPage.schedule()`` reads besides the status (``events.feeds.calendar_rows.SCHEDULE_FIELDS``).
SCHEDULE_FIELDS = (
    "tzid",
    "all_day",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "frequency",
    "interval",
    "weekdays",
    "ordinals",
    "month_days",
    "until",
    "count",
)
# An event's course: its level, sessions, hours, funding and certificate (synchronised to translations).
COURSE_FIELDS = ("course_level", "session_count", "total_hours", "funding", "certificate")
EVENT_FIELDS = (
    "pk",
    "uuid",
    *PAGE_FIELDS,
    "locale__language_code",
    "summary",
    "attendance_mode",
    "venue_id",
    *VENUE_FIELDS,
    "venue_name",
    *ADDRESS_FIELDS,
    "min_age",
    "max_age",
    "is_free",
    "price",
    "currency",
    "price_note",
    "registration_required",
    "registration_url",
    "registration_email",
    "registration_status",
    "status",
    "status_reason",
    "first_published_at",
    "modified",
    *SCHEDULE_FIELDS,
    *COURSE_FIELDS,
)
# The lists an ``EventSummary`` may carry, a query each; ``summarise(related=…)`` names those wanted. "schedule":
# the series' ``schedule_text`` (short), with a query for its dates without the event.
RELATED = frozenset({"organisers", "audience_groups", "languages", "themes", "accessibility", "sdg", "schedule"})
# What a translation brings of its own (the other fields are synchronised from the source).
TRANSLATED_FIELDS = (
    "title",
    "url_path",
    "live",
    "eventpage__summary",
    "eventpage__venue_name",
    "eventpage__status_reason",
    "modified",
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def modified():
    """A page's last publication, else its last revision, else its first publication (an annotation)."""
    return Coalesce("last_published_at", "latest_revision_created_at", "first_published_at")


class PickledByValues:
    """A dataclass pickled as its class and its fields' values, as a call of its constructor.

    Summaries are kept pickled in the shared cache (``cached_many``; each process keeps the ones it read as they
    are) and unpickled when a process first reads one. A slotted dataclass is otherwise pickled through
    ``__getstate__``/``__setstate__`` methods that look up its fields anew for every object: a summary with its
    venue, addresses and organisers took 17 µs to unpickle, as values 10 µs, and half the bytes. The order of the
    values is the fields' order, which ``SHAPE`` records in the summaries' keys.
    """

    __slots__ = ()

    def __reduce__(self):
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


@dataclass(frozen=True, slots=True)
class MunicipalityRef(PickledByValues):
    code: str
    name: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True, slots=True)
class Address(PickledByValues):
    street: str
    postcode: str
    locality: str
    country: str
    municipality: MunicipalityRef | None

    @classmethod
    def from_row(cls, row: dict, prefix: str = "") -> "Address":
        municipality = None
        if row[f"{prefix}municipality_id"]:
            municipality = MunicipalityRef(row[f"{prefix}municipality__code"], row[f"{prefix}municipality__name"])
        return cls(
            row[f"{prefix}street"],
            row[f"{prefix}postcode"],
            row[f"{prefix}locality"],
            row[f"{prefix}country"],
            municipality,
        )

    @property
    def town(self) -> str:
        """The locality, else the municipality's name (as ``AddressMixin.town``)."""
        return self.locality or (self.municipality.name if self.municipality else "")

    def as_dict(self) -> dict:
        return {
            "street": self.street,
            "postcode": self.postcode,
            "locality": self.locality,
            "municipality": self.municipality and self.municipality.as_dict(),
            "country": self.country,
        }


@dataclass(frozen=True, slots=True)
class PartnerRef(PickledByValues):
    """A partner as an event names it: ``id`` its translation key, title and URL in the shown language."""

    id: str
    title: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Venue(PickledByValues):
    """Where an event takes place: a partner (``id`` its translation key) or the event's own place (``id`` None)."""

    id: str | None
    title: str
    url: str | None
    address: Address

    @property
    def town(self) -> str:
        return self.address.town


@dataclass(frozen=True, slots=True)
class EventSummary(PickledByValues):
    """An event in one language: its live translation's texts, else its source page's.

    Immutable, lists as tuples: this process keeps each summary as it is and gives every request the same one
    (``learningcity.caching.cached_many``).
    """

    pk: int  # the source page, whose schedule the occurrences come from
    uuid: UUID
    language: str  # of the texts shown
    title: str
    url: str | None
    summary: str
    attendance_mode: str
    venue: Venue | None
    address: Address  # the event's own
    min_age: int | None
    max_age: int | None
    is_free: bool
    price: Decimal | None
    currency: str
    price_note: str
    registration_required: bool
    registration_url: str
    registration_email: str
    registration_status: str
    status: str
    status_reason: str  # why the event is not as scheduled, in the language shown
    first_published_at: datetime | None
    last_modified: datetime  # the later publication of the source and the translation, in whole UTC seconds
    organisers: tuple[PartnerRef, ...] = ()
    audience_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    sdg_goals: tuple[int, ...] = ()  # the goals of ``sdg_targets``, in UN order
    sdg_targets: tuple[str, ...] = ()
    schedule_text: str = ""  # a series in words, short (``events.schedule_text``); empty for a one-off
    course_level: str = ""  # the course fields (``COURSE_FIELDS``): blank for an event that is no course
    session_count: int | None = None
    total_hours: Decimal | None = None
    funding: str = ""
    certificate: str = ""

    @property
    def venue_name(self) -> str:
        """The name of the event's own place (not a partner's)."""
        return self.venue.title if self.venue and self.venue.id is None else ""

    @property
    def town(self) -> str:
        return self.venue.address.town if self.venue else self.address.town

    @property
    def location(self) -> str:
        """The place in one line, as feeds show it: its name, street, postcode and town."""
        address = self.venue.address if self.venue else self.address
        town = " ".join(part for part in (address.postcode, address.town) if part)
        return ", ".join(part for part in (self.venue.title if self.venue else "", address.street, town) if part)

    @property
    def age_range_label(self) -> str:
        """The ages the event is for, in words ("All ages", "8 to 12 years"; see ``events.audience``)."""
        return age_range_label(self.min_age, self.max_age)

    @property
    def theme_labels(self) -> list[str]:
        from .models import Theme

        return [str(Theme.LABELS.get(code, code)) for code in self.themes]


def organisers_by_event(event_ids) -> dict[int, list[dict]]:
    """The ``PAGE_FIELDS`` of each event's organisers, by title (one query)."""
    from .models import EventPage

    through = EventPage.organisers.through.objects.filter(eventpage_id__in=event_ids)
    fields = [f"partnerpage__{name}" for name in PAGE_FIELDS]
    organisers: dict[int, list[dict]] = {}
    for event_id, *values in through.order_by("partnerpage__title", "partnerpage_id").values_list(
        "eventpage_id", *fields
    ):
        organisers.setdefault(event_id, []).append(dict(zip(PAGE_FIELDS, values, strict=True)))
    return organisers


# The term lists of an event, by name: its many-to-many field, and the term's code and position on that table.
TERM_RELATIONS = {
    "audience_groups": ("audience_groups", "audiencegroup__code", "audiencegroup__position"),
    "languages": ("languages", "language__code", "language__position"),
    "themes": ("themes", "theme__code", "theme__position"),
    "accessibility": ("accessibility", "accessibilityfacility__code", "accessibilityfacility__position"),
    "sdg": ("sdg_targets", "sdgtarget__code", "sdgtarget__position"),
}


def terms_by_event(relations, event_ids) -> dict[str, dict[int, list]]:
    """The codes of each event's terms for each of ``relations`` (``TERM_RELATIONS``' names), in their order, by
    relation and event: one query (a ``UNION ALL`` of the many-to-many tables) whatever the number of relations.

    The ``sdg`` relation gives the event's ``{"goals": [...], "targets": [...]}`` in UN order.
    """
    from .models import EventPage

    parts = []
    for relation in relations:
        field, code, position = TERM_RELATIONS[relation]
        goal = F("sdgtarget__goal__number") if relation == "sdg" else Value(0)
        through = getattr(EventPage, field).through.objects.filter(eventpage_id__in=event_ids)
        parts.append(
            through.order_by()
            .annotate(
                event=F("eventpage_id"),
                relation=Value(relation),
                code=F(code),
                goal=goal,
                position=F(position),
                row=F("pk"),
            )
            .values_list("event", "relation", "code", "goal", "position", "row")
        )
    if not parts:
        return {}
    rows = list(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    terms: dict[str, dict[int, list]] = {relation: {} for relation in relations}
    for event_id, relation, code, _goal, _position, _row in sorted(rows, key=lambda row: row[3:]):
        terms[relation].setdefault(event_id, []).append(code)
    if "sdg" in terms:
        goals = {code: goal for _event, relation, code, goal, *_rest in rows if relation == "sdg"}
        terms["sdg"] = {
            event_id: {"goals": list(dict.fromkeys(goals[code] for code in codes)), "targets": codes}
            for event_id, codes in terms["sdg"].items()
        }
    return terms


def summarise(
    queryset, locale, request=None, *, related=RELATED, relative_urls: bool = False
) -> dict[int, EventSummary]:
    """``EventSummary`` of each event of ``queryset`` by page id, in ``locale`` where translated.

    Two queries (the events with their venues; the translations of those not in ``locale``), plus one for each of
    the lists named in ``related`` (``RELATED``: all of them); the lists not named stay empty. URLs are full URLs,
    as ``page.get_full_url(request)`` gives, or with ``relative_urls`` as ``page.get_url(request)`` (and
    ``{% pageurl %}``) give.
    """
    events = list(queryset.order_by().annotate(modified=modified()).values(*EVENT_FIELDS))
    if not events:
        return {}
    ids = [event["pk"] for event in events]
    related = frozenset(related or ())
    organisers = organisers_by_event(ids) if "organisers" in related else {}
    terms = terms_by_event([relation for relation in TERM_RELATIONS if relation in related], ids)
    audiences, languages, themes, facilities, sdgs = (
        terms.get(relation, {}) for relation in ("audience_groups", "languages", "themes", "accessibility", "sdg")
    )
    schedules = schedule_texts(events, locale.language_code) if "schedule" in related else {}
    pages = [*events, *(partner for partners in organisers.values() for partner in partners)]
    pages += [{name: event[f"venue__{name}"] for name in PAGE_FIELDS} for event in events if event["venue_id"]]
    keys = (page["translation_key"] for page in pages if page["locale_id"] != locale.pk)
    translated = pages_in_any_model().annotate(modified=modified()).translations_in(locale, keys, *TRANSLATED_FIELDS)
    url = PageURLs(request, relative=relative_urls)
    summaries = {}
    for event in events:
        pk = event["pk"]
        shown = translated.get(event["translation_key"], event)
        refs = (partner_ref(partner, translated, url) for partner in organisers.get(pk, ()))
        summaries[pk] = EventSummary(
            pk=pk,
            uuid=event["uuid"],
            language=locale.language_code if shown is not event else event["locale__language_code"],
            title=shown["title"],
            url=url(shown["url_path"]),
            summary=shown["summary"] if shown is event else shown["eventpage__summary"],
            attendance_mode=event["attendance_mode"],
            venue=venue_of(event, shown, translated, url),
            address=Address.from_row(event),
            min_age=event["min_age"],
            max_age=event["max_age"],
            is_free=event["is_free"],
            price=event["price"],
            currency=event["currency"],
            price_note=event["price_note"],
            registration_required=event["registration_required"],
            registration_url=event["registration_url"],
            registration_email=event["registration_email"],
            registration_status=event["registration_status"],
            status=event["status"],
            status_reason=event["status_reason"] if shown is event else shown["eventpage__status_reason"],
            first_published_at=event["first_published_at"],
            last_modified=last_modified(event, shown),
            organisers=tuple(ref for ref in refs if ref is not None),
            audience_groups=tuple(audiences.get(pk, ())),
            languages=tuple(languages.get(pk, ())),
            themes=tuple(themes.get(pk, ())),
            accessibility=tuple(facilities.get(pk, ())),
            sdg_goals=tuple(sdgs[pk]["goals"]) if pk in sdgs else (),
            sdg_targets=tuple(sdgs[pk]["targets"]) if pk in sdgs else (),
            schedule_text=schedules.get(pk, ""),
            **{name: event[name] for name in COURSE_FIELDS},
        )
    return summaries


def _shape(*classes) -> str:
    """A digest of the fields of ``classes``: what a kept summary's pickle holds, positionally (``PickledByValues``).

    It is part of the summaries' keys, so that a release whose summaries have other fields reads none that the
    previous release kept (in Redis, where both run during a rolling restart): those would unpickle into the wrong
    fields, or fail on a class the other release does not have.
    """
    fields = [(cls.__qualname__, [(f.name, str(f.type)) for f in dataclasses.fields(cls)]) for cls in classes]
    return hashlib.blake2s(repr(fields).encode(), digest_size=4).hexdigest()


SHAPE = _shape(EventSummary, Venue, Address, MunicipalityRef, PartnerRef)


def summaries_of(ids, locale, request=None, *, related=RELATED, relative_urls: bool = False) -> dict[int, EventSummary]:
    """``summarise`` for the events ``ids``, each kept under the content version (``cached_many``): a listing
    reads the summaries of its events in one cache round trip and builds only those it has not met since the
    last change (a new filter or search mostly lists events another request has listed).

    A summary holds URLs, so it is kept per way of writing them: relative or full, and the request's scheme and
    host (a page of another site is a full URL in either case); and per ``SHAPE`` of its fields.
    """
    from .models import EventPage

    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    base = request.build_absolute_uri("/") if request is not None else ""
    urls = hashlib.blake2s(f"{relative_urls}:{base}".encode(), digest_size=6).hexdigest()
    scope = f"{locale.pk}-{'.'.join(sorted(related or ()))}-{urls}-{SHAPE}"
    by_name = {f"event-summary-{pk}-{scope}": pk for pk in ids}

    def build(names: list[str]) -> dict[str, EventSummary]:
        events = EventPage.objects.filter(pk__in=[by_name[name] for name in names])
        made = summarise(events, locale, request, related=related, relative_urls=relative_urls)
        return {name: made[by_name[name]] for name in names if by_name[name] in made}

    return {by_name[name]: summary for name, summary in cached_many(list(by_name), build).items()}


def schedule_texts(events: list[dict], language: str) -> dict[int, str]:
    """The short ``schedule_text`` of each series among ``events`` (``EVENT_FIELDS`` rows), by page id, in
    ``language``; one query for their dates without the event, none when no event repeats."""
    from .feeds.calendar_rows import ScheduleFields, _ChildRows
    from .models import EventExcludedDate
    from .schedule_text import describe

    series = [event for event in events if event["frequency"]]
    if not series:
        return {}
    excluded: dict[int, _ChildRows] = {}
    rows = EventExcludedDate.objects.filter(page_id__in=[event["pk"] for event in series])
    for row in rows.order_by("page_id", "first_day", "pk").only("page_id", "first_day", "last_day"):
        excluded.setdefault(row.page_id, _ChildRows()).append(row)
    texts = {}
    with translation.override(language):
        for event in series:
            fields = SimpleNamespace(**{name: event[name] for name in (*SCHEDULE_FIELDS, "status")})
            schedule = ScheduleFields(fields, _ChildRows(), excluded.get(event["pk"], _ChildRows()), _ChildRows())
            texts[event["pk"]] = describe(schedule.schedule())
    return texts


def last_modified(event: dict, shown: dict) -> datetime:
    """The later ``modified`` of the event and the translation shown, in whole UTC seconds."""
    stamp = max((row["modified"] for row in (event, shown) if row["modified"]), default=EPOCH)
    return stamp.astimezone(UTC).replace(microsecond=0)


def partner_ref(partner: dict, translated: dict, url: PageURLs) -> PartnerRef | None:
    """The partner in the shown language, else its source page if that is live; ``None`` when neither is."""
    shown = translated.get(partner["translation_key"]) or (partner if partner["live"] else None)
    if shown is None:
        return None
    return PartnerRef(str(partner["translation_key"]), shown["title"], url(shown["url_path"]))


def venue_of(event: dict, shown: dict, translated: dict, url: PageURLs) -> Venue | None:
    """The partner hosting the event (with its address), else the event's own place (named in ``shown``, the
    event's row or its translation's), else ``None``."""
    if event["venue_id"]:
        venue = {name: event[f"venue__{name}"] for name in PAGE_FIELDS}
        shown = translated.get(venue["translation_key"]) or venue
        return Venue(
            str(venue["translation_key"]),
            shown["title"],
            url(shown["url_path"]) if shown["live"] else None,
            Address.from_row(event, "venue__"),
        )
    name = event["venue_name"] if shown is event else shown["eventpage__venue_name"]
    if name or event["street"] or event["municipality_id"]:
        return Venue(None, name, None, Address.from_row(event))
    return None
