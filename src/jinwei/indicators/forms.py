"""Forms for the catalogue and targets pages."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region
from jinwei.indicators.models import Category, Indicator, Target
from jinwei.lib.numbers import NumberError, parse_number

# Commas of either width, the Chinese enumeration comma, semicolons and new lines.
_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_list(text: str) -> list[str]:
    """Split comma-separated text: stripped, no empties or repeats.

    "GDP，生产总值、地区GDP" -> ["GDP", "生产总值", "地区GDP"]
    """
    items = (item.strip() for item in _SEPARATORS.split(text or ""))
    return list(dict.fromkeys(item for item in items if item))


def join_list(items: list[Any]) -> str:
    return ", ".join(str(item) for item in items)


def json_number(value: Decimal) -> int | float:
    """A threshold as JSON keeps it: 200 rather than 200.0."""
    return int(value) if value == value.to_integral_value() else float(value)


class CatalogueFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Owning unit"), queryset=OrgUnit.objects.none(), required=False
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        choices=[("", _("All")), *Indicator.Frequency.choices],
        required=False,
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.empty_label = _("All")  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    """The catalogue entry; aliases and thresholds are written as comma-separated text."""

    aliases_text = forms.CharField(
        label=_("Aliases"),
        required=False,
        help_text=_("Other names in source tables, separated by commas, e.g. GDP, 生产总值."),
    )
    thresholds_text = forms.CharField(
        label=_("Milestone thresholds"),
        required=False,
        help_text=_("Values whose first crossing is a milestone, separated by commas: 100, 200."),
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "aliases_text",
            "category",
            "owner_unit",
            "unit",
            "decimals",
            "direction",
            "frequency",
            "value_kind",
            "valid_min",
            "valid_max",
            "thresholds_text",
            "swing_warning",
            "is_headline",
            "is_public",
            "order",
            "source",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        if not self.is_bound and self.instance.pk:
            self.fields["aliases_text"].initial = join_list(self.instance.aliases)
            self.fields["thresholds_text"].initial = join_list(self.instance.thresholds)
        if not self.instance.pk:
            del self.fields["version"]
        elif self.instance.observations.exists():  # stored periods would no longer match
            self.fields["frequency"].disabled = True
            self.fields["frequency"].help_text = _("Fixed once values are stored.")

    def clean_aliases_text(self) -> list[str]:
        return split_list(self.cleaned_data.get("aliases_text", ""))

    def clean_thresholds_text(self) -> list[int | float]:
        values = []
        for item in split_list(self.cleaned_data.get("thresholds_text", "")):
            try:
                parsed = parse_number(item).value
            except NumberError:
                parsed = None
            if parsed is None:
                raise forms.ValidationError(
                    _("“%(item)s” is not a number."), params={"item": item}, code="invalid"
                )
            values.append(json_number(parsed))
        return sorted(set(values))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("valid_min"), data.get("valid_max")
        if low is not None and high is not None and low > high:
            self.add_error("valid_max", _("The maximum must not be below the minimum."))
        return data

    def indicator_fields(self) -> dict[str, Any]:
        """Cleaned values under the model's field names (for the create and update services)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"aliases_text", "thresholds_text", "version"}
        }
        data["aliases"] = self.cleaned_data["aliases_text"]
        data["thresholds"] = self.cleaned_data["thresholds_text"]
        return data

    def changed_fields(self) -> dict[str, Any]:
        fields = self.indicator_fields()
        model_fields = {f.name for f in Indicator._meta.concrete_fields}
        changed = {
            name: fields[name]
            for name in self.changed_data
            if name in fields and name in model_fields
        }
        if list(self.instance.aliases) != fields["aliases"]:
            changed["aliases"] = fields["aliases"]
        if list(self.instance.thresholds) != fields["thresholds"]:
            changed["thresholds"] = fields["thresholds"]
        return changed


class TargetForm(forms.Form):
    """One year's target for one region or unit: created, or replaced if one exists."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    place = forms.ChoiceField(label=_("Region or unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Target.Kind.choices)
    value = forms.DecimalField(
        label=_("Target"),
        max_digits=24,
        decimal_places=6,
        help_text=_("A level in the indicator's unit, or a growth rate in percent."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region],
        units: QuerySet[OrgUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {f"region-{r.pk}": r for r in regions}
        self.units = {f"unit-{u.pk}": u for u in units}
        place: Any = self.fields["place"]
        place.choices = [
            (_("Regions"), [(key, r.name) for key, r in self.regions.items()]),
            (_("Units"), [(key, u.name) for key, u in self.units.items()]),
        ]

    def where(self) -> dict[str, Any]:
        key = self.cleaned_data["place"]
        if key in self.regions:
            return {"region": self.regions[key]}
        return {"unit": self.units[key]}
