"""Load a scheme's data as a numeric panel: years × regions × indicators, NaN where missing.

This is the only place where the composite evaluation touches the database on the way in: two
small queries (the scheme's indicators, the group's regions) and one for every observation of the
panel, which returns a few long values rather than a row per observation. Everything downstream
(composite, sensitivity, what-if) works on the arrays.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg
from django.db import connection
from django.db.models import QuerySet
from numpy.typing import NDArray

from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator, Observation
from jinwei.rankings.composite import Array, PanelData
from jinwei.rankings.models import EvaluationScheme, PeerGroup, SchemeIndicator

# Drafts are a unit's unfinished entries; submitted and approved figures are evaluated.
EVALUATED_STATUSES = (Observation.Status.SUBMITTED, Observation.Status.APPROVED)
TABLE = Observation._meta.db_table

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
_EMPTY: IntArray = np.zeros(0, dtype=np.int64)


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
    regions = list(group_regions(scheme.peer_group).values_list("id", "code", "name"))
    years = list(range(scheme.first_year, scheme.last_year + 1))
    values = np.full((len(years), len(regions), len(items)), np.nan)
    if items and regions:
        region_ids = np.array([region_id for region_id, _code, _name in regions], dtype=np.int64)
        column_ids = np.array([item.indicator_id for item in items], dtype=np.int64)
        t, i, j, numbers = _observations(region_ids, column_ids, years)
        keep = (i >= 0) & (j >= 0)  # ranges read for a large panel hold others' rows too
        cells = (t * len(regions) + i) * len(items) + j
        values.reshape(-1)[cells[keep]] = numbers[keep]
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


LOOKUP_LIMIT = 1 << 22  # ids spanning more than this are looked up by binary search


def _positions(ids: IntArray, offsets: IntArray, low: int) -> IntArray:
    """The position in `ids` of each id `low + offset`, −1 for an id not in `ids`: a table
    indexed by offset (ids are dense enough), else a binary search; never a dict per row."""
    span = int(ids.max()) - low + 1
    if span <= LOOKUP_LIMIT:
        table = np.full(span, -1, dtype=np.int64)
        table[ids - low] = np.arange(len(ids))
        return table[offsets]
    order = np.argsort(ids, kind="stable")
    keys = ids[order]
    found = offsets + low
    at = np.minimum(np.searchsorted(keys, found), len(keys) - 1)
    return np.where(keys[at] == found, order[at], -1)


# A panel at least this large is read by scanning the table once: a province's 1.7 million
# observations are most of the table, and following an index to each of them costs more than
# reading every row. Smaller panels (a city's counties) use the indexes.
SCAN_CELLS = 50_000
# Year, region and indicator share one signed 64-bit integer while their spans allow it.
PACK_LIMIT = 2**62


@dataclass(frozen=True)
class _Key:
    """A row's year, region and indicator packed into one integer by the database:
    ((year − first) × regions + region − lowest) × indicators + indicator − lowest, the spans
    being those of the ids. The database then sends two numbers per observation instead of four;
    when ids are too sparse for that (never in practice), the indicator id is sent apart."""

    first_year: int
    region_low: int
    region_span: int
    indicator_low: int
    indicator_span: int
    packs_indicator: bool = True

    @classmethod
    def of(cls, region_ids: IntArray, indicator_ids: IntArray, years: list[int]) -> _Key:
        region_low, indicator_low = int(region_ids.min()), int(indicator_ids.min())
        region_span = int(region_ids.max()) - region_low + 1
        indicator_span = int(indicator_ids.max()) - indicator_low + 1
        if len(years) * region_span * indicator_span >= PACK_LIMIT:
            return cls(years[0], region_low, region_span, 0, 1, packs_indicator=False)
        return cls(years[0], region_low, region_span, indicator_low, indicator_span)

    def sql(self, year: str) -> tuple[str, list[int]]:
        """The expression, given the SQL of the period as an integer, and its parameters."""
        expression = f"(({year} - %s) * %s + region_id - %s) * %s"
        params = [self.first_year, self.region_span, self.region_low, self.indicator_span]
        if self.packs_indicator:
            return f"{expression} + indicator_id - %s", [*params, self.indicator_low]
        return expression, params

    def positions(
        self,
        packed: IntArray,
        indicator: IntArray | None,
        region_ids: IntArray,
        indicator_ids: IntArray,
    ) -> tuple[IntArray, IntArray, IntArray]:
        """Year, region and indicator positions in the panel (−1: not the panel's)."""
        block = self.region_span * self.indicator_span
        year = packed // block
        rest = packed - year * block
        region = rest // self.indicator_span
        if indicator is None:
            column = _positions(
                indicator_ids, rest - region * self.indicator_span, self.indicator_low
            )
        else:
            low = int(indicator_ids.min())
            column = _positions(indicator_ids, indicator - low, low)
        return year, _positions(region_ids, region, self.region_low), column


def _observations(
    region_ids: IntArray, indicator_ids: IntArray, years: list[int]
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Year, region and indicator positions (−1 for rows not in the panel) and value of every
    evaluated observation.

    The database does the per-row work and sends two long values (the packed keys, see `_Key`,
    and the values) rather than one row per observation: a million rows through the driver
    cost seconds of Python. A large panel is read with ranges over region and indicator ids (a
    sequential scan; other rows within the ranges are dropped by the caller), a small one with
    the exact lists (an index).
    """
    scan = len(years) * len(region_ids) * len(indicator_ids) >= SCAN_CELLS
    key = _Key.of(region_ids, indicator_ids, years)
    reader = _postgresql_observations if connection.vendor == "postgresql" else _sqlite_observations
    packed, indicator, value = reader(region_ids, indicator_ids, years, key, scan)
    if len(packed) != len(value) or (indicator is not None and len(indicator) != len(value)):
        raise RuntimeError("the observations were not read completely")  # pragma: no cover
    return (*key.positions(packed, indicator, region_ids, indicator_ids), value)


def _id_conditions(
    region_ids: IntArray, indicator_ids: IntArray, scan: bool, *, unindexed: str
) -> tuple[str, list[Any]]:
    if scan:
        bounds = [region_ids.min(), region_ids.max(), indicator_ids.min(), indicator_ids.max()]
        return (
            f"{unindexed}region_id BETWEEN %s AND %s AND {unindexed}indicator_id BETWEEN %s AND %s",
            [int(bound) for bound in bounds],
        )
    regions = ", ".join(["%s"] * len(region_ids))
    indicators = ", ".join(["%s"] * len(indicator_ids))
    return (
        f"region_id IN ({regions}) AND indicator_id IN ({indicators})",
        [*region_ids.tolist(), *indicator_ids.tolist()],
    )


Observations = tuple[IntArray, IntArray | None, FloatArray]


def _sqlite_observations(
    region_ids: IntArray, indicator_ids: IntArray, years: list[int], key: _Key, scan: bool
) -> Observations:
    """SQLite concatenates the numbers as text (one aggregate pass, so the lists keep the same
    order) and numpy parses them. SQLite stores the decimals as REAL and prints them with 15
    digits, which gives back the same double for the ≤ 15-digit decimals it stores as REAL;
    longer ones stay text and are parsed from their exact digits. Annual periods are the
    four-character ones."""
    # "+": no index, so that a large panel is one pass over the table
    ids, id_params = _id_conditions(region_ids, indicator_ids, scan, unindexed="+")
    packed, packed_params = key.sql("period")
    indicator = "" if key.packs_indicator else "group_concat(indicator_id), "
    statuses = ", ".join(["%s"] * len(EVALUATED_STATUSES))
    sql = (
        f"SELECT COUNT(*), group_concat({packed}), {indicator}group_concat(value) "  # noqa: S608
        f"FROM {TABLE} WHERE {ids} AND length(period) = 4 AND period BETWEEN %s AND %s "
        f"AND status IN ({statuses})"
    )
    params = [*packed_params, *id_params, str(years[0]), str(years[-1]), *EVALUATED_STATUSES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, *texts = cursor.fetchone()
    if not count:
        return _EMPTY, None if key.packs_indicator else _EMPTY, np.zeros(0)
    keys = _parse(texts[0], np.int64, count)
    indicators = None if key.packs_indicator else _parse(texts[1], np.int64, count)
    return keys, indicators, _parse(texts[-1], np.float64, count)


def _parse(text: str, dtype: type[np.generic], count: int) -> Any:
    """Comma-separated numbers as an array (numpy's C parser; floats correctly rounded)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # text that is not a number
        parsed = np.fromstring(text, dtype=dtype, sep=",")
    if len(parsed) != count:
        raise ValueError("unexpected observation text")  # pragma: no cover
    return parsed


def _postgresql_observations(
    region_ids: IntArray, indicator_ids: IntArray, years: list[int], key: _Key, scan: bool
) -> Observations:
    """PostgreSQL collects each column in an array and sends it in binary (array_send, binary
    results), which numpy reads as is: no number is printed or parsed. The value's cast to
    double is PostgreSQL's correctly rounded decimal-to-double conversion."""
    ids, id_params = _id_conditions(region_ids, indicator_ids, scan, unindexed="")
    packed, packed_params = key.sql("period::int8")
    indicator = "" if key.packs_indicator else "array_send(array_agg(indicator_id::int8)), "
    sql = (
        f"SELECT array_send(array_agg({packed})), {indicator}"  # noqa: S608
        f"array_send(array_agg(value::float8)) FROM {TABLE} WHERE {ids} "
        "AND period = ANY(%s) AND status = ANY(%s)"
    )
    params = [*packed_params, *id_params, [str(y) for y in years], list(EVALUATED_STATUSES)]
    started = time.monotonic()
    connection.ensure_connection()
    # a cursor of its own: binary results, parameters bound by the server (Django's cursor
    # interpolates them and reads results as text, hex for bytea)
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        row = cursor.fetchone()
    if connection.queries_logged:  # counted like the queries of Django's cursor
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    if row is None:  # an aggregate without GROUP BY has one row
        raise RuntimeError("no result from the observations query")  # pragma: no cover
    indicators = None if key.packs_indicator else _binary_array(row[1], ">i8").astype(np.int64)
    return (
        _binary_array(row[0], ">i8").astype(np.int64),
        indicators,
        _binary_array(row[-1], ">f8").astype(np.float64),
    )


def _binary_array(data: bytes | None, element: str) -> Any:
    """A one-dimensional array without NULLs in PostgreSQL's binary format: dimensions, a null
    flag and the element type, then length and lower bound, then (length, value) per element."""
    if data is None:  # no row: array_agg gives NULL
        return np.zeros(0, dtype=element)
    ndim, has_null = (int(v) for v in np.frombuffer(data, dtype=">i4", count=2))
    if ndim == 0:
        return np.zeros(0, dtype=element)
    if ndim != 1 or has_null:
        raise ValueError("unexpected array from the database")  # pragma: no cover
    length = int(np.frombuffer(data, dtype=">i4", count=1, offset=12)[0])
    cell = np.dtype([("size", ">i4"), ("value", element)])
    cells = np.frombuffer(data, dtype=cell, count=length, offset=20)
    return cells["value"]


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
