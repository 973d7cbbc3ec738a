"""The validation rules for an observation, shared by every path: form, import and API.

Each check returns Problems instead of raising, so an import can report every problem of a file at
once (with sheet, row and column) while a form shows them beside its fields. Nothing here queries
the database: callers pass what the rules need (the indicator, the prior year's value, the target).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from jinwei.lib.numbers import NumberError, parse_number
from jinwei.lib.periods import Period, PeriodError, parse_period

if TYPE_CHECKING:
    from jinwei.indicators.models import Indicator

ERROR = "error"
WARNING = "warning"

# Units that are the same quantity at another scale: converted, never refused.
UNIT_SCALES: dict[str, tuple[str, Decimal]] = {
    "元": ("元", Decimal(1)),
    "万元": ("元", Decimal(10_000)),
    "亿元": ("元", Decimal(100_000_000)),
    "人": ("人", Decimal(1)),
    "万人": ("人", Decimal(10_000)),
    "个": ("个", Decimal(1)),
    "家": ("个", Decimal(1)),
    "项": ("个", Decimal(1)),
    "%": ("%", Decimal(1)),
    "％": ("%", Decimal(1)),
}


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR refuses the value; WARNING is shown and the value is kept
    code: str
    message: str
    column: str = ""  # which input field or column it concerns

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class Checked:
    """The outcome of checking one observation's raw inputs."""

    period: Period | None = None
    value: Decimal | None = None
    growth_rate: Decimal | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def plain(number: Decimal) -> str:
    """205.72 rather than 205.720000, and 100 rather than 1E+2."""
    return format(number.normalize(), "f")


def check_period(indicator: Indicator, raw: object) -> tuple[Period | None, Problem | None]:
    try:
        period = parse_period(raw)
    except PeriodError:
        message = _("“%(text)s” is not a period (write 2023, 2023Q3 or 2023-09).") % {"text": raw}
        return None, Problem(ERROR, "unknown_period", message, "period")
    if period.frequency.value != indicator.frequency:
        message = _("%(indicator)s is %(frequency)s; the period %(period)s does not match.") % {
            "indicator": indicator.name,
            "frequency": indicator.get_frequency_display(),
            "period": period,
        }
        return None, Problem(ERROR, "period_frequency", message, "period")
    return period, None


def unit_factor(source_unit: str, indicator_unit: str) -> Decimal | None:
    """Factor from `source_unit` to `indicator_unit`; None if they measure different things."""
    source_unit, indicator_unit = source_unit.strip(), indicator_unit.strip()
    if not source_unit or source_unit == indicator_unit:
        return Decimal(1)
    src, dst = UNIT_SCALES.get(source_unit), UNIT_SCALES.get(indicator_unit)
    if src is None or dst is None or src[0] != dst[0]:
        return None
    return src[1] / dst[1]


def check_value(indicator: Indicator, raw: object, *, source_unit: str = "") -> Checked:
    """Type, unit and valid range of one raw value (a cell or a form field)."""
    checked = Checked()
    try:
        parsed = parse_number(raw)
    except NumberError:
        message = _("“%(text)s” is not a number.") % {"text": raw}
        checked.problems.append(Problem(ERROR, "not_a_number", message, "value"))
        return checked
    if parsed.value is None:
        checked.problems.append(Problem(ERROR, "missing", _("The value is missing."), "value"))
        return checked
    if parsed.percent and indicator.unit not in ("%", "％"):
        message = _("A percentage was given, but %(indicator)s is measured in %(unit)s.") % {
            "indicator": indicator.name,
            "unit": indicator.unit,
        }
        checked.problems.append(Problem(ERROR, "unit_mismatch", message, "value"))
        return checked
    factor = unit_factor(source_unit, indicator.unit)
    if factor is None:
        message = _("The unit %(given)s cannot be converted to %(unit)s (%(indicator)s).") % {
            "given": source_unit,
            "unit": indicator.unit,
            "indicator": indicator.name,
        }
        checked.problems.append(Problem(ERROR, "unit_mismatch", message, "value"))
        return checked
    value = parsed.value * factor
    checked.problems.extend(check_range(indicator, value))
    checked.value = value
    return checked


def check_range(indicator: Indicator, value: Decimal) -> list[Problem]:
    low, high = indicator.valid_min, indicator.valid_max
    if (low is not None and value < low) or (high is not None and value > high):
        message = _(
            "%(value)s is outside the valid range of %(indicator)s (%(low)s to %(high)s)."
        ) % {
            "value": plain(value),
            "indicator": indicator.name,
            "low": "—" if low is None else plain(low),
            "high": "—" if high is None else plain(high),
        }
        return [Problem(ERROR, "out_of_range", message, "value")]
    return []


def check_growth_rate(raw: object) -> tuple[Decimal | None, Problem | None]:
    """A reported growth rate in percent; empty means not reported."""
    try:
        parsed = parse_number(raw)
    except NumberError:
        message = _("“%(text)s” is not a growth rate in percent.") % {"text": raw}
        return None, Problem(ERROR, "bad_growth_rate", message, "growth_rate")
    return parsed.value, None


def check_swing(indicator: Indicator, value: Decimal, year_ago: Decimal | None) -> Problem | None:
    """A warning when the year-on-year change is larger than the indicator allows."""
    if indicator.swing_warning is None or year_ago is None or year_ago == 0:
        return None
    change = (value - year_ago) / abs(year_ago) * 100
    if abs(change) <= indicator.swing_warning:
        return None
    message = _(
        "%(indicator)s changes %(change)s%% on a year ago, more than the %(limit)s%% expected."
    ) % {
        "indicator": indicator.name,
        "change": f"{change:+.1f}",
        "limit": plain(indicator.swing_warning),
    }
    return Problem(WARNING, "abnormal_swing", message, "value")


def locked_problem(indicator: Indicator, period: Period) -> Problem:
    message = _("%(indicator)s for %(period)s is approved and locked; reopen it first.") % {
        "indicator": indicator.name,
        "period": period,
    }
    return Problem(ERROR, "locked", message, "value")
