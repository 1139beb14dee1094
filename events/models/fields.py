"""A small model field for the weekdays of a weekly series."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import WEEKDAYS


class WeekdaysField(models.CharField):
    """A list of weekday numbers (0 = Monday), stored as ``"0,2"``; checkboxes in the admin."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = value.split(",")
        try:
            days = sorted({int(day) for day in value})
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Choose weekdays from Monday to Sunday.")) from exc
        if any(day < 0 or day > 6 for day in days):
            raise ValidationError(_("Choose weekdays from Monday to Sunday."))
        return days

    def get_prep_value(self, value):
        return ",".join(str(day) for day in self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        # CharField would compare the list against max_length and choices; the list is checked in to_python.
        pass

    def run_validators(self, value):
        pass

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": WEEKDAYS,
            "coerce": int,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        # Field.formfield would add CharField's max_length and empty_value; build the form field directly.
        form_class = defaults.pop("form_class")
        defaults.pop("choices_form_class", None)
        defaults.pop("max_length", None)
        return form_class(**defaults)
