"""Load a scheme's data as a numeric panel: years × regions × indicators, NaN where missing.

This is the only place where the composite evaluation touches the database on the way in: three
small queries (the scheme's indicators, the group's regions) and one for every observation of the
panel. Everything downstream (composite, sensitivity, what-if) works on the arrays.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator, Observation
from jinwei.rankings.composite import Array, PanelData
from jinwei.rankings.models import EvaluationScheme, PeerGroup, SchemeIndicator

# Drafts are a unit's unfinished entries; submitted and approved figures are evaluated.
EVALUATED_STATUSES = (Observation.Status.SUBMITTED, Observation.Status.APPROVED)


@dataclass(frozen=True)
class IndicatorInfo:
    """What the pages show about an indicator beside the numbers."""

    code: str
    name: str
    unit: str
    decimals: int
    dimension: str  # the dimension's (category's) code
    dimension_name: str
    valid_min: float | None = None
    valid_max: float | None = None


@dataclass(frozen=True)
class Panel:
    """A scheme's panel with the labels the pages need; `data` is what the numeric code uses."""

    data: PanelData
    region_ids: list[int]
    region_names: list[str]
    indicators: list[IndicatorInfo]
    dimension_names: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return self.data.years

    @property
    def region_codes(self) -> list[str]:
        return self.data.region_codes

    @property
    def values(self) -> Array:
        return self.data.values


def group_regions(group: PeerGroup) -> QuerySet[Region]:
    """The regions of a peer group: the parent's children, or the listed members."""
    if group.parent_id is not None:
        return Region.objects.filter(parent_id=group.parent_id).order_by("code")
    return group.members.order_by("code")


def scheme_items(scheme: EvaluationScheme) -> list[SchemeIndicator]:
    return list(
        SchemeIndicator.objects.filter(scheme=scheme)
        .select_related("indicator", "dimension")
        .order_by("dimension__order", "dimension__code", "order", "indicator__code")
    )


def _optional(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def load_panel(scheme: EvaluationScheme) -> Panel:
    """The scheme's observations for its group, its indicators and its years, in one query."""
    items = scheme_items(scheme)
    members = group_regions(scheme.peer_group)
    regions = list(members.values_list("id", "code", "name"))
    years = list(range(scheme.first_year, scheme.last_year + 1))
    values = np.full((len(years), len(regions), len(items)), np.nan)
    col_of = {item.indicator_id: j for j, item in enumerate(items)}
    year_of = {str(year): t for t, year in enumerate(years)}
    # matrix positions by id, looked up with searchsorted rather than a dict per observation
    region_ids = np.array([region_id for region_id, _code, _name in regions], dtype=np.int64)
    region_order = np.argsort(region_ids)
    region_keys = region_ids[region_order]
    column_ids = np.array(list(col_of), dtype=np.int64)
    column_order = np.argsort(column_ids)
    column_keys = column_ids[column_order]
    if items and regions:
        t, i, j, numbers = _observations(members, region_ids.tolist(), list(col_of), list(year_of))
        year_keys = np.array(years, dtype=np.int64)
        keep = np.isin(t, year_keys) & np.isin(i, region_keys) & np.isin(j, column_keys)
        values[
            np.searchsorted(year_keys, t[keep]),
            region_order[np.searchsorted(region_keys, i[keep])],
            column_order[np.searchsorted(column_keys, j[keep])],
        ] = numbers[keep]
    data = PanelData(
        years=years,
        region_codes=[code for _id, code, _name in regions],
        indicator_codes=[item.indicator.code for item in items],
        benefit=[item.indicator.direction == Indicator.Direction.HIGHER for item in items],
        dimensions=[item.dimension.code for item in items],
        values=values,
        fixed_weights=[_optional(item.weight) for item in items],
        reference=[_optional(item.reference) for item in items],
    )
    return Panel(
        data=data,
        region_ids=[region_id for region_id, _code, _name in regions],
        region_names=[name for _id, _code, name in regions],
        indicators=[_info(item) for item in items],
        dimension_names={item.dimension.code: item.dimension.name for item in items},
    )


def _observations(
    members: QuerySet[Region], region_ids: list[int], indicator_ids: list[int], periods: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, region id, indicator id and value of every evaluated observation, as arrays.

    A province's panel has millions of observations: the database concatenates them per region
    and period (28 thousand rows instead of 1.7 million cross the driver) and numpy parses the
    text. PostgreSQL prints doubles in their shortest round-trip form and SQLite stores them as
    REAL (printed with 15 digits, which gives back the same double for the ≤ 15-digit decimals
    it stores as REAL; longer ones stay text and are parsed from their exact digits).
    """
    table = Observation._meta.db_table
    if connection.vendor == "postgresql":
        return _copy_observations(table, region_ids, indicator_ids, periods)
    subquery, subparams = members.order_by().values("id").query.sql_with_params()
    # group_concat keeps the two lists in the same order (one aggregate pass); "+" makes SQLite
    # walk the (region, period) index instead of 1.7 million probes of the unique one
    ids, numbers, indexed = "group_concat(indicator_id, ',')", "group_concat(value, ',')", "+"
    marks = ", ".join(["%s"] * len(indicator_ids))
    period_marks = ", ".join(["%s"] * len(periods))
    status_marks = ", ".join(["%s"] * len(EVALUATED_STATUSES))
    sql = (
        f"SELECT region_id, period, COUNT(*), {ids}, {numbers} FROM {table} "  # noqa: S608
        f"WHERE {indexed}indicator_id IN ({marks}) AND region_id IN ({subquery}) "
        f"AND {indexed}period IN ({period_marks}) AND status IN ({status_marks}) "
        "AND value IS NOT NULL GROUP BY region_id, period"
    )
    params = [*indicator_ids, *subparams, *periods, *EVALUATED_STATUSES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    row_regions, row_periods, counts, id_lists, number_lists = zip(*rows, strict=True)
    count = np.asarray(counts, dtype=np.intp)
    year = np.repeat(np.asarray([int(p) for p in row_periods], dtype=np.int64), count)
    region = np.repeat(np.asarray(row_regions, dtype=np.int64), count)
    indicator = np.array(",".join(id_lists).split(","), dtype=np.int64)
    number = np.array(",".join(number_lists).split(","), dtype=float)
    return year, region, indicator, number


# COPY … (FORMAT binary) of (int8, int4, int8, float8) rows: fixed-width tuples numpy reads as is
_COPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("region_size", ">i4"),
        ("region", ">i8"),
        ("year_size", ">i4"),
        ("year", ">i4"),
        ("indicator_size", ">i4"),
        ("indicator", ">i8"),
        ("value_size", ">i4"),
        ("value", ">f8"),
    ]
)
_COPY_HEADER = 19  # signature (11), flags (4), header extension length (4)
_COPY_TRAILER = 2


def _copy_observations(
    table: str, region_ids: list[int], indicator_ids: list[int], periods: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PostgreSQL's bulk path out: binary COPY, parsed by numpy without a Python object per
    observation (NULL values become NaN in SQL so that every tuple has the same width)."""
    sql = (
        f"COPY (SELECT region_id::int8, period::int4, indicator_id::int8, "  # noqa: S608
        f"COALESCE(value::float8, 'NaN') FROM {table} WHERE indicator_id = ANY(%s) "
        "AND region_id = ANY(%s) AND period = ANY(%s) AND status = ANY(%s)) "
        "TO STDOUT (FORMAT binary)"
    )
    # the region ids as one array parameter: PostgreSQL plans it better than the subquery
    params = [indicator_ids, region_ids, periods, list(EVALUATED_STATUSES)]
    data = bytearray()
    started = time.monotonic()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(sql, params) as copy:
            for chunk in copy:
                data += chunk
    if connection.queries_logged:  # COPY bypasses Django's cursor wrapper; count it like a query
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    body = memoryview(data)[_COPY_HEADER : len(data) - _COPY_TRAILER]
    rows = np.frombuffer(body, dtype=_COPY_ROW)
    return (
        rows["year"].astype(np.int64),
        rows["region"].astype(np.int64),
        rows["indicator"].astype(np.int64),
        rows["value"].astype(float),
    )


def _info(item: SchemeIndicator) -> IndicatorInfo:
    indicator = item.indicator
    return IndicatorInfo(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        decimals=indicator.decimals,
        dimension=item.dimension.code,
        dimension_name=item.dimension.name,
        valid_min=_optional(indicator.valid_min),
        valid_max=_optional(indicator.valid_max),
    )
