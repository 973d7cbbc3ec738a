"""Forms of the lead pages: the lead itself, a move, dropping, the contact log, signing, and the
filters of the board, the list and the funnel.

The services decide what is allowed; the forms turn input into values and put each error next to
its field. Filter forms are GET forms: an invalid value is reported at its field and ignored.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region, User
from jinwei.investment import selectors, services
from jinwei.investment.funnel import FunnelFilters
from jinwei.investment.models import Lead, LeadContact
from jinwei.investment.selectors import ACTIVE, ALL, DROPPED, LeadFilters
from jinwei.projects.models import IndustryChain, Park, Project

Stage = Lead.Stage


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(model: Any, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _today_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=date_input(), initial=timezone.localdate)


# --- the lead -----------------------------------------------------------------------------------

LEAD_FIELDS = [name for name in services.EDITABLE_FIELDS if name != "is_illustrative"]


class LeadForm(VersionedFormMixin, forms.ModelForm):
    """A lead's facts; on a new lead also the stage it starts at and since when."""

    class Meta:
        model = Lead
        fields = [*LEAD_FIELDS, "stage", "stage_since"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "next_action_on": date_input(),
            "stage_since": date_input(),
        }

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government
        fields: Any = self.fields
        fields["owner_unit"].queryset = selectors.unit_choices(government.pk)
        fields["owner"].queryset = selectors.people_choices(government.pk)
        fields["chain_link"].queryset = selectors.chain_link_choices(government.pk)
        if self.instance.pk is None:
            del self.fields["version"]
            fields["stage"].choices = [
                (value, label) for value, label in Stage.choices if value in services.BEFORE_SIGNING
            ]
            self.initial.setdefault("stage_since", timezone.localdate())
        else:
            del self.fields["stage"]
            del self.fields["stage_since"]

    def changes(self) -> dict[str, Any]:
        """The edited facts that differ from the stored ones."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in LEAD_FIELDS}


# --- steps on a lead ----------------------------------------------------------------------------


class MoveForm(VersionedFormMixin):
    to_stage = forms.ChoiceField(label=_("Move to"))
    on = _today_field(_("As of"))
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Required when the lead goes back a stage."),
    )

    def __init__(self, *args: Any, lead: Lead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = services.allowed_moves(lead)
        choices: Any = [(value, label) for value, label in Stage.choices if value in allowed]
        self.fields["to_stage"].choices = choices  # type: ignore[attr-defined]
        self.initial.setdefault("version", lead.version)


class DropForm(VersionedFormMixin):
    reason = forms.CharField(label=_("Why is it dropped?"), max_length=300)
    on = _today_field(_("Dropped on"))

    def __init__(self, *args: Any, lead: Lead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", lead.version)


class ContactForm(forms.ModelForm):
    class Meta:
        model = LeadContact
        fields = ["on", "kind", "summary"]
        widgets = {"on": date_input(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class SignForm(VersionedFormMixin):
    """Signing: what the lead does not know yet about the project it becomes."""

    on = _today_field(_("Signed on"))
    signed_investment = forms.DecimalField(
        label=_("Signed investment (10,000 yuan)"), max_digits=14, decimal_places=2, min_value=0
    )
    project_code = forms.CharField(label=_("Project code"), max_length=40)
    kind = forms.ChoiceField(label=_("Project type"), choices=Project.Kind.choices)
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_("The unit that reports the project's monthly progress."),
    )
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.none(), required=False)
    leader = forms.ModelChoiceField(
        label=_("Leader in charge"), queryset=User.objects.none(), required=False
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=date_input(), required=False)
    planned_completion = forms.DateField(
        label=_("Planned completion"), widget=date_input(), required=False
    )

    def __init__(self, *args: Any, lead: Lead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lead = lead
        fields: Any = self.fields
        fields["lead_unit"].queryset = selectors.unit_choices(lead.government_id)
        fields["park"].queryset = Park.objects.filter(government_id=lead.government_id)
        fields["leader"].queryset = selectors.people_choices(lead.government_id)
        self.initial.setdefault("version", lead.version)
        self.initial.setdefault("signed_investment", lead.intended_investment)
        self.initial.setdefault("kind", Project.Kind.INDUSTRIAL)

    def clean_project_code(self) -> str:
        code = str(self.cleaned_data["project_code"]).strip()
        taken = Project.objects.filter(government_id=self.lead.government_id, code=code)
        if taken.exists():
            raise forms.ValidationError(
                _("The code %(code)s is already used by another project."), params={"code": code}
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_completion")
        if start and end and end < start:
            self.add_error(
                "planned_completion", _("The planned completion is before the planned start.")
            )
        return data

    def sign_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("on", "signed_investment", "project_code", "kind", "lead_unit", "park")
        return {
            **{name: data[name] for name in names},
            "planned_start": data.get("planned_start"),
            "planned_completion": data.get("planned_completion"),
            "leader": data.get("leader"),
            "expected_version": data["version"],
        }


# --- filters ------------------------------------------------------------------------------------

FILTER_KEYS = (
    "government",
    "q",
    "source",
    "chain",
    "owner_unit",
    "owner",
    "stage",
    "status",
    "overdue",
    "sort",
    "year",
)
BOARD_FIELDS = ("q", "source", "chain", "owner_unit")


def canonical_query(data: Mapping[str, Any], **changes: str) -> str:
    """The filters of `data` as a query string: known keys, empty values dropped; `changes` sets
    (or, with "", removes) keys, e.g. for a column's "more" link."""
    values = {key: str(data.get(key, "")).strip() for key in FILTER_KEYS}
    values.update(changes)
    return urlencode([(key, value) for key, value in values.items() if value])


def chosen_government(data: Mapping[str, Any], governments: Sequence[Region]) -> Region:
    """The government asked for, if the viewer reads it; else the first of theirs."""
    wanted = str(data.get("government", ""))
    return next((g for g in governments if str(g.pk) == wanted), governments[0])


def _id_or_none(value: str) -> int | None:
    return int(value) if value else None


class _FilterForm(forms.Form):
    government = forms.ChoiceField(label=_("Government"), required=False)
    q = forms.CharField(label=_("Company or project contains"), max_length=100, required=False)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any source")), *Lead.Source.choices]
    )
    chain = forms.ChoiceField(label=_("Industry chain"), required=False)
    owner_unit = forms.ChoiceField(label=_("Owner unit"), required=False)

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        governments: Sequence[Region],
        government: Region,
        units: Sequence[OrgUnit],
        chains: Sequence[IndustryChain],
    ) -> None:
        super().__init__({k: v for k, v in data.items() if k in self.base_fields})
        self.chosen = government
        fields: Any = self.fields
        fields["government"].choices = [(str(g.pk), g.name) for g in governments]
        if len(governments) == 1:
            fields["government"].widget = forms.HiddenInput()
        fields["chain"].choices = [("", _("Any chain")), *((str(c.pk), c.name) for c in chains)]
        fields["owner_unit"].choices = [("", _("Any unit")), *((str(u.pk), u.name) for u in units)]

    def value(self, name: str) -> str:
        """The field's valid value ("" when it is missing or invalid)."""
        if not self.is_valid() and name in self.errors:
            return ""
        return str(self.cleaned_data.get(name) or "")


class LeadFilterForm(_FilterForm):
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (ACTIVE, _("Being pursued")),
            (DROPPED, _("Dropped")),
            (ALL, _("All leads")),
        ],
    )
    overdue = forms.BooleanField(label=_("Next action overdue"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("stage", _("Stage")),
            ("next_action", _("Next action date")),
            ("amount", _("Intended investment")),
            ("company", _("Company")),
            ("recent", _("Latest stage change")),
        ],
    )

    def __init__(
        self, data: Mapping[str, Any], *, people: Sequence[User] = (), **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        fields: Any = self.fields
        fields["owner"].choices = [("", _("Anyone")), *((str(p.pk), str(p)) for p in people)]

    def filters(self, *, board: bool = False) -> LeadFilters:
        """The valid filters; the board shows the leads being pursued, every stage."""
        return LeadFilters(
            government_id=self.chosen.pk,
            q=self.value("q"),
            source=self.value("source"),
            chain_id=_id_or_none(self.value("chain")),
            owner_unit_id=_id_or_none(self.value("owner_unit")),
            owner_id=None if board else _id_or_none(self.value("owner")),
            stage="" if board else self.value("stage"),
            status=ACTIVE if board else (self.value("status") or ACTIVE),
            overdue=False if board else self.value("overdue") == "True",
            sort=self.value("sort") or "stage",
        )

    def board_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in BOARD_FIELDS]


class FunnelFilterForm(_FilterForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2200)

    def year_value(self, default: int) -> int:
        value = self.value("year")
        return int(value) if value else default

    def filters(self) -> FunnelFilters:
        return FunnelFilters(
            source=self.value("source"),
            chain_id=_id_or_none(self.value("chain")),
            owner_unit_id=_id_or_none(self.value("owner_unit")),
        )


def default_year(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year
