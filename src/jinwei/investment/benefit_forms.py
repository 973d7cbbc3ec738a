"""Forms of the benefit-sharing pages: an agreement, a term with its shares, a year's figures,
and the report's year range.

The services decide what is allowed (shares adding up to 100 %, terms not overlapping, the
parties covered); the forms turn input into values and put each error next to its field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import Region
from jinwei.investment.benefits import FIRST_YEAR, LAST_YEAR, ShareInput
from jinwei.investment.models import BenefitAgreement, BenefitFigure, BenefitShare, BenefitTerm
from jinwei.projects.models import Project


def _label(model: type[Any], name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class RegionChoiceField(forms.ModelChoiceField):
    """Regions by name with their administrative code, so 恩平市 and a namesake differ."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def region_field(label: str, *, required: bool = True) -> RegionChoiceField:
    return RegionChoiceField(
        label=label,
        queryset=Region.objects.order_by("code"),
        required=required,
    )


def year_field(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=FIRST_YEAR, max_value=LAST_YEAR, required=required
    )


def percent_field(name: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=_label(BenefitShare, name),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def amount_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


# --- an agreement -------------------------------------------------------------------------------


class AgreementForm(forms.Form):
    """An agreement of one government. The project is named by its code (there may be many)."""

    name = forms.CharField(label=_label(BenefitAgreement, "name"), max_length=200)
    project_code = forms.CharField(
        label=capfirst(_("project code")),
        max_length=40,
        required=False,
        help_text=_("Code of the key project the agreement is about; leave empty for a park."),
    )
    introducing_region = region_field(_label(BenefitAgreement, "introducing_region"))
    host_region = region_field(_label(BenefitAgreement, "host_region"))
    reference = forms.CharField(
        label=_label(BenefitAgreement, "reference"), max_length=200, required=False
    )
    notes = forms.CharField(
        label=_label(BenefitAgreement, "notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_illustrative = forms.BooleanField(
        label=_label(BenefitAgreement, "is_illustrative"),
        required=False,
        help_text=_("Tick for demonstration data that is not from a signed agreement."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government

    def clean_project_code(self) -> Project | None:
        code = self.cleaned_data.get("project_code", "").strip()
        if not code:
            return None
        project = Project.objects.filter(government=self.government, code=code).first()
        if project is None:
            raise forms.ValidationError(
                _("There is no key project with the code %(code)s."), params={"code": code}
            )
        return project

    def values(self) -> dict[str, Any]:
        """Cleaned values under the model's field names."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"version", "project_code"}}
        data["project"] = self.cleaned_data.get("project_code")
        return data

    @staticmethod
    def initial_for(agreement: BenefitAgreement) -> dict[str, Any]:
        return {
            "name": agreement.name,
            "project_code": agreement.project.code if agreement.project else "",
            "introducing_region": agreement.introducing_region_id,
            "host_region": agreement.host_region_id,
            "reference": agreement.reference,
            "notes": agreement.notes,
            "is_illustrative": agreement.is_illustrative,
            "version": agreement.version,
        }


# --- a term and its shares ----------------------------------------------------------------------


class TermForm(forms.Form):
    start_year = year_field(_label(BenefitTerm, "start_year"))
    end_year = year_field(_label(BenefitTerm, "end_year"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_year"].help_text = _("Leave empty for a term without an end.")


SHARE_FIELDS = ("output_percent", "tax_percent", "investment_percent")


class ShareForm(forms.Form):
    region = region_field(_label(BenefitShare, "region"), required=False)
    output_percent = percent_field("output_percent")
    tax_percent = percent_field("tax_percent")
    investment_percent = percent_field("investment_percent")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in SHARE_FIELDS if data.get(name) is not None]
        if data.get("region") is None:
            if given:
                self.add_error("region", _("Choose the region these shares belong to."))
            return data
        for name in SHARE_FIELDS:
            if name not in given and name not in self.errors:
                self.add_error(name, _("Give the share (0 if none)."))
        return data

    def share(self) -> ShareInput | None:
        data = self.cleaned_data
        if data.get("region") is None:
            return None
        return ShareInput(
            region=data["region"],
            output_percent=data["output_percent"],
            tax_percent=data["tax_percent"],
            investment_percent=data["investment_percent"],
        )


class BaseShareFormSet(forms.BaseFormSet):
    def shares(self) -> list[ShareInput]:
        return [s for s in (form.share() for form in self.forms) if s is not None]


ShareFormSet = forms.formset_factory(ShareForm, formset=BaseShareFormSet, extra=2)


# --- a year's figures ---------------------------------------------------------------------------


class FigureForm(forms.Form):
    year = year_field(_label(BenefitFigure, "year"))
    output_value = forms.DecimalField(
        label=_label(BenefitFigure, "output_value"),
        max_digits=14,
        decimal_places=2,
        widget=amount_input(),
    )
    tax = forms.DecimalField(
        label=_label(BenefitFigure, "tax"), max_digits=14, decimal_places=2, widget=amount_input()
    )
    investment = forms.DecimalField(
        label=_label(BenefitFigure, "investment"),
        max_digits=14,
        decimal_places=2,
        widget=amount_input(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


# --- the report ---------------------------------------------------------------------------------


class ReportYearsForm(forms.Form):
    """The report's year range (GET); both ends optional."""

    first_year = year_field(_("From year"), required=False)
    last_year = year_field(_("To year"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year must not be before the first."))
        return data

    def years(self) -> tuple[int | None, int | None]:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("first_year"), self.cleaned_data.get("last_year")
