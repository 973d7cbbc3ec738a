"""Forms of the request pages and the holiday calendar. The services decide what is allowed; the
forms turn input into values and put each error next to its field."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.enterprises.models import CalendarDay, ServiceRequest
from jinwei.enterprises.request_selectors import COLOURS, RequestFilters, RequestState

UNASSIGNED = "0"
FILTER_KEYS = (
    "government",
    "q",
    "category",
    "unit",
    "state",
    "colour",
    "enterprise",
    "received_from",
    "received_to",
)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=date_input())


def canonical_query(data: Mapping[str, Any], **changes: str) -> str:
    """The list's filters as a query string (known keys, no empty values, no page)."""
    values = {key: str(data.get(key, "")).strip() for key in FILTER_KEYS}
    values.update(changes)
    return urlencode([(key, value) for key, value in values.items() if value])


def chosen_government(data: Mapping[str, Any], governments: Sequence[Region]) -> Region:
    """The government asked for, if the viewer reads it; else the first of theirs."""
    wanted = str(data.get("government", ""))
    return next((g for g in governments if str(g.pk) == wanted), governments[0])


def _government_choices(form: forms.Form, governments: Sequence[Region]) -> None:
    field: Any = form.fields["government"]
    field.choices = [(str(g.pk), g.name) for g in governments]
    if len(governments) < 2:
        field.widget = forms.HiddenInput()


class RequestFilterForm(forms.Form):
    government = forms.ChoiceField(label=_("Government"), required=False)
    q = forms.CharField(label=_("Title or enterprise contains"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ServiceRequest.Category.choices],
    )
    unit = forms.ChoiceField(label=_("Assigned unit"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *((s.value, s.label) for s in RequestState)],
    )
    colour = forms.ChoiceField(
        label=_("Colour"),
        required=False,
        choices=[("", _("Any colour")), *((c.value, c.label) for c in COLOURS)],
    )
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput())
    received_from = _date_field(_("Received from"))
    received_to = _date_field(_("Received to"))

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        governments: Sequence[Region],
        government: Region,
        units: Sequence[OrgUnit],
    ) -> None:
        super().__init__(data)
        self.region = government
        _government_choices(self, governments)
        fields: Any = self.fields
        fields["unit"].choices = [
            ("", _("All units")),
            (UNASSIGNED, _("Not yet assigned")),
            *((str(u.pk), u.name) for u in units),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> RequestFilters:
        """The valid filters (an invalid field is reported and left out)."""
        self.is_valid()
        data = self.cleaned_data
        unit = data.get("unit") or ""
        return RequestFilters(
            government_id=self.region.pk,
            q=(data.get("q") or "").strip(),
            category=data.get("category") or "",
            unit=int(unit) if unit else None,
            state=data.get("state") or "",
            colour=data.get("colour") or "",
            enterprise=data.get("enterprise"),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
        )


class RequestForm(forms.ModelForm):
    class Meta:
        model = ServiceRequest
        fields = ["category", "title", "description", "received_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "received_on": date_input(),
        }


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=capfirst(_("assigned unit")), queryset=OrgUnit.objects.none()
    )

    def __init__(self, *args: Any, government_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = OrgUnit.objects.filter(
            government_id=government_id, is_active=True
        ).order_by("kind", "order", "name")


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("Answer given to the enterprise"), widget=forms.Textarea(attrs={"rows": 5})
    )
    on = _date_field(_("Answered on"), required=True)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How the request was resolved"), widget=forms.Textarea(attrs={"rows": 5})
    )
    score_timeliness = forms.IntegerField(
        label=_("Timeliness score (0–100)"), min_value=0, max_value=100
    )
    score_quality = forms.IntegerField(label=_("Quality score (0–100)"), min_value=0, max_value=100)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is not resolved yet"), widget=forms.Textarea(attrs={"rows": 4})
    )


SATISFACTION_CHOICES = [
    (5, _("5 — very satisfied")),
    (4, _("4 — satisfied")),
    (3, _("3 — acceptable")),
    (2, _("2 — dissatisfied")),
    (1, _("1 — very dissatisfied")),
]


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("The enterprise's satisfaction"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Comment on the rating"), max_length=300, required=False)


class StatsForm(forms.Form):
    government = forms.ChoiceField(label=_("Government"), required=False)
    start = _date_field(_("Received from"))
    end = _date_field(_("Received to"))

    def __init__(
        self, data: Mapping[str, Any], *, governments: Sequence[Region], today: datetime.date
    ) -> None:
        super().__init__(data)
        _government_choices(self, governments)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period; by default the year so far."""
        default = (datetime.date(self.today.year, 1, 1), self.today)
        if not self.is_valid():
            return default
        return (
            self.cleaned_data.get("start") or default[0],
            self.cleaned_data.get("end") or default[1],
        )


# --- the holiday calendar ---------------------------------------------------------------------

KIND_CHOICES = [("holiday", _("Holiday (no work)")), ("workday", _("Weekend day worked (调休)"))]


class CalendarDayForm(forms.Form):
    date = _date_field(capfirst(_("date")), required=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=capfirst(_("name")),
        max_length=CalendarDay._meta.get_field("name").max_length,
        required=False,
        help_text=_("e.g. 国庆节"),
    )

    @property
    def is_workday(self) -> bool:
        return self.cleaned_data["kind"] == "workday"


class CalendarImportForm(forms.Form):
    dates = forms.CharField(
        label=_("Dates"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Dates (2024-10-01) or ranges (2024-10-01..2024-10-07), separated by commas, "
            "spaces or lines."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=capfirst(_("name")),
        max_length=CalendarDay._meta.get_field("name").max_length,
        required=False,
        help_text=_("e.g. 国庆节"),
    )

    @property
    def is_workday(self) -> bool:
        return self.cleaned_data["kind"] == "workday"
