"""The learning city offers a registry and names none of the apps that build on it."""

import ast
from pathlib import Path

from django.apps import apps
from django.test import SimpleTestCase

from learningcity import registry

APPS_BUILDING_ON_IT = {"partners", "events"}


class RegistryTests(SimpleTestCase):
    def test_learningcity_imports_no_app_that_builds_on_it(self):
        for path in Path(apps.get_app_config("learningcity").path).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                for name in names:
                    with self.subTest(path=path.name, module=name):
                        self.assertNotIn(name.split(".")[0], APPS_BUILDING_ON_IT)

    def test_apps_register_their_change_logged_models(self):
        self.assertEqual(
            registry.change_types(),
            {
                "partners.partnerpage": "partner",
                "partners.childcentrepage": "childcentre",
                "partners.partnership": "partnership",
                "partners.network": "network",
                "partners.municipality": "municipality",
                "events.eventpage": "event",
                "events.eventindexpage": "eventindexpage",
                "partners.partnerindexpage": "partnerindexpage",
                "partners.childcentreindexpage": "childcentreindexpage",
                "learningcity.homepage": "homepage",
                "learningcity.contentpage": "contentpage",
                "learningcity.sdgindexpage": "sdgindexpage",
            },
        )

    def test_records_and_indexes_renew_no_cache(self):
        renews = {model._meta.label_lower: registry.renews_caches(model) for model in apps.get_models()}
        for label in ("events.eventpage", "partners.childcentrepage", "learningcity.homepage", "wagtailimages.image"):
            with self.subTest(label):
                self.assertTrue(renews[label])
        for label in ("events.occurrence", "learningcity.changelog", "wagtailcore.revision", "auth.user"):
            with self.subTest(label):
                self.assertFalse(renews[label])
        through = apps.get_model("events", "EventPage").sdg_targets.through
        self.assertTrue(registry.renews_caches(through))
