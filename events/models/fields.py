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


class NumberListField(models.CharField):
    """A set of small whole numbers within ``allowed``, stored as ``"1,15"``; the base of the fields below."""

    allowed: tuple[int, ...] = ()
    error = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        try:
            return self.to_python(value)
        except ValidationError:
            return []  # a stored value no longer allowed reads as none: the series falls back to its start date

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [part for part in value.replace(" ", "").split(",") if part]
        try:
            numbers = sorted({int(number) for number in value}, key=self.sort_key)
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error) from exc
        if any(number not in self.allowed for number in numbers):
            raise ValidationError(self.error)
        return numbers

    @staticmethod
    def sort_key(number: int):
        return (number < 0, number)

    def get_prep_value(self, value):
        return ",".join(str(number) for number in self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        pass

    def run_validators(self, value):
        pass


class OrdinalsField(NumberListField):
    """Which weekdays of the month a series takes: 1–4 (first to fourth) and -1 (last); checkboxes in the admin."""

    allowed = (1, 2, 3, 4, -1)
    error = _("Choose first, second, third, fourth or last.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        from ..enums import Ordinal

        return forms.TypedMultipleChoiceField(
            choices=Ordinal.choices,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class MonthDaysFormField(forms.CharField):
    """Days of the month typed as ``1, 15``."""

    def __init__(self, **kwargs):
        self.model_field = kwargs.pop("model_field")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > self.model_field.max_length:
            raise ValidationError(self.model_field.error)
        return self.model_field.to_python(value)


class MonthDaysField(NumberListField):
    """Days of the month (1–31) a monthly series takes, e.g. the 1st and the 15th; typed as ``1, 15``."""

    allowed = tuple(range(1, 32))
    error = _("Give days of the month from 1 to 31, separated by commas, e.g. 1, 15.")

    def formfield(self, **kwargs):
        return MonthDaysFormField(
            model_field=self,
            required=False,
            label=self.verbose_name,
            help_text=self.help_text,
        )
