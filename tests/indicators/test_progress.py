"""Time progress (时间进度) and the three colours, at the boundaries (10 and 30 points)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinwei.indicators.progress import Colour, ColourRule, progress, target_level
from jinwei.lib.periods import parse_period

D = Decimal


@pytest.mark.parametrize(
    ("points_behind", "colour"),
    [
        ("-25", Colour.GREEN),  # ahead of time progress
        ("0", Colour.GREEN),
        ("9.9999", Colour.GREEN),
        ("10", Colour.YELLOW),
        ("10.0001", Colour.YELLOW),
        ("29.9999", Colour.YELLOW),
        ("30", Colour.YELLOW),
        ("30.0001", Colour.RED),
        ("80", Colour.RED),
    ],
)
def test_the_default_colour_rule_at_its_boundaries(points_behind, colour):
    assert ColourRule().colour(D(points_behind)) == colour


def test_the_rule_is_configurable():
    strict = ColourRule(yellow_from=D(5), red_above=D(15))
    assert strict.colour(D(5)) == Colour.YELLOW
    assert strict.colour(D("15.01")) == Colour.RED
    assert strict.colour(D("4.99")) == Colour.GREEN


def at(period: str, value: str, level: str = "120", **options):
    result = progress(
        value=D(value), period=parse_period(period), level=D(level), cumulative=True, **options
    )
    assert result is not None
    return result


def test_cumulative_values_are_held_against_the_elapsed_share_of_the_year():
    result = at("2024-06", "48")  # half the year gone, 40 % of 120 done
    assert result.time_progress == 50
    assert result.expected == 60
    assert result.completion == 40
    assert result.points_behind == 10
    assert result.shortfall == 12  # in the indicator's unit: 60 expected, 48 reached
    assert result.colour == Colour.YELLOW


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        ("48", Colour.YELLOW),  # exactly 10 points behind
        ("48.0012", Colour.GREEN),  # 9.999 behind
        ("24", Colour.YELLOW),  # exactly 30 points behind
        ("23.99988", Colour.RED),  # 30.0001 behind
    ],
)
def test_colour_from_time_progress_at_the_boundaries(value, colour):
    assert at("2024-06", value).colour == colour


def test_quarters_count_as_quarters_of_the_year():
    result = at("2024Q3", "90")
    assert result.time_progress == 75
    assert result.expected == 90
    assert result.points_behind == 0
    assert result.colour == Colour.GREEN


def test_ahead_of_time_progress_is_green_with_no_shortfall():
    result = at("2024-03", "60")  # a quarter of the year, half the target
    assert result.points_behind == -25
    assert result.shortfall == 0
    assert result.colour == Colour.GREEN


def test_point_values_are_held_against_the_target_itself():
    result = progress(value=D(90), period=parse_period("2024"), level=D(100), cumulative=False)
    assert result is not None
    assert (result.time_progress, result.expected, result.completion) == (100, 100, 90)
    assert result.points_behind == 10
    assert result.colour == Colour.YELLOW


def test_lower_is_better_is_behind_when_above_the_expected_level():
    # e.g. energy use: a cap of 100 for the year; by June 70 used against 50 expected
    result = at("2024-06", "70", level="100", higher_is_better=False)
    assert result.points_behind == 20
    assert result.shortfall == 20
    assert result.colour == Colour.YELLOW


def test_half_the_year_half_the_task():
    assert at("2024-06", "60").half_time_half_done
    assert not at("2024-06", "59.9").half_time_half_done


def test_a_zero_target_gives_no_progress():
    assert progress(value=D(1), period=parse_period("2024"), level=D(0), cumulative=False) is None


def test_a_growth_target_becomes_a_level_through_last_year():
    assert target_level(kind="growth", target=D(10), last_year_total=D(200)) == D(220)
    assert target_level(kind="growth", target=D(10), last_year_total=None) is None
    assert target_level(kind="level", target=D(150), last_year_total=None) == D(150)
