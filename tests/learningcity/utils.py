"""Test helpers: a small multilingual portal like the one the demo builds."""

from django.test import TestCase
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from .factories import HomePageFactory


def make_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("nl", "en", "fr")}


def make_portal(**home_fields):
    """A Dutch home page as the default site's root, with its English and French translations."""
    locales = make_locales()
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="proefstad", locale=locales["nl"], **home_fields)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Proefstad")
    for code in ("en", "fr"):
        sync_translation(home, locales[code])
    return home, locales


def sync_translation(instance, locale):
    """Create or update the synchronised wagtail-localize translation of ``instance`` in ``locale``."""
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    # wagtail-localize publishes on commit; run that inside the test's transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)
    return instance.get_translation(locale)


def queries_but_the_content_version(captured) -> list[str]:
    """The SQL of ``captured`` queries but the content version's, which a request reads once when each worker
    process caches in its own memory (``learningcity.caching``)."""
    read = 'FROM "learningcity_contentversion"'
    statements = [query["sql"] for query in captured]
    if sum(read in sql for sql in statements) > 1:
        raise AssertionError("The content version was read more than once in a request.")
    return [sql[:120] for sql in statements if read not in sql]
