"""validation.py: each rule alone, with its code, its field and its message.

The rules need an indicator but never the database, so the indicators here are unsaved.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from jinwei.indicators.models import Indicator
from jinwei.indicators.validation import (
    ERROR,
    WARNING,
    check_growth_rate,
    check_period,
    check_range,
    check_swing,
    check_value,
    locked_problem,
    unit_factor,
)
from jinwei.lib.periods import parse_period


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids); the default language is Chinese."""
    with translation.override("en"):
        yield


def indicator(**fields: object) -> Indicator:
    defaults: dict[str, object] = {
        "name": "地区生产总值",
        "unit": "亿元",
        "frequency": Indicator.Frequency.ANNUAL,
    }
    return Indicator(**{**defaults, **fields})


# ---------------------------------------------------------------------------- period


@pytest.mark.parametrize(
    ("frequency", "text", "expected"),
    [
        (Indicator.Frequency.ANNUAL, "2023年", "2023"),
        (Indicator.Frequency.QUARTERLY, "2023年第三季度", "2023Q3"),
        (Indicator.Frequency.MONTHLY, "2023年1-9月", "2023-09"),
        (Indicator.Frequency.MONTHLY, "２０２３－０９", "2023-09"),
    ],
)
def test_period_in_any_written_form_is_accepted(frequency, text, expected):
    period, problem = check_period(indicator(frequency=frequency), text)
    assert problem is None
    assert str(period) == expected


@pytest.mark.parametrize("text", ["2023年13月", "last year", "", "2023Q5"])
def test_unknown_period_is_an_error_on_the_period_field(text):
    period, problem = check_period(indicator(), text)
    assert period is None
    assert problem is not None
    assert (problem.severity, problem.code, problem.column) == (ERROR, "unknown_period", "period")
    assert "is not a period" in problem.message
    assert "2023Q3" in problem.message  # says what to write


@pytest.mark.parametrize(
    ("frequency", "text"),
    [
        (Indicator.Frequency.ANNUAL, "2023-09"),
        (Indicator.Frequency.ANNUAL, "2023Q3"),
        (Indicator.Frequency.MONTHLY, "2023"),
        (Indicator.Frequency.MONTHLY, "2023Q3"),
        (Indicator.Frequency.QUARTERLY, "2023-09"),
    ],
)
def test_period_not_matching_the_frequency_is_an_error(frequency, text):
    period, problem = check_period(indicator(frequency=frequency), text)
    assert period is None
    assert problem is not None
    assert (problem.code, problem.column) == ("period_frequency", "period")
    assert "地区生产总值" in problem.message
    assert str(parse_period(text)) in problem.message


# ---------------------------------------------------------------------------- value


def test_a_plain_number_is_accepted_exactly():
    checked = check_value(indicator(), "1,234.56")
    assert checked.ok
    assert checked.value == Decimal("1234.56")
    assert checked.problems == []


@pytest.mark.parametrize("text", ["abc", "12元", "1,23"])
def test_not_a_number_is_an_error_naming_the_text(text):
    checked = check_value(indicator(), text)
    assert not checked.ok
    assert checked.value is None
    [problem] = checked.problems
    assert (problem.code, problem.column) == ("not_a_number", "value")
    assert text in problem.message


@pytest.mark.parametrize("text", ["", "—", "-", "…", None])
def test_missing_value_is_an_error(text):
    checked = check_value(indicator(), text)
    assert not checked.ok
    [problem] = checked.problems
    assert (problem.severity, problem.code, problem.column) == (ERROR, "missing", "value")
    assert problem.message == "The value is missing."


def test_a_percentage_for_an_indicator_not_in_percent_is_refused():
    checked = check_value(indicator(unit="亿元"), "12%")
    assert checked.value is None
    [problem] = checked.problems
    assert problem.code == "unit_mismatch"
    assert "亿元" in problem.message and "percentage" in problem.message


@pytest.mark.parametrize("unit", ["%", "％"])
def test_a_percentage_for_a_percent_indicator_is_its_number(unit):
    checked = check_value(indicator(name="研发投入强度", unit=unit), "2.8%")
    assert checked.ok
    assert checked.value == Decimal("2.8")


def test_wan_yuan_is_converted_to_yi_yuan():
    checked = check_value(indicator(unit="亿元"), "12,345", source_unit="万元")
    assert checked.ok
    assert checked.value == Decimal("1.2345")


def test_conversion_goes_both_ways_and_keeps_exactness():
    checked = check_value(indicator(unit="万元"), "0.1", source_unit="亿元")
    assert checked.value == Decimal("1000")
    assert unit_factor("万人", "人") == Decimal(10_000)
    assert unit_factor("家", "个") == Decimal(1)
    assert unit_factor("", "亿元") == Decimal(1)


def test_a_count_cannot_be_converted_to_money():
    checked = check_value(indicator(unit="亿元"), "12", source_unit="个")
    assert checked.value is None
    [problem] = checked.problems
    assert (problem.code, problem.column) == ("unit_mismatch", "value")
    assert "个" in problem.message and "亿元" in problem.message
    assert unit_factor("个", "亿元") is None
    assert unit_factor("公顷", "亿元") is None  # an unknown unit is not guessed


# ---------------------------------------------------------------------------- range


def test_values_inside_the_range_and_on_its_bounds_pass():
    ind = indicator(valid_min=Decimal(0), valid_max=Decimal(100))
    for value in ("0", "55.5", "100"):
        assert check_value(ind, value).ok


@pytest.mark.parametrize("value", ["-0.01", "100.01"])
def test_values_outside_the_range_are_refused_with_the_range(value):
    ind = indicator(
        name="空气质量优良天数比例", unit="%", valid_min=Decimal(0), valid_max=Decimal(100)
    )
    checked = check_value(ind, value)
    assert not checked.ok
    [problem] = checked.problems
    assert (problem.code, problem.column) == ("out_of_range", "value")
    assert "0 to 100" in problem.message
    assert "空气质量优良天数比例" in problem.message


def test_a_range_open_on_one_side():
    ind = indicator(valid_min=Decimal(0))
    assert check_range(ind, Decimal("1e9")) == []
    [problem] = check_range(ind, Decimal(-1))
    assert "0 to —" in problem.message


def test_the_range_is_checked_after_unit_conversion():
    ind = indicator(unit="亿元", valid_max=Decimal(1000))
    assert check_value(ind, "9,000,000", source_unit="万元").ok  # 900 亿元
    assert not check_value(ind, "20,000,000", source_unit="万元").ok  # 2000 亿元


# ---------------------------------------------------------------------------- growth rate


def test_growth_rate_as_reported():
    assert check_growth_rate("5.2") == (Decimal("5.2"), None)
    assert check_growth_rate("-3.1%") == (Decimal("-3.1"), None)
    assert check_growth_rate("") == (None, None)


def test_a_growth_rate_that_is_not_a_number_is_refused_on_its_field():
    value, problem = check_growth_rate("fast")
    assert value is None
    assert problem is not None
    assert (problem.code, problem.column) == ("bad_growth_rate", "growth_rate")


# ---------------------------------------------------------------------------- swing


def test_a_swing_at_the_threshold_is_not_warned():
    ind = indicator(swing_warning=Decimal(30))
    assert check_swing(ind, Decimal(130), Decimal(100)) is None
    assert check_swing(ind, Decimal(70), Decimal(100)) is None


def test_a_swing_over_the_threshold_is_a_warning_not_an_error():
    ind = indicator(swing_warning=Decimal(30))
    problem = check_swing(ind, Decimal("130.1"), Decimal(100))
    assert problem is not None
    assert (problem.severity, problem.code) == (WARNING, "abnormal_swing")
    assert not problem.is_error
    assert "+30.1%" in problem.message and "30%" in problem.message


def test_a_fall_over_the_threshold_is_warned_too():
    problem = check_swing(indicator(swing_warning=Decimal(30)), Decimal(50), Decimal(100))
    assert problem is not None
    assert "-50.0%" in problem.message


def test_no_swing_warning_without_a_threshold_or_a_base():
    assert check_swing(indicator(), Decimal(1000), Decimal(1)) is None
    ind = indicator(swing_warning=Decimal(10))
    assert check_swing(ind, Decimal(1000), None) is None
    assert check_swing(ind, Decimal(1000), Decimal(0)) is None


# ---------------------------------------------------------------------------- lock


def test_locked_problem_names_the_indicator_and_period():
    problem = locked_problem(indicator(), parse_period("2023"))
    assert (problem.code, problem.severity) == ("locked", ERROR)
    assert "地区生产总值" in problem.message and "2023" in problem.message
    assert "reopen" in problem.message
