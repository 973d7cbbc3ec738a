"""Time in stage, for the funnel: how long leads stay at each stage, from their stage changes.

A stay runs from the change that entered a stage to the next change of the lead (forward or
back) or the day the lead was dropped (the change's `left_on`); a stay not yet over counts its
days so far. Stays are counted per stage and number of days in one query, so the medians are read
from histograms whose size depends on the days, not on the number of leads.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from jinwei.investment.models import Lead, LeadStageChange

Stage = Lead.Stage
STAGES: tuple[str, ...] = tuple(Stage.values)


def run_sql(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run SQL put together from ORM-compiled parts: table and column names quoted, every
    value a parameter (the ORM cannot aggregate over a derived table or a window)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _days_between(end: str, start: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
    return f"({end} - {start})"  # PostgreSQL: date - date is a number of days


def _stays_sql(
    government_id: int, ids_sql: str, params: Sequence[Any], today: datetime.date
) -> tuple[str, list[Any]]:
    """The stays grouped as (stage, running, days, count), with the query's parameters.
    Finished stays are counted by `days_in_stage` (kept by the services), running ones (no
    `left_on` yet) by their start; both from the government's indexes, narrowed to the leads of
    `ids_sql` when it is given (a filtered funnel). SQLite reads each kind from its partial index
    in the order it groups them (no sort); PostgreSQL hashes them in one pass."""
    q = connection.ops.quote_name
    change, to_stage, on = q(LeadStageChange._meta.db_table), q("to_stage"), q("on")
    days, left_on, lead_id = q("days_in_stage"), q("left_on"), q("lead_id")
    where = f"{q('government_id')} = %s" + (f" AND {lead_id} IN ({ids_sql})" if ids_sql else "")
    scope = [government_id, *params]
    if connection.vendor != "sqlite":
        stays = (
            f"SELECT {to_stage} AS stage, {left_on} IS NULL AS running, {days} AS days, "  # noqa: S608
            f"CASE WHEN {left_on} IS NULL THEN {on} END AS started "
            f"FROM {change} WHERE {where}"
        )
        so_far = _days_between(_date_parameter(), "started")
        return (
            f"SELECT stage, running, COALESCE(days, {so_far}), COUNT(*) "  # noqa: S608
            f"FROM ({stays}) stays GROUP BY stage, running, days, started"
        ), [today.isoformat(), *scope]
    so_far = _days_between(_date_parameter(), on)
    return (
        f"SELECT {to_stage}, 0, {days}, COUNT(*) "  # noqa: S608
        f"FROM {change} INDEXED BY {q('leadstage_finished_stays')} "
        f"WHERE {days} IS NOT NULL AND {where} GROUP BY {to_stage}, {days} "
        f"UNION ALL SELECT {to_stage}, 1, {so_far}, COUNT(*) "
        f"FROM {change} INDEXED BY {q('leadstage_running_stays')} "
        f"WHERE {left_on} IS NULL AND {where} GROUP BY {to_stage}, {on}"
    ), [*scope, today.isoformat(), *scope]


def stay_histograms(
    government_id: int, leads: QuerySet[Lead] | None, today: datetime.date
) -> tuple[dict[str, Counter[int]], dict[str, Counter[int]]]:
    """Stays per stage as {stage: {days: how many}}: the finished ones (left for the next stage,
    back, or dropped) and the running ones (days so far), for the government's leads or, when
    `leads` narrows them, for those. One query; no change is paired with the next one, each
    carries the end and length of its stay."""
    ids_sql, params = ("", ()) if leads is None else leads.values("pk").query.sql_with_params()
    sql, values = _stays_sql(government_id, ids_sql, params, today)
    finished: dict[str, Counter[int]] = defaultdict(Counter)
    running: dict[str, Counter[int]] = defaultdict(Counter)
    for stage, is_running, days_count, count in run_sql(sql, values):
        (running if is_running else finished)[stage][max(int(days_count), 0)] += count
    running.pop(Stage.LANDED, None)  # the last stage: nothing to leave for
    return finished, running


def _date_parameter() -> str:
    return "%s" if connection.vendor == "sqlite" else "CAST(%s AS DATE)"


def median_of(histogram: Mapping[int, int]) -> Decimal | None:
    """The median of values given as {value: count}."""
    total = sum(histogram.values())
    if not total:
        return None
    low_index, high_index = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_index:
            low = value
        if seen > high_index:
            high = value
            break
    assert low is not None and high is not None  # noqa: S101 (total > 0)
    return Decimal(low + high) / 2


def mean_of(histogram: Mapping[int, int]) -> Decimal | None:
    total = sum(histogram.values())
    if not total:
        return None
    weighted = sum(value * count for value, count in histogram.items())
    return (Decimal(weighted) / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class StageTime:
    stays: int
    mean_days: Decimal | None
    median_days: Decimal | None
    now_in_stage: int
    median_days_so_far: Decimal | None


def stage_times(
    finished: Mapping[str, Counter[int]], running: Mapping[str, Counter[int]]
) -> dict[str, StageTime]:
    empty: Counter[int] = Counter()
    return {
        stage: StageTime(
            stays=sum(finished.get(stage, empty).values()),
            mean_days=mean_of(finished.get(stage, empty)),
            median_days=median_of(finished.get(stage, empty)),
            now_in_stage=sum(running.get(stage, empty).values()),
            median_days_so_far=median_of(running.get(stage, empty)),
        )
        for stage in STAGES
    }
