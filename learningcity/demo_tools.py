"""Helpers for building translated demo content; each app's ``demo.py`` uses them.

Content is written in Dutch and translated through wagtail-localize, exactly as an editor would: the
translations are synchronised translations that the editors can open and change in the admin.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.db.models.signals import post_save
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

SOURCE_LANGUAGE = "nl"

T = TypeVar("T")


@dataclass
class DemoReport:
    """What a demo run created, so a second run can say it changed nothing; and how far it got, as it goes."""

    created: list[str] = field(default_factory=list)
    # Where progress is written (the command's output, without line ends); None: nowhere.
    write: Callable[[str], None] | None = None

    def add(self, label: str) -> None:
        self.created.append(label)

    def counted(self, items: Sequence[T], label: str, every: int = 25) -> Iterator[T]:
        """Go through ``items``, saying how many are done every ``every`` items (`` translated 25 50 … 151,``), so that
        a long step of the demo is never silent for long."""
        if self.write is not None and items:
            self.write(f" {label}")
        for done, item in enumerate(items, 1):
            yield item
            if self.write is not None:
                if done == len(items):
                    self.write(f" {done},")
                elif done % every == 0:
                    self.write(f" {done}")


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Update the search indexes and Wagtail's reference index once per saved object, when the block ends.

    A demo page is saved several times (created, revision, published, translated, published again); each save
    would index it again. Inside this block saves are only noted; at the end every noted object that still
    exists is indexed once, in its final state. Deletions are handled as usual. Use it inside the transaction.
    """
    from modelsearch import index as search_index
    from modelsearch.backends import get_search_backends
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from .search import signals as site_search

    searched = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    to_search: dict[type, dict] = {}
    to_reference: dict[type, dict] = {}

    def note(sender, instance, raw=False, **kwargs):
        if raw:
            return
        if sender in searched_set:
            to_search.setdefault(sender, {})[instance.pk] = None
        # A child row (ParentalKey) is indexed as part of its parent, as Wagtail's own task does.
        model, pk = sender, instance.pk
        while (parental := next((f for f in model._meta.get_fields() if isinstance(f, ParentalKey)), None)) is not None:
            if instance is not None:
                parent_pk = getattr(instance, parental.attname)
            else:
                parent_pk = model._default_manager.filter(pk=pk).values_list(parental.attname, flat=True).first()
            if parent_pk is None:
                return
            model, pk, instance = parental.related_model, parent_pk, None
        if ReferenceIndex.is_indexed(model):
            to_reference.setdefault(model, {})[pk] = None

    searched_set = set(searched)
    for model in searched:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(note, weak=False, dispatch_uid="demo-deferred-indexing")
    try:
        with disable_reference_index_auto_update(), site_search.deferred():
            yield
    finally:
        post_save.disconnect(dispatch_uid="demo-deferred-indexing")
        for model in searched:
            post_save.connect(post_save_signal_handler, sender=model)
    # One bulk write per model and backend, as ``rebuild_modelsearch_index`` does, instead of one per object.
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in to_search.items():
        by_model: dict[type, list] = {}
        for instance in model.get_indexed_objects().filter(pk__in=list(pks)):
            indexed = instance.get_indexed_instance()
            if indexed is not None:
                by_model.setdefault(type(indexed), []).append(indexed)
        for indexed_model, objects in by_model.items():
            for backend in backends:
                backend.add_bulk(indexed_model, objects)
    for model, pks in to_reference.items():
        for instance in model._default_manager.filter(pk__in=list(pks)):
            ReferenceIndex.create_or_update_for_object(instance)


def text(nl: str, en: str, fr: str) -> dict[str, str]:
    return {"nl": nl, "en": en, "fr": fr}


def target_locales() -> list[Locale]:
    return list(Locale.objects.exclude(language_code=SOURCE_LANGUAGE).order_by("language_code"))


def collect_strings(*values: dict[str, str]) -> dict[str, dict[str, str]]:
    """Map each Dutch text to its translations: ``{"Welkom": {"en": "Welcome", "fr": "Bienvenue"}}``."""
    return {value[SOURCE_LANGUAGE]: value for value in values}


@transaction.atomic
def translate(instance, strings: dict[str, dict[str, str]], report: DemoReport | None = None) -> None:
    """Create the missing translations of ``instance`` (a page or a translatable snippet) in every locale.

    Segments without an entry in ``strings`` keep the Dutch text (wagtail-localize's fallback). A page's slug is
    translated too, as its translated title slugified (``/en/events/``, not ``/en/agenda/``); wagtail-localize makes
    it unique among the translation's siblings.
    """
    existing = {obj.locale_id for obj in instance.get_translations(inclusive=False)}
    locales = [locale for locale in target_locales() if locale.pk not in existing]
    if not locales:
        return
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    for locale in locales:
        translated = {}
        for segment in segments:
            text = strings.get(segment.string.data, {}).get(locale.language_code)
            if isinstance(instance, Page) and segment.context.path == "slug":
                text = slugify(strings.get(instance.title, {}).get(locale.language_code, ""))
            if text:
                translated[(segment.string_id, segment.context_id)] = text
        store_translated_strings(translated, locale)
        translation, _created = Translation.objects.update_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        if isinstance(instance, Page):
            # save_target(publish=True) publishes on commit, from a revision that remembers the page's tree
            # position at that moment; publishing now, from a fresh revision, keeps the tree consistent when
            # the whole demo loads in one transaction.
            translation.save_target(publish=False)
            instance.get_translation(locale).get_latest_revision().publish()
        else:
            translation.save_target(publish=True)
        if report is not None:
            report.add(f"{instance} ({locale.language_code})")


@transaction.atomic
def sync_translations(page: Page, report: DemoReport | None = None) -> None:
    """Bring the page's changes to its translations, as "Sync translated pages" does, and publish them.

    Texts translated before stay translated; synchronised fields and child rows (featured offers) follow the page.
    """
    source, _created = TranslationSource.update_or_create_from_instance(page)
    for translation in Translation.objects.filter(source=source, enabled=True).select_related("target_locale"):
        translation.save_target(publish=False)  # published now, as ``translate`` explains
        page.get_translation(translation.target_locale).get_latest_revision().publish()
        if report is not None:
            report.add(f"{page} ({translation.target_locale.language_code}, synchronised)")


def store_translated_strings(translated: dict[tuple[int, int], str], locale: Locale) -> None:
    """Keep the manual translations of ``translated``'s (string id, context id) pairs in ``locale``.

    One query finds those already there, which are saved as usual; the new ones are written in one statement,
    where ``update_or_create`` would take six queries each. Saving a new one would check its markup (the demo's
    texts are plain) and set the draft title of a translated page that does not exist yet: nothing to do.
    """
    if not translated:
        return
    translated = dict(translated)
    manual = StringTranslation.TRANSLATION_TYPE_MANUAL
    existing = StringTranslation.objects.filter(
        locale=locale,
        translation_of_id__in={string_id for string_id, _context_id in translated},
        context_id__in={context_id for _string_id, context_id in translated},
    )
    for row in existing:
        data = translated.pop((row.translation_of_id, row.context_id), None)
        if data is not None:
            row.data, row.translation_type = data, manual
            row.save()
    StringTranslation.objects.bulk_create(
        StringTranslation(
            translation_of_id=string_id, context_id=context_id, locale=locale, data=data, translation_type=manual
        )
        for (string_id, context_id), data in translated.items()
    )


def get_or_create_page(parent: Page, model, slug: str, report: DemoReport, **fields) -> Page:
    """The child of ``parent`` with ``slug``, created and published when missing; an existing page is left alone."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.add(f"{model._meta.verbose_name}: {page.title}")
    return page
