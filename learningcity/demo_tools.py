"""Helpers for building translated demo content; each app's ``demo.py`` uses them.

Content is written in Dutch and translated through wagtail-localize, exactly as an editor would: the
translations are synchronised translations that the editors can open and change in the admin.
"""

from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

SOURCE_LANGUAGE = "nl"


@dataclass
class DemoReport:
    """What a demo run created, so a second run can say it changed nothing."""

    created: list[str] = field(default_factory=list)

    def add(self, label: str) -> None:
        self.created.append(label)


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

    Segments without an entry in ``strings`` keep the Dutch text (wagtail-localize's fallback).
    """
    existing = {obj.locale_id for obj in instance.get_translations(inclusive=False)}
    locales = [locale for locale in target_locales() if locale.pk not in existing]
    if not locales:
        return
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    for locale in locales:
        for segment in segments:
            translated = strings.get(segment.string.data, {}).get(locale.language_code)
            if translated:
                StringTranslation.objects.update_or_create(
                    translation_of=segment.string,
                    locale=locale,
                    context=segment.context,
                    defaults={
                        "data": translated,
                        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    },
                )
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
