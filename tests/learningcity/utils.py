"""Test helpers: a small multilingual portal like the one the demo builds."""

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.test import TestCase
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from .factories import HomePageFactory


class LeavesTheDatabaseAsMigrated:
    """For a ``TransactionTestCase``: put back, after each test, the rows migrations made.

    A ``TransactionTestCase`` empties every table when a test ends. Django's runner runs such tests last, but a
    worker of ``pytest -n`` may be handed a ``TestCase`` class after one, which would then find no content types,
    locales, root page or SDG goals. With this mixin the next test, of any kind, finds the database as migrated.
    """

    serialized_rollback = True

    def _fixture_teardown(self):
        super()._fixture_teardown()
        for alias in self._databases_names(include_mirrors=False):
            connection = connections[alias]
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()


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
