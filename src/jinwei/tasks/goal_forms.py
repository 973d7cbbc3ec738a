"""Forms of the goals pages: a goal (parent within the government, the indicators measuring it)
and the choosers of the scorecard pages.

The services decide what is allowed (who, a parent in the same government and not under the goal
itself); the forms turn input into values and put each error next to its field.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator
from jinwei.lib.periods import Frequency, Period, PeriodError
from jinwei.tasks.goal_selectors import subtree_ids
from jinwei.tasks.models import Goal

GOAL_FIELDS = [
    "parent",
    "kind",
    "title",
    "description",
    "horizon",
    "stage",
    "start_date",
    "end_date",
    "indicators",
    "order",
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """The day before the same date `years` later: a horizon of one year from 1 January ends
    on 31 December."""
    year = day.year + years
    later = day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))
    return later - datetime.timedelta(days=1)


class GoalForm(forms.ModelForm):
    """A goal of one government. The parent is chosen among that government's goals."""

    class Meta:
        model = Goal
        fields = GOAL_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": _date_input(),
            "end_date": _date_input(),
            "indicators": forms.SelectMultiple(attrs={"size": 10}),
        }
        help_texts = {
            "stage": _(
                "Leave empty to use the plan's name for the horizon "
                "(一年开局起步, 三年初见成效, 五年显著变化, 十年根本改变)."
            ),
            "end_date": _("Leave empty to end the horizon's years after the start."),
        }

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.government = government  # before validation, which needs it
        fields: Any = self.fields
        parents = Goal.objects.filter(government=government).order_by("order", "id")
        if self.instance.pk:
            parents = parents.exclude(pk__in=subtree_ids(self.instance))
        fields["parent"].queryset = parents
        fields["indicators"].queryset = Indicator.objects.filter(government=government).order_by(
            "order", "code"
        )
        fields["indicators"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, horizon = data.get("start_date"), data.get("end_date"), data.get("horizon")
        if start and not end and horizon:
            data["end_date"] = _years_later(start, int(horizon))
        return data

    def changed_values(self) -> dict[str, Any]:
        """What the user changed, for the update service (the indicators as a list)."""
        data = self.cleaned_data
        changed = set(self.changed_data)
        if "start_date" in changed or "horizon" in changed:
            changed.add("end_date")  # a derived end moves with them
        values = {name: data.get(name) for name in changed if name in GOAL_FIELDS}
        if "indicators" in values:
            values["indicators"] = list(values["indicators"] or [])
        return values


class VersionedGoalForm(VersionedFormMixin, GoalForm):
    """The edit form: carries the version the user loaded."""


# --- the scorecards' period ---------------------------------------------------------------


def part_choices() -> list[tuple[str, str]]:
    """The whole year, its quarters and its months, in the language of the request."""
    return [
        ("", gettext("Whole year")),
        *[(f"Q{q}", gettext("Quarter %(number)s") % {"number": q}) for q in range(1, 5)],
        *[(f"{m:02d}", gettext("Month %(number)s") % {"number": m}) for m in range(1, 13)],
    ]


class PeriodChooser(forms.Form):
    """A year, and optionally a quarter or a month of it."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    part = forms.ChoiceField(label=_("Quarter or month"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["year"].choices = [(y, str(y)) for y in sorted(years, reverse=True)]
        fields["part"].choices = part_choices()

    def period(self, default: Period) -> Period:
        """The period chosen, or `default` when the choice is missing or invalid."""
        if not self.is_valid():
            return default
        year, part = self.cleaned_data["year"], self.cleaned_data["part"]
        try:
            if not part:
                return Period.of(Frequency.ANNUAL, year)
            if part.startswith("Q"):
                return Period.of(Frequency.QUARTERLY, year, int(part[1:]))
            return Period.of(Frequency.MONTHLY, year, int(part))
        except PeriodError:
            return default


def period_query(period: Period) -> dict[str, str]:
    """The chooser's query parameters for a period."""
    if period.frequency is Frequency.ANNUAL:
        return {"year": str(period.year)}
    if period.frequency is Frequency.QUARTERLY:
        return {"year": str(period.year), "part": f"Q{period.index}"}
    return {"year": str(period.year), "part": f"{period.index:02d}"}


def governments_queryset(ids: list[int]) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=ids).order_by("code")
