"""The agenda's FilterSet: the parameters the agenda page, the feeds and the API share."""

from datetime import UTC, date, datetime, time

import time_machine
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import SimpleTestCase, TestCase

from events.filters import EventFilterSet, preset_dates
from events.models import AudienceGroup, EventStatus, Theme
from learningcity.filters import parse_integer, search_terms
from learningcity.models import SDGTarget
from partners.models import Language
from tests.learningcity.utils import make_portal
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday


def query(string: str) -> QueryDict:
    return QueryDict(string)


@time_machine.travel(NOW, tick=False)
class EventFilterSetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            home, _locales = make_portal()
            agenda = EventIndexPageFactory(parent=home)
            directory = PartnerIndexPageFactory(parent=home)
            cls.noord = MunicipalityFactory(code="99001", name="Lindeveld")
            cls.zuid = MunicipalityFactory(code="99002", name="Beekdonk")
            cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek", municipality=cls.noord)
            cls.school = PartnerPageFactory(parent=directory, title="School", municipality=cls.zuid)

            reading = EventPageFactory(
                parent=agenda, title="Voorlezen", start_date=date(2026, 3, 4), min_age=3, max_age=6, venue=cls.library
            )
            reading.organisers.set([cls.library])
            reading.audience_groups.set(AudienceGroup.objects.filter(code="children"))
            reading.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
            reading.themes.set(Theme.objects.filter(code="reading"))
            reading.sdg_targets.set(SDGTarget.objects.filter(code="4.2"))
            cls.reading = publish(reading)

            coding = EventPageFactory(
                parent=agenda,
                title="Programmeren",
                start_date=date(2026, 3, 7),
                min_age=12,
                is_free=False,
                price=5,
                venue=cls.school,
            )
            coding.organisers.set([cls.school, cls.library])
            coding.themes.set(Theme.objects.filter(code="stem"))
            coding.languages.set(Language.objects.filter(code="nl"))
            coding.sdg_targets.set(SDGTarget.objects.filter(code="4.4"))
            cls.coding = publish(coding)

            cafe = EventPageFactory(
                parent=agenda, title="Taalcafé", start_date=date(2026, 3, 3), frequency="weekly", weekdays=[1], count=4
            )
            cafe.languages.set(Language.objects.filter(code="fr"))
            cls.cafe = publish(cafe, exceptions=[{"original_date": date(2026, 3, 10), "status": EventStatus.CANCELLED}])

    def run_filter(self, string):
        filterset = EventFilterSet(query(string))
        self.assertTrue(filterset.is_valid(), filterset.parameter_errors())
        return [(o.event.title, o.start.date().isoformat()) for o in filterset.qs.select_related("event")]

    def errors(self, string):
        filterset = EventFilterSet(query(string))
        self.assertFalse(filterset.is_valid())
        return filterset.parameter_errors()

    def titles(self, string):
        return sorted({title for title, _day in self.run_filter(string)})

    def test_filter_sets_made_side_by_side_keep_their_own_filters_and_values(self):
        # The declared filters are copied per FilterSet (learningcity.compat.FilterCopies), not deep-copied.
        free, paying = EventFilterSet(query("free=true")), EventFilterSet(query("free=false&theme=stem"))
        self.assertTrue(free.is_valid() and paying.is_valid())
        self.assertEqual({o.event.title for o in paying.qs.select_related("event")}, {"Programmeren"})
        self.assertEqual({o.event.title for o in free.qs.select_related("event")}, {"Voorlezen", "Taalcafé"})
        self.assertIs(free.filters["free"].parent, free)
        self.assertIsNot(free.filters["free"], EventFilterSet.base_filters["free"])
        self.assertIsNot(free.form.fields["theme"], paying.form.fields["theme"])

    def test_forms_made_side_by_side_keep_their_own_fields_and_choices(self):
        # Each form copies its class's fields, their lists of choices shallowly (learningcity.compat.FieldCopies).
        first, second = EventFilterSet(query("")).form, EventFilterSet(query("")).form
        declared = type(first).base_fields["theme"]
        for form in (first, second):
            self.assertIsNot(form.fields["theme"], declared)
            self.assertIsNot(form.fields["theme"].widget, declared.widget)
            self.assertEqual(form.fields["theme"].choices, declared.choices)
            self.assertTrue(form.fields["theme"].choices)
        first.fields["theme"].choices.append(("elsewhere", "Elsewhere"))
        first.fields["theme"].widget.choices.append(("elsewhere", "Elsewhere"))
        first.fields["theme"].widget.attrs["class"] = "changed"
        first.fields["theme"].error_messages["invalid_choice"] = "changed"
        first.fields["municipality"].choices = [("GM0001", "Changed")]
        first.fields["from"].widget.attrs["class"] = "changed"
        first.fields["from"].validators.append(lambda value: None)
        self.assertNotIn(("elsewhere", "Elsewhere"), second.fields["theme"].choices)
        self.assertNotIn(("elsewhere", "Elsewhere"), declared.choices)
        self.assertNotIn(("elsewhere", "Elsewhere"), second.fields["theme"].widget.choices)
        self.assertNotIn(("elsewhere", "Elsewhere"), declared.widget.choices)
        self.assertEqual(second.fields["theme"].widget.choices, declared.choices)
        self.assertNotIn("class", second.fields["theme"].widget.attrs)
        self.assertNotEqual(second.fields["theme"].error_messages["invalid_choice"], "changed")
        self.assertNotEqual(second.fields["municipality"].choices, [("GM0001", "Changed")])
        self.assertNotIn("class", second.fields["from"].widget.attrs)
        self.assertNotIn("class", type(first).base_fields["from"].widget.attrs)
        self.assertEqual(len(second.fields["from"].validators), len(type(first).base_fields["from"].validators))
        self.assertIs(type(second.fields["from"].widget), type(type(first).base_fields["from"].widget))
        # A ChoiceFilter's choices (django-filter's iterator, which reads its own field's empty label) follow the copy.
        first.fields["when"].empty_label = "Whenever"
        self.assertEqual(list(first.fields["when"].choices)[0], ("", "Whenever"))
        self.assertEqual(list(first.fields["when"].widget.choices)[0], ("", "Whenever"))
        self.assertNotIn(("", "Whenever"), list(second.fields["when"].choices))
        self.assertNotIn(("", "Whenever"), list(type(first).base_fields["when"].choices))
        third = EventFilterSet(query("theme=elsewhere"))
        self.assertFalse(third.is_valid())
        self.assertIn("theme", third.parameter_errors())

    def test_without_dates_lists_ongoing_and_upcoming_without_cancelled_dates(self):
        self.assertEqual(
            self.run_filter(""),
            [
                ("Taalcafé", "2026-03-03"),
                ("Voorlezen", "2026-03-04"),
                ("Programmeren", "2026-03-07"),
                ("Taalcafé", "2026-03-17"),
                ("Taalcafé", "2026-03-24"),
            ],
        )

    def test_status_shows_cancelled_dates_when_asked(self):
        self.assertEqual(self.run_filter("status=cancelled"), [("Taalcafé", "2026-03-10")])

    def test_from_and_to_are_local_dates_inclusive(self):
        self.assertEqual(self.titles("from=2026-03-04&to=2026-03-07"), ["Programmeren", "Voorlezen"])
        self.assertEqual(self.titles("from=2026-03-05&to=2026-03-06"), [])

    def test_presets(self):
        self.assertEqual(self.titles("when=today"), ["Taalcafé"])
        self.assertEqual(self.titles("when=weekend"), ["Programmeren"])
        self.assertEqual(self.titles("when=week"), ["Programmeren", "Taalcafé", "Voorlezen"])

    def test_weekend_preset_on_saturday_and_sunday(self):
        self.assertEqual(preset_dates("weekend", date(2026, 3, 7)), (date(2026, 3, 7), date(2026, 3, 8)))
        self.assertEqual(preset_dates("weekend", date(2026, 3, 8)), (date(2026, 3, 8), date(2026, 3, 8)))
        self.assertEqual(preset_dates("weekend", date(2026, 3, 2)), (date(2026, 3, 7), date(2026, 3, 8)))

    def test_age_matches_the_events_age_range_with_open_bounds(self):
        self.assertEqual(self.titles("age=4"), ["Taalcafé", "Voorlezen"])
        self.assertEqual(self.titles("age=40"), ["Programmeren", "Taalcafé"])
        self.assertEqual(self.titles("age=4&age=40"), ["Programmeren", "Taalcafé", "Voorlezen"])

    def test_tag_filters_or_within_and_across_parameters(self):
        self.assertEqual(self.titles("language=ar"), ["Voorlezen"])
        self.assertEqual(self.titles("language=ar&language=fr"), ["Taalcafé", "Voorlezen"])
        self.assertEqual(self.titles("language=nl&theme=stem"), ["Programmeren"])
        self.assertEqual(self.titles("audience=children"), ["Voorlezen"])
        self.assertEqual(self.titles("sdg=4"), ["Programmeren", "Voorlezen"])
        self.assertEqual(self.titles("sdg=4.2"), ["Voorlezen"])
        self.assertEqual(self.titles("free=false"), ["Programmeren"])
        self.assertEqual(self.titles("free=true"), ["Taalcafé", "Voorlezen"])

    def test_organiser_venue_and_municipality(self):
        self.assertEqual(self.titles(f"organiser={self.library.pk}"), ["Programmeren", "Voorlezen"])
        self.assertEqual(self.titles(f"organiser={self.school.pk}"), ["Programmeren"])
        self.assertEqual(self.titles(f"venue={self.school.pk}"), ["Programmeren"])
        self.assertEqual(self.titles("municipality=99002"), ["Programmeren"])

    def test_partner_is_organiser_or_venue(self):
        self.assertEqual(self.titles(f"venue={self.library.pk}"), ["Voorlezen"])
        self.assertEqual(self.titles(f"partner={self.library.pk}"), ["Programmeren", "Voorlezen"])
        self.assertEqual(self.titles(f"partner={self.school.pk}"), ["Programmeren"])
        self.assertEqual(self.titles(f"partner={self.school.pk}&free=true"), [])

    def test_a_series_counts_once_per_matching_date_not_per_matching_tag(self):
        self.assertEqual(len(self.run_filter(f"organiser={self.library.pk}&organiser={self.school.pk}")), 2)
        self.assertEqual(len(self.run_filter(f"partner={self.library.pk}&partner={self.school.pk}")), 2)

    def test_invalid_values_name_their_parameter(self):
        cases = {
            "from=3-4-2026": "from",
            "to=2026-02-30": "to",
            "from=2026-03-10&to=2026-03-01": "to",
            "from=2020-01-01": "from",
            "to=2099-01-01": "to",
            "when=tomorrow": "when",
            "when=today&from=2026-03-04": "when",
            "age=-1": "age",
            "age=abc": "age",
            "age=121": "age",
            "free=maybe": "free",
            "language=xx": "language",
            "sdg=18": "sdg",
            "organiser=abc": "organiser",
            "organiser=999999": "organiser",
            "venue=0": "venue",
            "partner=999999": "partner",
            "partner=1.5": "partner",
            "municipality=12345": "municipality",
            "theme=cooking": "theme",
            "status=sleeping": "status",
            "colour=red": "colour",
        }
        for string, parameter in cases.items():
            with self.subTest(query=string):
                self.assertEqual(list(self.errors(string)), [parameter])

    def test_choice_errors_list_the_allowed_values(self):
        message = self.errors("theme=cooking")["theme"][0]
        self.assertIn("cooking", message)
        self.assertIn("stem", message)

    def test_blank_values_mean_no_filter(self):
        self.assertEqual(len(self.run_filter("from=&to=&q=&theme=")), 5)


class EventSearchFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            home, locales = make_portal()
            agenda = EventIndexPageFactory(parent=home)
            publish(EventPageFactory(parent=agenda, title="Robotica voor beginners", start_date=date(2026, 3, 5)))
            publish(EventPageFactory(parent=agenda, title="Breien", start_date=date(2026, 3, 5), start_time=time(10)))
            cls.locales = locales

    @time_machine.travel(NOW, tick=False)
    def test_q_searches_the_events_as_the_filter_sets_locale_shows_them(self):
        filterset = EventFilterSet(query("q=robotica"), locale=self.locales["nl"])
        self.assertTrue(filterset.is_valid())
        self.assertEqual([o.event.title for o in filterset.qs], ["Robotica voor beginners"])
        # Untranslated, the event is shown in French under its Dutch title, and found by it.
        filterset = EventFilterSet(query("q=robotica"), locale=self.locales["fr"])
        self.assertTrue(filterset.is_valid())
        self.assertEqual([o.event.title for o in filterset.qs], ["Robotica voor beginners"])
        filterset = EventFilterSet(query("q=robot"), locale=self.locales["nl"])
        self.assertEqual([o.event.title for o in filterset.qs], ["Robotica voor beginners"])
        filterset = EventFilterSet(query("q=brei"), locale=self.locales["nl"])
        self.assertEqual([o.event.title for o in filterset.qs], ["Breien"])


class ParameterParsingTests(SimpleTestCase):
    """The shared readers of numbers and search words (``learningcity.filters``)."""

    def test_whole_numbers_are_ascii_digits_within_their_bounds(self):
        for raw, expected in (("0", 0), ("7", 7), ("007", 7), ("999999999", 999_999_999)):
            with self.subTest(raw=raw):
                self.assertEqual(parse_integer(raw, minimum=0), expected)
        self.assertEqual(parse_integer("-3", minimum=-5), -3)
        for raw in ("²", "٣", "１", "𝟕", "1000000000", "-1", "+1", "1.0", "1e3", " 1", "1\n", "", "-", "9" * 5000):
            with self.subTest(raw=raw[:12]), self.assertRaises(ValidationError):
                parse_integer(raw, minimum=0)
        with self.assertRaises(ValidationError):
            parse_integer("121", minimum=0, maximum=120)

    def test_a_long_value_is_quoted_short_in_the_message(self):
        with self.assertRaises(ValidationError) as raised:
            parse_integer("9" * 5000, minimum=0)
        self.assertLess(len(raised.exception.messages[0]), 200)

    def test_search_keeps_the_words_and_drops_every_syntax_character(self):
        for raw, expected in (
            ('"', ""),
            ('"taal café', "taal café"),
            ("lezen* (kinderen) -volwassenen", "lezen kinderen volwassenen"),
            ("a:b NEAR c", "a b NEAR c"),
            ("nul\x00byte", "nul byte"),
            ("école ١٢", "école ١٢"),
        ):
            with self.subTest(raw=raw):
                self.assertEqual(search_terms(raw), expected)
