"""Forms of the project pages: the list's filters, the project itself, a stage step, the monthly
report, a milestone, a year's plan and a problem raised as a task.

The services decide what is allowed; the forms only turn input into values and put each error
next to its field.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region, User
from jinwei.projects import selectors
from jinwei.projects.models import ChainLink, InvestmentReport, Project
from jinwei.projects.schedule import COLOUR_LABELS, COLOURS
from jinwei.projects.services import EDITABLE_FIELDS, STAGE_ORDER

FILTER_KEYS = ("government", "q", "stage", "kind", "park", "unit", "colour")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def canonical_query(data: Mapping[str, Any], **changes: str) -> str:
    """The filters of `data` as a query string: known keys only, empty values dropped."""
    values = {key: str(data.get(key, "")).strip() for key in FILTER_KEYS}
    values.update(changes)
    return urlencode([(key, value) for key, value in values.items() if value])


def chosen_government(data: Mapping[str, Any], governments: Sequence[Region]) -> Region:
    """The government asked for, if the viewer reads it; else the first of theirs."""
    wanted = str(data.get("government", ""))
    return next((g for g in governments if str(g.pk) == wanted), governments[0])


def _id(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast("forms.ChoiceField", form.fields[name])


def _government_choice(form: forms.Form, governments: Sequence[Region], government: Region) -> None:
    """Choose among the viewer's governments; a hidden field when there is only one."""
    field = _choice(form, "government")
    field.choices = [(g.pk, g.name) for g in governments]
    field.initial = government.pk
    if len(governments) < 2:
        field.widget = forms.HiddenInput()


class ProjectFilterForm(forms.Form):
    government = forms.ChoiceField(label=_("Government"), required=False)
    q = forms.CharField(label=_("Code, name or investor contains"), max_length=100, required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any")), *Project.Stage.choices]
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *Project.Kind.choices]
    )
    park = forms.TypedChoiceField(label=_("Park"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(
        label=_("Lead unit"), required=False, coerce=int, empty_value=None
    )
    colour = forms.ChoiceField(
        label=_("Schedule"),
        required=False,
        choices=[("", _("Any")), *[(c.value, COLOUR_LABELS[c]) for c in COLOURS]],
    )

    def __init__(
        self, data: Mapping[str, Any], *, governments: Sequence[Region], government: Region
    ) -> None:
        super().__init__(data)
        self.chosen = government
        _government_choice(self, governments, government)
        parks = selectors.park_choices(government.pk).values_list("pk", "name")
        _choice(self, "park").choices = [("", _("Any")), *parks]
        units = selectors.unit_choices(government.pk).values_list("pk", "name")
        _choice(self, "unit").choices = [("", _("Any")), *units]

    def filters(self) -> selectors.ProjectFilters:
        """The valid filters; an invalid one is left out (its error shows at the field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.ProjectFilters(
            government=self.chosen,
            stage=data.get("stage") or "",
            kind=data.get("kind") or "",
            park_id=_id(data.get("park")),
            unit_id=_id(data.get("unit")),
            colour=data.get("colour") or "",
            text=(data.get("q") or "").strip(),
        )


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    """A project's facts. Stage, actual dates and progress are not here: they move by their own
    steps (a stage reached, a monthly report)."""

    plan_amount = forms.DecimalField(
        label=_("Planned investment this year (10,000 yuan)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )

    class Meta:
        model = Project
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned_start": date_input(),
            "planned_completion": date_input(),
            "planned_production": date_input(),
            "signed_on": date_input(),
        }

    def __init__(self, *args: Any, government: Region, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government
        fields = self.fields
        fields["park"].queryset = selectors.park_choices(government.pk)  # type: ignore[attr-defined]
        fields["chain_link"].queryset = ChainLink.objects.filter(  # type: ignore[attr-defined]
            chain__government=government
        ).select_related("chain")
        units = selectors.unit_choices(government.pk)
        fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        fields["town"].queryset = units.filter(kind=OrgUnit.Kind.TOWN)  # type: ignore[attr-defined]
        fields["leader"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__unit__government=government, is_active=True)
            .distinct()
            .order_by("name", "username")
        )
        if creating:
            del fields["version"]
            fields["plan_amount"].help_text = _(
                "Year %(year)s; later years on the project page."
            ) % {"year": timezone.localdate().year}
        else:
            del fields["plan_amount"]

    def plan(self) -> dict[int, Decimal]:
        amount = self.cleaned_data.get("plan_amount")
        return {} if amount is None else {timezone.localdate().year: amount}

    def changed_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS
        }


class AdvanceForm(VersionedFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("Stage reached"), choices=Project.Stage.choices)
    on = forms.DateField(label=_("Reached on"), widget=date_input())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    @classmethod
    def for_project(cls, project: Project) -> AdvanceForm | None:
        """The form offering the project's next stage; None at the last stage."""
        index = STAGE_ORDER.index(project.stage)
        if index + 1 >= len(STAGE_ORDER):
            return None
        initial = {
            "to_stage": STAGE_ORDER[index + 1],
            "on": timezone.localdate(),
            "version": project.version,
        }
        return cls(initial=initial)


def default_month(today: datetime.date) -> str:
    return f"{today.year}-{today.month:02d}"


class ReportForm(forms.Form):
    period = forms.CharField(label=_("Month"), max_length=20, help_text=_("YYYY-MM, e.g. 2024-09"))
    amount = forms.DecimalField(
        label=_("Investment completed in the month (10,000 yuan)"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    progress = forms.IntegerField(label=_("Physical progress (%)"), min_value=0, max_value=100)
    progress_text = forms.CharField(
        label=_("Physical progress (形象进度)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problems = forms.CharField(
        label=_("Problems needing coordination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    planned_on = forms.DateField(label=_("Planned"), widget=date_input())


class MilestoneReachForm(forms.Form):
    on = forms.DateField(label=_("Reached on"), widget=date_input(), required=False)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Planned investment (10,000 yuan)"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )


class RaiseTaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=date_input())
    report = forms.ModelChoiceField(
        label=_("Raised from the report of"),
        queryset=InvestmentReport.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        field.queryset = project.reports.order_by("-period")  # type: ignore[attr-defined]
        field.label_from_instance = lambda report: report.period  # type: ignore[attr-defined]


class YearForm(forms.Form):
    government = forms.ChoiceField(label=_("Government"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def __init__(
        self, data: Mapping[str, Any], *, governments: Sequence[Region], government: Region
    ) -> None:
        super().__init__(data)
        _government_choice(self, governments, government)

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year
