"""``{% checkbox_group %}``: a multiple-choice filter's checkboxes, written as the template that reads them through
Django's ``BoundField`` would write them."""

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import TestCase

from events.filters import EventFilterSet
from learningcity.templatetags.learningcity_tags import CHECKBOX_GROUP_TEMPLATE, checkbox_group
from partners.filters import ChildCentreFilterSet, PartnerFilterSet

from ..partners.factories import MunicipalityFactory
from .utils import make_portal


class CheckboxGroupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        MunicipalityFactory(code="GM0344", name="Utrecht")

    def groups(self, filterset_class, query: str):
        form = filterset_class(QueryDict(query), locale=self.locales["nl"]).form
        form.is_valid()
        return [form[name] for name, field in form.fields.items() if isinstance(field, forms.MultipleChoiceField)]

    def test_each_group_is_written_as_the_template_writes_it(self):
        cases = (
            (EventFilterSet, "theme=languages&theme=reading&level=beginner&status=nonsense&municipality=GM0344"),
            (EventFilterSet, ""),
            (PartnerFilterSet, "kind=library&language=nl&accessibility=unknown"),
            (ChildCentreFilterSet, "service=daycare"),
        )
        written = 0
        for filterset_class, query in cases:
            for field in self.groups(filterset_class, query):
                with self.subTest(filterset=filterset_class.__name__, query=query, field=field.name):
                    if not list(field.field.choices):  # the template wrote an empty fieldset
                        self.assertEqual(checkbox_group(field), "")
                        continue
                    expected = render_to_string(CHECKBOX_GROUP_TEMPLATE, {"field": field})
                    self.assertHTMLEqual(checkbox_group(field), expected)
                    written += 1
        self.assertGreater(written, 10)

    def test_a_chosen_value_is_checked_and_an_error_is_named(self):
        (theme,) = [field for field in self.groups(EventFilterSet, "theme=languages") if field.name == "theme"]
        html = str(checkbox_group(theme))
        index = [value for value, _label in theme.field.choices].index("languages")
        self.assertInHTML(
            f'<input type="checkbox" name="theme" value="languages" id="id_theme_{index}" checked>', html, count=1
        )
        self.assertEqual(html.count(" checked"), 1)
        (status,) = [field for field in self.groups(EventFilterSet, "status=nonsense") if field.name == "status"]
        html = str(checkbox_group(status))
        self.assertIn('aria-describedby="filter-status-errors"', html)
        self.assertIn('<ul class="errorlist" id="filter-status-errors"><li>', html)
        self.assertIn("nonsense", html)

    def test_choices_in_groups_are_left_to_the_template(self):
        class Grouped(forms.Form):
            kind = forms.MultipleChoiceField(
                choices=[("Onderwijs", [("school", "School"), ("library", "Bibliotheek")]), ("ngo", "Ngo")],
                widget=forms.CheckboxSelectMultiple,
            )

        field = Grouped({"kind": ["library"]})["kind"]
        html = checkbox_group(field)
        self.assertHTMLEqual(html, render_to_string(CHECKBOX_GROUP_TEMPLATE, {"field": field}))
        self.assertIn("Bibliotheek", html)
