"""Forms of the composite-evaluation pages: the scheme (with its indicators, dimension weights
and the AHP grid over the dimensions) and the sensitivity parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import Region
from jinwei.indicators.models import Category, Indicator
from jinwei.rankings import composite, engine
from jinwei.rankings.models import EvaluationScheme, PeerGroup, SchemeIndicator
from jinwei.rankings.sensitivity import DEFAULT_DRAWS, DEFAULT_KAPPA, DEFAULT_SEED
from jinwei.rankings.services import ahp_check, scheme_problems

# The engine names its methods in English for analysts; the pages name them in the user's
# language. A method registered later without a label here shows the engine's label.
METHOD_LABELS: dict[str, Promise] = {
    "minmax": _("Min-max"),
    "zscore": _("Z-score"),
    "vector": _("Vector (TOPSIS)"),
    "rank": _("Rank"),
    "target": _("Distance to target"),
    "equal": _("Equal"),
    "entropy": _("Entropy (standard, on raw proportions)"),
    "entropy-cn": _("Entropy (熵权法: min-max first)"),
    "critic": _("CRITIC"),
    "std": _("Standard deviation"),
    composite.GIVEN: _("Fixed (expert) weights"),
    composite.AHP: _("AHP (pairwise comparisons)"),
    "wsum": _("Weighted sum"),
    "wprod": _("Weighted product (geometric)"),
    "topsis": _("TOPSIS"),
    "vikor": _("VIKOR"),
}


def method_label(name: str) -> str:
    if name in METHOD_LABELS:
        return str(METHOD_LABELS[name])
    for registry in (engine.NORMALIZERS, engine.WEIGHTINGS, engine.AGGREGATORS):
        if name in registry:
            return registry[name].label
    return name


def _choices(names: Sequence[str]) -> list[tuple[str, str]]:
    return [(name, method_label(name)) for name in names]


def normalization_choices() -> list[tuple[str, str]]:
    return _choices(list(engine.NORMALIZERS))


def weighting_choices() -> list[tuple[str, str]]:
    return _choices(composite.weighting_names())


def aggregation_choices() -> list[tuple[str, str]]:
    return _choices(list(engine.AGGREGATORS))


def parse_ratio(text: str) -> float:
    """A Saaty comparison: "3", "1/3", "0.2"; positive."""
    try:
        value = float(Fraction(text.strip().replace("／", "/")))
    except (ValueError, ZeroDivisionError) as error:
        raise ValidationError(_("Write a comparison as 3, 1/3 or 0.5."), code="ratio") from error
    if value <= 0:
        raise ValidationError(_("A comparison must be positive."), code="ratio")
    return value


@dataclass
class IndicatorRow:
    indicator: Indicator
    include: forms.BoundField
    dimension: forms.BoundField
    weight: forms.BoundField
    reference: forms.BoundField


@dataclass
class DimensionRow:
    category: Category
    weight: forms.BoundField
    cells: list[forms.BoundField | str]  # an input above the diagonal, text elsewhere


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    peer_group = forms.ModelChoiceField(label=_("Peer group"), queryset=PeerGroup.objects.none())
    first_year = forms.IntegerField(label=_("First year"), min_value=1949, max_value=2200)
    last_year = forms.IntegerField(label=_("Last year"), min_value=1949, max_value=2200)
    missing_policy = forms.ChoiceField(
        label=_("Missing data"), choices=EvaluationScheme.MissingPolicy.choices
    )
    normalization = forms.ChoiceField(label=_("Normalisation"))
    weighting = forms.ChoiceField(label=_("Weighting"))
    aggregation = forms.ChoiceField(label=_("Aggregation"))
    weights_by_dimension = forms.BooleanField(
        label=_(
            "Compute the weights within each dimension, then combine with the dimension weights"
        ),
        required=False,
    )
    alt_normalizations = forms.MultipleChoiceField(
        label=_("Other normalisations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    alt_weightings = forms.MultipleChoiceField(
        label=_("Other weightings"), required=False, widget=forms.CheckboxSelectMultiple
    )
    alt_aggregations = forms.MultipleChoiceField(
        label=_("Other aggregations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        government: Region,
        indicators: Sequence[Indicator],
        categories: Sequence[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.government = government
        self.indicators = list(indicators)
        self.categories = list(categories)
        self.fields["peer_group"].queryset = PeerGroup.objects.filter(government=government)  # type: ignore[attr-defined]
        for name, choices in (
            ("normalization", normalization_choices()),
            ("alt_normalizations", normalization_choices()),
            ("weighting", weighting_choices()),
            ("alt_weightings", weighting_choices()),
            ("aggregation", aggregation_choices()),
            ("alt_aggregations", aggregation_choices()),
        ):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
        dimension_choices = [(c.code, c.name) for c in self.categories]
        for indicator in self.indicators:
            key = indicator.pk
            self.fields[f"ind_{key}"] = forms.BooleanField(label=indicator.name, required=False)
            self.fields[f"dim_{key}"] = forms.ChoiceField(
                label=_("Dimension"),
                choices=dimension_choices,
                initial=indicator.category.code,
            )
            self.fields[f"weight_{key}"] = forms.DecimalField(
                label=_("Fixed weight"), required=False, min_value=0, max_digits=8, decimal_places=6
            )
            self.fields[f"ref_{key}"] = forms.DecimalField(
                label=_("Target or reference value"),
                required=False,
                max_digits=24,
                decimal_places=6,
            )
        for i, category in enumerate(self.categories):
            self.fields[f"dw_{category.code}"] = forms.DecimalField(
                label=_("Weight of %(dimension)s") % {"dimension": category.name},
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=6,
            )
            for other in self.categories[i + 1 :]:
                self.fields[f"ahp_{category.code}_{other.code}"] = forms.CharField(
                    label=_("%(row)s compared with %(column)s")
                    % {"row": category.name, "column": other.name},
                    required=False,
                    max_length=12,
                    widget=forms.TextInput(attrs={"size": 4, "inputmode": "decimal"}),
                )

    # --- layout helpers for the template ------------------------------------------------

    def basic_fields(self) -> list[forms.BoundField]:
        names = ["name", "peer_group", "first_year", "last_year", "missing_policy"]
        return [self[n] for n in names]

    def method_fields(self) -> list[forms.BoundField]:
        names = ["normalization", "weighting", "aggregation", "weights_by_dimension"]
        return [self[n] for n in names]

    def alternative_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("alt_normalizations", "alt_weightings", "alt_aggregations")]

    def indicator_rows(self) -> list[IndicatorRow]:
        return [
            IndicatorRow(
                indicator=i,
                include=self[f"ind_{i.pk}"],
                dimension=self[f"dim_{i.pk}"],
                weight=self[f"weight_{i.pk}"],
                reference=self[f"ref_{i.pk}"],
            )
            for i in self.indicators
        ]

    def dimension_rows(self) -> list[DimensionRow]:
        rows = []
        for i, category in enumerate(self.categories):
            cells: list[forms.BoundField | str] = []
            for j, other in enumerate(self.categories):
                if i == j:
                    cells.append("1")
                elif i < j:
                    cells.append(self[f"ahp_{category.code}_{other.code}"])
                else:
                    cells.append("")
            rows.append(DimensionRow(category, self[f"dw_{category.code}"], cells))
        return rows

    # --- cleaning -------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        self.chosen_items = self._items(data)
        dims = list(dict.fromkeys(item.dimension.code for item in self._sorted(self.chosen_items)))
        self.ahp_matrix = self._ahp(data, dims) if data["weighting"] == composite.AHP else []
        probe = EvaluationScheme(government=self.government, **self.scheme_fields())
        for problem in scheme_problems(probe, self.chosen_items):
            self.add_error(None, problem)
        return data

    def _items(self, data: dict[str, Any]) -> list[SchemeIndicator]:
        by_code = {c.code: c for c in self.categories}
        items = []
        for order, indicator in enumerate(self.indicators, start=1):
            if not data.get(f"ind_{indicator.pk}"):
                continue
            items.append(
                SchemeIndicator(
                    indicator=indicator,
                    dimension=by_code[data[f"dim_{indicator.pk}"]],
                    weight=data.get(f"weight_{indicator.pk}"),
                    reference=data.get(f"ref_{indicator.pk}"),
                    order=order,
                )
            )
        return items

    def _sorted(self, items: list[SchemeIndicator]) -> list[SchemeIndicator]:
        """The order the evaluation uses: dimensions in catalogue order, then the item order."""
        position = {c.code: i for i, c in enumerate(self.categories)}
        return sorted(items, key=lambda item: (position[item.dimension.code], item.order))

    def _ahp(self, data: dict[str, Any], dims: list[str]) -> list[list[float]]:
        """The comparison matrix over the dimensions in use, from the upper triangle."""
        order = [c.code for c in self.categories if c.code in dims]
        matrix = [[1.0] * len(order) for _ in order]
        for i, row in enumerate(order):
            for j in range(i + 1, len(order)):
                field = f"ahp_{row}_{order[j]}"
                text = (data.get(field) or "").strip()
                if not text:
                    self.add_error(field, _("Compare every pair of dimensions in use."))
                    continue
                try:
                    value = parse_ratio(text)
                except ValidationError as error:
                    self.add_error(field, error)
                    continue
                matrix[i][j], matrix[j][i] = value, 1 / value
        if len(order) > 1 and not self.errors:
            try:
                self.consistency = ahp_check(matrix)
            except ValidationError as error:
                self.add_error(None, error)
        return matrix

    def scheme_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        weights = {
            c.code: float(data[f"dw_{c.code}"])
            for c in self.categories
            if data.get(f"dw_{c.code}") is not None
        }
        return {
            "name": data["name"],
            "peer_group": data["peer_group"],
            "first_year": data["first_year"],
            "last_year": data["last_year"],
            "missing_policy": data["missing_policy"],
            "normalization": data["normalization"],
            "weighting": data["weighting"],
            "aggregation": data["aggregation"],
            "weights_by_dimension": data["weights_by_dimension"],
            "dimension_weights": weights,
            "ahp_matrix": getattr(self, "ahp_matrix", []),
            "alternatives": {
                "normalizations": data["alt_normalizations"],
                "weightings": data["alt_weightings"],
                "aggregations": data["alt_aggregations"],
            },
        }

    def items(self) -> list[SchemeIndicator]:
        return self.chosen_items


def scheme_initial(scheme: EvaluationScheme, items: Sequence[SchemeIndicator]) -> dict[str, Any]:
    """The edit form's initial values from a stored scheme."""
    alternatives = scheme.alternatives or {}
    initial: dict[str, Any] = {
        "name": scheme.name,
        "peer_group": scheme.peer_group_id,
        "first_year": scheme.first_year,
        "last_year": scheme.last_year,
        "missing_policy": scheme.missing_policy,
        "normalization": scheme.normalization,
        "weighting": scheme.weighting,
        "aggregation": scheme.aggregation,
        "weights_by_dimension": scheme.weights_by_dimension,
        "alt_normalizations": alternatives.get("normalizations", []),
        "alt_weightings": alternatives.get("weightings", []),
        "alt_aggregations": alternatives.get("aggregations", []),
        "version": scheme.version,
    }
    for code, weight in (scheme.dimension_weights or {}).items():
        initial[f"dw_{code}"] = Decimal(str(weight))
    for item in items:
        key = item.indicator_id
        initial.update(
            {
                f"ind_{key}": True,
                f"dim_{key}": item.dimension.code,
                f"weight_{key}": item.weight,
                f"ref_{key}": item.reference,
            }
        )
    dims = list(dict.fromkeys(item.dimension.code for item in items))
    matrix = scheme.ahp_matrix or []
    if len(matrix) == len(dims):
        for i, row in enumerate(dims):
            for j in range(i + 1, len(dims)):
                initial[f"ahp_{row}_{dims[j]}"] = _ratio_text(matrix[i][j])
    return initial


def _ratio_text(value: float) -> str:
    """3.0 -> "3", 0.333… -> "1/3": how people write Saaty's scale."""
    ratio = Fraction(value).limit_denominator(9)
    if abs(float(ratio) - value) < 1e-9:
        return str(ratio)
    return f"{value:g}"


class SensitivityForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    draws = forms.IntegerField(
        label=_("Monte Carlo draws (N)"), min_value=100, max_value=20000, initial=DEFAULT_DRAWS
    )
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, max_value=2**32 - 1, initial=DEFAULT_SEED
    )
    kappa = forms.FloatField(
        label=_("Concentration κ"),
        min_value=1,
        max_value=100000,
        initial=DEFAULT_KAPPA,
        help_text=_("Dirichlet α = κ·w: the larger κ, the closer the drawn weights stay to w."),
    )

    def __init__(self, *args: Any, years: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        if years:
            self.fields["year"].initial = years[-1]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        if years:
            self.fields["year"].initial = years[-1]


def chosen(form: forms.Form, name: str) -> Any:
    """A valid field's cleaned value, else its initial (GET pages fall back to the defaults)."""
    if form.is_bound and form.is_valid():
        return form.cleaned_data[name]
    return form.fields[name].initial
