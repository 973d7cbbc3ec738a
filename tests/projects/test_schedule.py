"""Schedule colours at their boundaries (fixed dates), and the not-started rule."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from jinwei.projects.models import Project
from jinwei.projects.schedule import (
    COLOURS,
    Colour,
    ScheduleRules,
    add_months,
    colour_for,
    not_started_red_from,
    schedule,
    time_progress,
)
from jinwei.projects.schedule_queries import colour_counts, colour_q, last_late_start
from tests.conftest import Cast

D = datetime.date
Stage = Project.Stage
RULES = ScheduleRules()
# 100 days from start to completion: each day is one point of time progress.
START, COMPLETION = D(2024, 1, 1), D(2024, 4, 10)


def colour(progress: int, today: datetime.date, **overrides: object) -> Colour:
    values: dict[str, object] = {
        "stage": Stage.UNDER_CONSTRUCTION,
        "planned_start": START,
        "planned_completion": COMPLETION,
        "started_on": START,
        "progress": progress,
        "today": today,
        "rules": RULES,
    }
    values.update(overrides)
    return schedule(**values).colour  # type: ignore[arg-type]


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def test_time_progress_is_exact_and_capped() -> None:
    assert (COMPLETION - START).days == 100
    assert time_progress(START, COMPLETION, day(-5)) == 0
    assert time_progress(START, COMPLETION, day(37)) == Fraction(37)
    assert time_progress(START, COMPLETION, day(150)) == 100


@pytest.mark.parametrize(
    ("elapsed_days", "progress", "expected"),
    [
        (50, 40, Colour.GREEN),  # exactly 10 behind: not yet yellow
        (51, 40, Colour.YELLOW),  # 11 behind
        (70, 40, Colour.YELLOW),  # exactly 30 behind: still yellow
        (71, 40, Colour.RED),  # 31 behind
        (30, 60, Colour.GREEN),  # ahead
        (100, 69, Colour.RED),  # the completion day passed, 31 behind
        (200, 95, Colour.GREEN),  # time progress stops at 100
    ],
)
def test_colour_at_the_boundaries(elapsed_days: int, progress: int, expected: Colour) -> None:
    assert colour(progress, day(elapsed_days)) == expected


def test_fractional_time_progress_just_past_the_boundary_is_yellow() -> None:
    # 300 days: day 31 is 10.33 % of the time; 0 % progress is more than 10 points behind
    completion = START + datetime.timedelta(days=300)
    assert colour(0, day(30), planned_completion=completion) == Colour.GREEN
    assert colour(0, day(31), planned_completion=completion) == Colour.YELLOW


def test_rules_of_the_government_apply() -> None:
    strict = ScheduleRules(yellow_behind_points=5, red_behind_points=15)
    assert colour(40, day(46), rules=strict) == Colour.YELLOW
    assert colour(40, day(56), rules=strict) == Colour.RED


def test_not_started_turns_red_three_months_after_the_planned_start() -> None:
    start = D(2024, 3, 1)
    completion = D(2028, 2, 29)  # long: time progress alone stays under the yellow line
    kwargs = {
        "stage": Stage.SIGNED,
        "started_on": None,
        "planned_start": start,
        "planned_completion": completion,
    }
    assert not_started_red_from(start, RULES) == D(2024, 6, 1)
    assert colour(0, D(2024, 5, 31), **kwargs) == Colour.GREEN
    assert colour(0, D(2024, 6, 1), **kwargs) == Colour.RED
    result = schedule(progress=0, today=D(2024, 6, 1), rules=RULES, **kwargs)  # type: ignore[arg-type]
    assert result.not_started_late


def test_a_started_project_is_not_red_for_the_late_start() -> None:
    start, completion = D(2024, 3, 1), D(2028, 2, 29)
    assert (
        colour(
            5,
            D(2024, 7, 1),
            stage=Stage.STARTED,
            started_on=D(2024, 6, 20),
            planned_start=start,
            planned_completion=completion,
        )
        == Colour.GREEN
    )


def test_not_started_rule_counts_the_configured_months_and_month_ends() -> None:
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    rules = ScheduleRules(not_started_red_months=1)
    assert not_started_red_from(D(2024, 1, 31), rules) == D(2024, 2, 29)


def test_not_started_without_planned_completion_uses_only_the_start_rule() -> None:
    kwargs = {"stage": Stage.SIGNED, "started_on": None, "planned_completion": None}
    assert colour(0, D(2024, 3, 31), **kwargs) == Colour.NONE
    assert colour(0, D(2024, 4, 1), **kwargs) == Colour.RED


@pytest.mark.parametrize("stage", [Stage.COMPLETED, Stage.IN_PRODUCTION])
def test_completed_and_in_production_are_done(stage: str) -> None:
    assert colour(0, day(300), stage=stage) == Colour.DONE


def test_without_planned_dates_there_is_no_colour() -> None:
    assert colour(0, day(10), planned_start=None, planned_completion=None) == Colour.NONE


# --- the same rules as database conditions ------------------------------------------------------


def random_projects(cast: Cast, count: int) -> list[Project]:
    """Projects around the boundaries: starts and completions near the days tested, every stage,
    progress across the range, some dates missing."""
    rng = random.Random(20240601)
    base = D(2024, 3, 1)
    rows = []
    for n in range(count):
        start = base + datetime.timedelta(days=rng.randint(-400, 200))
        completion = start + datetime.timedelta(days=rng.choice([0, 1, 2, 30, 99, 100, 365]))
        stage = rng.choice(list(Stage.values))
        rows.append(
            Project(
                government=cast.enping,
                lead_unit=cast.encheng,
                code=f"R{n:04d}",
                name=f"项目{n}",
                kind=Project.Kind.INDUSTRIAL,
                total_investment=Decimal(1),
                stage=stage,
                planned_start=None if n % 17 == 0 else start,
                planned_completion=None if n % 13 == 0 else completion,
                started_on=None if stage == Stage.SIGNED or n % 5 == 0 else start,
                progress=rng.choice([0, 10, 39, 40, 41, 60, 69, 70, 71, 90, 100]),
            )
        )
    return Project.objects.bulk_create(rows)


@pytest.mark.parametrize(
    "today", [D(2024, 6, 1), D(2024, 5, 31), D(2025, 2, 28), D(2024, 2, 29), D(2023, 12, 31)]
)
def test_database_conditions_colour_like_python(cast: Cast, today: datetime.date) -> None:
    rules = ScheduleRules(yellow_behind_points=10, red_behind_points=30, not_started_red_months=3)
    projects = random_projects(cast, 400)
    expected = {
        p.pk: colour_for(
            p.stage,
            p.planned_start,
            p.planned_completion,
            p.started_on,
            p.progress,
            today,
            rules,
        )
        for p in projects
    }
    queryset = Project.objects.filter(government=cast.enping)
    for colour in COLOURS:
        found = set(queryset.filter(colour_q(colour, today, rules)).values_list("pk", flat=True))
        assert found == {pk for pk, c in expected.items() if c == colour}, colour
    counts = colour_counts(queryset, today, rules)
    assert sum(counts.values()) == len(projects)


def test_last_late_start_handles_month_ends() -> None:
    rules = ScheduleRules()
    assert last_late_start(D(2025, 2, 28), rules) == D(2024, 11, 30)
    assert last_late_start(D(2024, 6, 1), rules) == D(2024, 3, 1)
    assert last_late_start(D(2024, 5, 31), rules) == D(2024, 2, 29)
