"""Tables of the benefit-sharing pages, each defined once for the page and its Excel export:
the agreements, each region's attributed totals per measure, the unshared years, and the
agreement page's split of its figures.

Amounts are exact until they reach these tables, where they are rounded to 0.01 万元.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.accounts.models import Region
from jinwei.indicators.tables import Label, Link, Table
from jinwei.investment.benefit_split import Amounts, Split, Totals, shown
from jinwei.investment.benefits import BenefitReport, term_text, years_text
from jinwei.investment.models import BenefitAgreement, BenefitTerm
from jinwei.lib.xlsx import Column
from jinwei.projects.models import Project

MEASURES: list[tuple[str, Promise]] = [
    ("output_value", gettext_lazy("Output value (10,000 yuan)")),
    ("tax", gettext_lazy("Tax (10,000 yuan)")),
    ("investment", gettext_lazy("Investment (10,000 yuan)")),
]
MEASURE_KEYS = [key for key, _label in MEASURES]


def measure_label(key: str) -> str:
    return str(dict(MEASURES)[key])


def project_url(project: Project) -> str:
    """The project's page, when the projects app offers one."""
    try:
        return reverse("projects:detail", args=[project.pk])
    except NoReverseMatch:
        return ""


def terms_summary(terms: Sequence[BenefitTerm]) -> str:
    return ", ".join(term_text(t) for t in terms) or "—"


# --- the list of agreements ---------------------------------------------------------------------


def agreement_table(title: str, agreements: Sequence[BenefitAgreement]) -> Table:
    table = Table(
        title,
        [
            Column(_("Agreement"), 30),
            Column(_("Project"), 26),
            Column(_("Introducing region"), 14),
            Column(_("Host region"), 14),
            Column(_("Terms"), 20),
            Column(_("Years with figures"), 14),
            Column(_("Document reference"), 20),
        ],
        name=_("Agreements"),
    )
    for agreement in agreements:
        name: object = Link(agreement.name, reverse("investment:agreement", args=[agreement.pk]))
        if agreement.is_illustrative:
            name = Link(
                _("%(name)s (illustrative)") % {"name": agreement.name},
                reverse("investment:agreement", args=[agreement.pk]),
            )
        first = getattr(agreement, "first_figure_year", None)
        last = getattr(agreement, "last_figure_year", None)
        table.add(
            [
                name,
                str(agreement.project) if agreement.project else "—",
                agreement.introducing_region.name,
                agreement.host_region.name,
                terms_summary(list(agreement.terms.all())),
                years_text(first, last) if first is not None else "—",
                agreement.reference,
            ]
        )
    return table


# --- the report ---------------------------------------------------------------------------------


def _amount_columns(years: Sequence[int]) -> list[Column]:
    return [
        *[Column(str(year), 14, decimals=2) for year in years],
        Column(_("All years"), 16, decimals=2),
    ]


def measure_table(report: BenefitReport, key: str, title: str) -> Table:
    """Rows: each region's attributed amounts; then what no term covers; then the figures'
    total, which the rows above add up to."""
    years = report.years
    totals = report.totals
    table = Table(
        title,
        [Column(_("Region"), 18), *_amount_columns(years)],
        name=measure_label(key),
    )
    for region in report.regions:
        cells = [shown(totals.region_year(region.pk, y).of(key)) for y in years]
        table.add([region.name, *cells, shown(totals.region_total(region.pk).of(key))])
    unshared = [shown(totals.unshared.get(y, Amounts()).of(key)) for y in years]
    if any(unshared):
        table.add(
            [
                Label(_("Not shared: no term covers the year"), "missing"),
                *unshared,
                shown(totals.unshared_total().of(key)),
            ]
        )
    figures = [shown(totals.figures.get(y, Amounts()).of(key)) for y in years]
    table.add(
        [
            Label(_("Total before the split"), "summary-total"),
            *figures,
            shown(totals.figures_total().of(key)),
        ]
    )
    return table


def unshared_table(report: BenefitReport, title: str) -> Table:
    table = Table(
        title,
        [
            Column(_("Agreement"), 30),
            Column(_("Year"), 8),
            *[Column(str(label), 16, decimals=2) for _key, label in MEASURES],
        ],
        name=_("Not shared"),
    )
    for item in report.unshared:
        table.add(
            [
                Link(
                    item.agreement.name, reverse("investment:agreement", args=[item.agreement.pk])
                ),
                str(item.year),
                *[shown(item.amounts.of(key)) for key in MEASURE_KEYS],
            ]
        )
    return table


def chart_figure(report: BenefitReport, key: str) -> dict[str, object]:
    """Stacked bars: each region's attributed part of the measure per year, unshared on top."""
    years = [str(y) for y in report.years]
    totals: Totals = report.totals
    data: list[dict[str, object]] = [
        {
            "type": "bar",
            "name": region.name,
            "x": years,
            "y": [float(shown(totals.region_year(region.pk, y).of(key))) for y in report.years],
            "hovertemplate": f"{region.name} %{{x}}: %{{y:,.2f}}<extra></extra>",
        }
        for region in report.regions
    ]
    if totals.unshared:
        label = _("Not shared")
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": years,
                "y": [
                    float(shown(totals.unshared.get(y, Amounts()).of(key))) for y in report.years
                ],
                "marker": {"color": "#b0b4ba"},
                "hovertemplate": f"{label} %{{x}}: %{{y:,.2f}}<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "height": 360,
        "xaxis": {"type": "category"},
        "yaxis": {"title": {"text": measure_label(key)}, "tickformat": ",.0f"},
        "legend": {"orientation": "h", "y": -0.2},
    }
    return {"data": data, "layout": layout}


# --- the agreement page -------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitRow:
    """One year and measure of an agreement: the total and each region's part (None: the region
    has no share in the covering term, or no term covers the year)."""

    year: int
    first_of_year: bool
    term: str
    shared: bool
    measure: str
    total: Decimal
    parts: list[Decimal | None]


def split_rows(splits: Sequence[Split], regions: Sequence[Region]) -> list[SplitRow]:
    rows = []
    terms = {}
    for item in splits:
        if item.span is not None:
            terms[item.span.key] = years_text(item.span.start, item.span.end)
        for index, (key, _label) in enumerate(MEASURES):
            parts: list[Decimal | None] = [
                shown(item.by_region[r.pk].of(key)) if r.pk in item.by_region else None
                for r in regions
            ]
            rows.append(
                SplitRow(
                    year=item.year,
                    first_of_year=index == 0,
                    term=terms[item.span.key] if item.span is not None else "",
                    shared=item.span is not None,
                    measure=measure_label(key),
                    total=shown(item.figure.of(key)),
                    parts=parts,
                )
            )
    return rows


def split_totals(
    totals: Totals, regions: Sequence[Region]
) -> list[tuple[str, Decimal, list[Decimal], Decimal]]:
    """Per measure over all years: (measure, figures' total, each region's part, unshared)."""
    return [
        (
            measure_label(key),
            shown(totals.figures_total().of(key)),
            [shown(totals.region_total(r.pk).of(key)) for r in regions],
            shown(totals.unshared_total().of(key)),
        )
        for key in MEASURE_KEYS
    ]
