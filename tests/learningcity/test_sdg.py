import importlib
import re

from django.apps import apps as django_apps
from django.test import TestCase
from django.utils import translation
from django.utils.html import escape
from wagtail.test.utils import WagtailPageTestCase

from learningcity.filters import SDGFilter, StrictFilterSet
from learningcity.models import ContentPage, SDGGoal, SDGTarget
from learningcity.sdg import filter_by_sdg, valid_codes

from .factories import ContentPageFactory, SDGIndexPageFactory
from .utils import make_portal, sync_translation

EXPECTED_TARGETS_PER_GOAL = {
    1: 7,
    2: 8,
    3: 13,
    4: 10,
    5: 9,
    6: 8,
    7: 5,
    8: 12,
    9: 8,
    10: 10,
    11: 10,
    12: 11,
    13: 5,
    14: 10,
    15: 12,
    16: 12,
    17: 19,
}


class SDGTaxonomyTests(TestCase):
    def test_the_migration_loads_17_goals_and_169_targets(self):
        self.assertEqual(list(SDGGoal.objects.values_list("number", flat=True)), list(range(1, 18)))
        self.assertEqual(SDGTarget.objects.count(), 169)
        for goal in SDGGoal.objects.prefetch_related("targets"):
            with self.subTest(goal=goal.number):
                self.assertEqual(len(goal.targets.all()), EXPECTED_TARGETS_PER_GOAL[goal.number])

    def test_targets_use_the_un_numbering(self):
        codes = [target.code for target in SDGTarget.objects.select_related("goal")]
        for code in codes:
            self.assertRegex(code, r"^(?:[1-9]|1[0-7])\.(?:[1-9]|1[0-9]|[a-d])$")
        education = list(SDGTarget.objects.filter(goal__number=4).values_list("code", flat=True))
        self.assertEqual(education, ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.a", "4.b", "4.c"])
        cities = list(SDGTarget.objects.filter(goal__number=11).values_list("code", flat=True))
        self.assertEqual(cities, [f"11.{n}" for n in range(1, 8)] + ["11.a", "11.b", "11.c"])
        self.assertEqual(SDGTarget.objects.filter(goal__number=17).last().code, "17.19")

    def test_each_target_belongs_to_the_goal_its_code_names(self):
        for target in SDGTarget.objects.select_related("goal"):
            self.assertEqual(target.code.split(".")[0], str(target.goal.number))

    def test_goal_titles_exist_in_dutch_english_and_french(self):
        for goal in SDGGoal.objects.all():
            for language in ("nl", "en", "fr"):
                with self.subTest(goal=goal.number, language=language):
                    self.assertTrue(goal.titles.get(language))
        education = SDGGoal.objects.get(number=4)
        with translation.override("nl"):
            self.assertEqual(education.title, "Kwaliteitsonderwijs")
        with translation.override("fr"):
            self.assertEqual(education.title, "Éducation de qualité")

    def test_every_target_has_dutch_english_and_french_texts(self):
        for target in SDGTarget.objects.all():
            with self.subTest(target=target.code):
                for language in ("nl", "en", "fr"):
                    self.assertGreater(len(target.texts.get(language, "")), 20, language)
                self.assertNotEqual(target.texts["nl"], target.texts["en"])
                self.assertNotEqual(target.texts["fr"], target.texts["en"])

    def test_the_texts_migration_fills_in_missing_languages_and_keeps_others(self):
        migration = importlib.import_module("learningcity.migrations.0009_sdg_target_texts_nl")
        target = SDGTarget.objects.get(code="1.1")
        dutch = target.texts["nl"]
        german = "Bis 2030 die extreme Armut beseitigen"
        target.texts = {"en": target.texts["en"], "fr": target.texts["fr"], "de": german}
        target.save()

        migration.update_target_texts(django_apps, None)

        target.refresh_from_db()
        self.assertEqual(target.texts["nl"], dutch)
        self.assertEqual(target.texts["de"], german)

    def test_a_language_without_a_text_falls_back_to_english(self):
        target = SDGTarget.objects.get(code="4.7")
        with translation.override("de"):
            self.assertEqual(target.text, target.texts["en"])

    def test_codes_are_not_editable(self):
        for field_name in ("code", "goal", "position"):
            self.assertFalse(SDGTarget._meta.get_field(field_name).editable)
        self.assertFalse(SDGGoal._meta.get_field("number").editable)
        self.assertTrue(SDGTarget._meta.get_field("code").unique)

    def test_valid_codes_match_the_database(self):
        database_codes = set(SDGTarget.objects.values_list("code", flat=True)) | {str(n) for n in range(1, 18)}
        self.assertEqual(valid_codes(), database_codes)


class ContentPageFilter(StrictFilterSet):
    sdg = SDGFilter()

    class Meta:
        model = ContentPage
        fields = []


class SDGTaggingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.reading = ContentPageFactory(parent=cls.home, title="Voorlezen")
        cls.reading.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.2", "4.6"]))
        cls.reading.save()
        cls.housing = ContentPageFactory(parent=cls.home, title="Wonen")
        cls.housing.sdg_targets.set(SDGTarget.objects.filter(code__in=["11.1"]))
        cls.housing.save()
        cls.untagged = ContentPageFactory(parent=cls.home, title="Zonder doel")

    def titles(self, queryset):
        return sorted(queryset.values_list("title", flat=True))

    def test_goals_follow_from_targets(self):
        page = ContentPage.objects.prefetch_related("sdg_targets__goal").get(pk=self.reading.pk)
        self.assertEqual([goal.number for goal in page.sdg_goals], [4])

    def test_filter_by_goal_matches_any_of_its_targets(self):
        self.assertEqual(self.titles(filter_by_sdg(ContentPage.objects.all(), ["4"])), ["Voorlezen"])

    def test_filter_by_target_matches_only_that_target(self):
        self.assertEqual(self.titles(filter_by_sdg(ContentPage.objects.all(), ["4.6"])), ["Voorlezen"])
        self.assertEqual(self.titles(filter_by_sdg(ContentPage.objects.all(), ["4.7"])), [])

    def test_repeated_values_are_ored(self):
        queryset = filter_by_sdg(ContentPage.objects.all(), ["4.2", "11"])
        self.assertEqual(self.titles(queryset), ["Voorlezen", "Wonen"])

    def test_a_page_tagged_with_two_targets_of_one_goal_is_listed_once(self):
        self.assertEqual(filter_by_sdg(ContentPage.objects.all(), ["4"]).count(), 1)

    def test_filterset_accepts_goals_and_targets(self):
        filterset = ContentPageFilter({"sdg": ["4", "11.1"]}, queryset=ContentPage.objects.all())
        self.assertTrue(filterset.is_valid())
        self.assertEqual(self.titles(filterset.qs), ["Voorlezen", "Wonen"])

    def test_filterset_rejects_unknown_codes_naming_the_parameter(self):
        for bad in ("18", "4.9", "4.z", "abc", "0"):
            with self.subTest(value=bad):
                filterset = ContentPageFilter({"sdg": [bad]}, queryset=ContentPage.objects.all())
                self.assertFalse(filterset.is_valid())
                errors = filterset.parameter_errors()
                self.assertEqual(list(errors), ["sdg"])
                self.assertIn(bad, errors["sdg"][0])

    def test_filterset_rejects_unknown_parameters(self):
        filterset = ContentPageFilter({"sgd": "4"}, queryset=ContentPage.objects.all())
        self.assertFalse(filterset.is_valid())
        self.assertEqual(list(filterset.parameter_errors()), ["sgd"])

    def test_removing_the_last_tag_in_the_source_empties_the_translations_tags(self):
        english = sync_translation(self.housing, self.locales["en"])
        self.assertEqual(list(english.specific.sdg_targets.values_list("code", flat=True)), ["11.1"])
        source = ContentPage.objects.get(pk=self.housing.pk)
        source.sdg_targets.set([])
        source.save_revision().publish()
        sync_translation(source, self.locales["en"])
        self.assertEqual(ContentPage.objects.get(pk=english.pk).sdg_targets.count(), 0)

    def test_a_tag_removed_in_the_source_disappears_from_the_translation_after_sync(self):
        english = sync_translation(self.reading, self.locales["en"])
        self.assertEqual(sorted(english.specific.sdg_targets.values_list("code", flat=True)), ["4.2", "4.6"])
        source = ContentPage.objects.get(pk=self.reading.pk)
        source.sdg_targets.set(SDGTarget.objects.filter(code="4.2"))
        source.save_revision().publish()
        sync_translation(source, self.locales["en"])
        english = ContentPage.objects.get(pk=english.pk)
        self.assertEqual(list(english.sdg_targets.values_list("code", flat=True)), ["4.2"])


class SDGPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.sdg_page = SDGIndexPageFactory(parent=cls.home)
        cls.tagged = ContentPageFactory(parent=cls.home, title="Voorleesuurtje")
        cls.tagged.sdg_targets.set(SDGTarget.objects.filter(code="4.2"))
        cls.tagged.save_revision().publish()

    def test_overview_lists_all_goals(self):
        response = self.client.get("/nl/sdg/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kwaliteitsonderwijs")
        self.assertEqual(len(re.findall(r'class="sdg-goal ', response.content.decode())), 17)

    def test_goal_page_lists_what_is_tagged_with_it(self):
        response = self.client.get("/nl/sdg/4/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Voorleesuurtje")
        self.assertContains(response, "4.c")
        self.assertNotContains(response, 'class="empty-state"')

    def test_goal_page_without_tagged_content_says_so(self):
        response = self.client.get("/nl/sdg/13/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="empty-state"')
        self.assertNotContains(response, "Voorleesuurtje")

    def test_dutch_goal_pages_show_no_english_target_text(self):
        for goal in SDGGoal.objects.prefetch_related("targets"):
            with self.subTest(goal=goal.number):
                response = self.client.get(f"/nl/sdg/{goal.number}/")
                self.assertEqual(response.status_code, 200)
                for target in goal.targets.all():
                    self.assertContains(response, escape(target.texts["nl"]))
                    self.assertNotContains(response, escape(target.texts["en"]))

    def test_unknown_goal_is_404(self):
        self.assertEqual(self.client.get("/nl/sdg/18/").status_code, 404)

    def test_sdg_page_may_only_live_under_a_home_page(self):
        self.assertAllowedParentPageTypes(SDGIndexPageFactory._meta.model, {type(self.home)})
