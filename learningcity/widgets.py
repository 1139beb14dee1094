"""Admin widgets."""

from django import forms
from django.utils.translation import gettext as _


class SDGTargetsWidget(forms.CheckboxSelectMultiple):
    """The 169 targets as checkboxes grouped by goal, the learning city's own goals (4 and 11) first."""

    template_name = "learningcity/widgets/sdg_targets.html"

    def optgroups(self, name, value, attrs=None):
        from .models import FIRST_CLASS_GOALS, SDGGoal

        goals = {goal.number: goal for goal in SDGGoal.objects.all()}
        grouped = {}
        for index, (option_value, option_label) in enumerate(self.choices):
            if option_value == "":
                continue
            number = int(str(option_label).split(".", 1)[0])
            selected = str(option_value) in {str(v) for v in value}
            option = self.create_option(name, option_value, option_label, selected, index, attrs=attrs)
            grouped.setdefault(number, []).append(option)
        order = sorted(grouped, key=lambda number: (number not in FIRST_CLASS_GOALS, number))
        groups = []
        for number in order:
            goal = goals.get(number)
            label = _("Goal %(number)s: %(title)s") % {"number": number, "title": goal.title if goal else ""}
            groups.append((label, grouped[number], number))
        return groups
