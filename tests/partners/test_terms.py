from django.test import TestCase
from django.utils import translation

from partners.models import AccessibilityFacility, ChildCentreService, Language
from partners.models.taxonomy import TERM_LISTS


class TermListTests(TestCase):
    def test_the_migration_loads_every_term_of_every_list_in_order(self):
        for model in (AccessibilityFacility, Language, ChildCentreService):
            with self.subTest(model=model.__name__):
                self.assertEqual(list(model.objects.values_list("code", flat=True)), list(TERM_LISTS[model.__name__]))

    def test_labels_follow_the_active_language(self):
        facility = AccessibilityFacility.objects.get(code="step-free")
        with translation.override("en"):
            self.assertEqual(str(facility), "Step-free access")
        with translation.override("nl"):
            self.assertNotEqual(str(facility), "Step-free access")
