"""Per-indicator ranks in a peer group, computed on every read from the observations.

Nothing here is stored: a page loads the group's regions, the indicators and the observations it
needs in a fixed number of queries, and ranks them with `engine.competition_rank` (numpy). Ranks
follow the indicator's direction, ties share a rank (1, 2, 2, 4), and a region without a value is
listed as missing, never ranked last. Values are compared as floats inside the ranking kernel;
gaps are computed from the stored Decimals.

A first place ("江门第一") counts only where at least two regions have a value: being first
alone (a county that reports before its peers publish) is no place won.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jinwei.accounts.access import scope_to_governments, visible_government_ids
from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator, Observation
from jinwei.lib.periods import Frequency, Period, PeriodError, parse_period
from jinwei.rankings import engine
from jinwei.rankings.models import PeerGroup

HUNDRED = Decimal(100)
K = TypeVar("K")


# --- peer groups ---------------------------------------------------------------------------


def peer_group_queryset(*, viewer: Any) -> QuerySet[PeerGroup]:
    """Groups of the governments the viewer works for."""
    rows = PeerGroup.objects.select_related("government", "parent")
    return scope_to_governments(rows, viewer, "government_id").order_by("government__code", "name")


def peer_group_list(*, viewer: Any) -> QuerySet[PeerGroup]:
    return peer_group_queryset(viewer=viewer).prefetch_related("members")


def default_group(*, viewer: Any) -> PeerGroup | None:
    """The first group of the viewer's (first) government."""
    return peer_group_queryset(viewer=viewer).first()


def groups_of_region(*, viewer: Any, region: Region) -> list[PeerGroup]:
    """The viewer's groups that count `region` among their members (the situation page's link)."""
    groups = peer_group_queryset(viewer=viewer).filter(
        Q(parent_id=region.parent_id, parent__isnull=False) | Q(members=region)
    )
    return list(groups.distinct())


def region_filter(group: PeerGroup, prefix: str = "") -> Q:
    """The group's regions as a condition, so observations are filtered in the database without
    sending a list of ids (a province's group can hold hundreds of counties)."""
    if group.parent_id is not None:
        return Q(**{f"{prefix}parent_id": group.parent_id})
    through = PeerGroup.members.through.objects.filter(peergroup_id=group.pk)
    return Q(**{f"{prefix}id__in": through.values("region_id")})


def group_regions(group: PeerGroup) -> list[Region]:
    """The members: the children of the parent, or the listed regions; in code order."""
    return list(Region.objects.filter(region_filter(group)).order_by("code"))


def rankable_indicators(group: PeerGroup) -> QuerySet[Indicator]:
    """The group's government's indicators, in catalogue order."""
    return (
        Indicator.objects.filter(government_id=group.government_id)
        .select_related("category")
        .order_by("category__order", "category__code", "order", "code")
    )


# --- ranking (no database) -----------------------------------------------------------------


def competition_ranks(values: Mapping[K, Decimal], *, higher_is_better: bool) -> dict[K, int]:
    """1, 2, 2, 4: one plus the number of values strictly better, by the indicator's direction."""
    keys = list(values)
    if not keys:
        return {}
    sign = 1.0 if higher_is_better else -1.0
    signed = np.array([float(values[k]) for k in keys], dtype=float) * sign
    ranks = engine.competition_rank(signed)
    return {key: int(rank) for key, rank in zip(keys, ranks, strict=True)}


def rank_panel(
    table: Mapping[tuple[int, str], Mapping[int, Decimal]],
    directions: Mapping[int, bool],
    region_ids: Sequence[int],
) -> dict[tuple[int, str], dict[int, int]]:
    """Ranks for many (indicator, period) rows at once: one rows × regions matrix with NaN for
    the missing, signed by direction, ranked in one call. `directions` maps an indicator to
    higher-is-better."""
    keys = list(table)
    if not keys or not region_ids:
        return {key: {} for key in keys}
    column = {region_id: j for j, region_id in enumerate(region_ids)}
    matrix = np.full((len(keys), len(region_ids)), np.nan)
    for i, key in enumerate(keys):
        sign = 1.0 if directions[key[0]] else -1.0
        for region_id, value in table[key].items():
            j = column.get(region_id)
            if j is not None:
                matrix[i, j] = sign * float(value)
    ranks = engine.competition_rank(matrix, axis=-1)
    found: dict[tuple[int, str], dict[int, int]] = {}
    for i, key in enumerate(keys):
        row = ranks[i]
        found[key] = {rid: int(row[j]) for rid, j in column.items() if not np.isnan(row[j])}
    return found


@dataclass(frozen=True)
class Value:
    """One observation as ranked: its value and what the page says about it."""

    value: Decimal
    is_illustrative: bool = False
    status: str = Observation.Status.APPROVED

    @property
    def is_approved(self) -> bool:
        return self.status == Observation.Status.APPROVED


@dataclass(frozen=True)
class Gap:
    """How far behind a better place: in the indicator's unit (never negative), and in percent of
    that place's value (None when that value is zero)."""

    amount: Decimal
    percent: Decimal | None

    @classmethod
    def between(cls, value: Decimal, reference: Decimal) -> Gap:
        amount = abs(reference - value)
        percent = amount / abs(reference) * HUNDRED if reference else None
        return cls(amount, percent)


@dataclass(frozen=True)
class Change:
    """Rank against the previous period: up or down so many places, the same, or new."""

    kind: str  # "up", "down", "same", "new"
    places: int = 0

    @property
    def label(self) -> str:
        if self.kind == "up":
            return f"↑{self.places}"
        if self.kind == "down":
            return f"↓{self.places}"
        if self.kind == "same":
            return "="
        return _("new")

    @property
    def description(self) -> str:
        """The change in words, for screen readers and tooltips."""
        if self.kind == "up":
            return _("up %(places)d") % {"places": self.places}
        if self.kind == "down":
            return _("down %(places)d") % {"places": self.places}
        if self.kind == "same":
            return _("unchanged")
        return _("no rank in the previous period")


@dataclass(frozen=True)
class Standing:
    """One region in one indicator's table for one period."""

    region: Region
    value: Value | None
    rank: int | None
    previous_rank: int | None = None
    gap_next: Gap | None = None  # to the nearest strictly better value
    gap_leader: Gap | None = None

    @property
    def is_missing(self) -> bool:
        return self.rank is None

    @property
    def change(self) -> Change | None:
        if self.rank is None:
            return None
        if self.previous_rank is None:
            return Change("new")
        moved = self.previous_rank - self.rank
        if moved > 0:
            return Change("up", moved)
        if moved < 0:
            return Change("down", -moved)
        return Change("same")


def standings(
    regions: Sequence[Region],
    now: Mapping[int, Value],
    before: Mapping[int, Value] | None = None,
    *,
    higher_is_better: bool,
) -> list[Standing]:
    """The table: ranked regions by rank (then code), then the regions without a value."""
    ids = {r.pk for r in regions}
    values = {rid: v.value for rid, v in now.items() if rid in ids}
    ranks = competition_ranks(values, higher_is_better=higher_is_better)
    earlier = {rid: v.value for rid, v in (before or {}).items() if rid in ids}
    # first among one is no rank: a change against it would read as a fall (由第1位降至第2位)
    previous = (
        competition_ranks(earlier, higher_is_better=higher_is_better) if len(earlier) > 1 else {}
    )
    ladder = sorted(set(values.values()), reverse=higher_is_better)  # best first, distinct
    step = {value: i for i, value in enumerate(ladder)}
    rows = []
    for region in regions:
        value = values.get(region.pk)
        gap_next = gap_leader = None
        if value is not None and step[value] > 0:
            gap_next = Gap.between(value, ladder[step[value] - 1])
            gap_leader = Gap.between(value, ladder[0])
        rows.append(
            Standing(
                region=region,
                value=now.get(region.pk),
                rank=ranks.get(region.pk),
                previous_rank=previous.get(region.pk),
                gap_next=gap_next,
                gap_leader=gap_leader,
            )
        )
    missing_last = len(regions) + 1
    rows.sort(key=lambda s: (s.rank or missing_last, s.region.code))
    return rows


# --- loading -------------------------------------------------------------------------------

Table = dict[tuple[int, str], dict[int, Value]]  # (indicator id, period) -> region id -> value


def load_values(
    group: PeerGroup, indicator_ids: Iterable[int], periods: Iterable[str] | None = None
) -> Table:
    """Every value of the chosen indicators in the group's regions: one query."""
    rows = Observation.objects.filter(
        region_filter(group, "region__"), indicator_id__in=list(indicator_ids)
    )
    if periods is not None:
        rows = rows.filter(period__in=list(periods))
    table: Table = defaultdict(dict)
    found = rows.values_list(
        "indicator_id", "region_id", "period", "value", "is_illustrative", "status"
    )
    for indicator_id, region_id, period, value, illustrative, status in found:
        table[(indicator_id, period)][region_id] = Value(value, illustrative, status)
    return table


def _parsed(periods: Iterable[str], frequency: str) -> list[Period]:
    found = set()
    for text in periods:
        try:
            period = parse_period(text)
        except PeriodError:
            continue
        if period.frequency == frequency:
            found.add(period)
    return sorted(found)


def indicator_periods(group: PeerGroup, indicator: Indicator) -> list[Period]:
    """Periods of the indicator's frequency with a value in the group, oldest first."""
    rows = (
        Observation.objects.filter(region_filter(group, "region__"), indicator=indicator)
        .order_by()  # no default ordering: it would enter the DISTINCT
        .values_list("period", flat=True)
        .distinct()
    )
    return _parsed(rows, indicator.frequency)


def periods_by_frequency(group: PeerGroup) -> dict[str, list[Period]]:
    """Periods with any value of the government's indicators in the group, per frequency."""
    rows = (
        Observation.objects.filter(
            region_filter(group, "region__"), indicator__government_id=group.government_id
        )
        .order_by()  # no default ordering: it would enter the DISTINCT
        .values_list("period", flat=True)
        .distinct()
    )
    texts = list(rows)
    return {f.value: _parsed(texts, f) for f in Frequency}


def latest_period(group: PeerGroup) -> Period | None:
    """The default: the latest annual period with data, else the latest of any frequency."""
    found = periods_by_frequency(group)
    for frequency in (Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY):
        if found[frequency]:
            return found[frequency][-1]
    return None


def indicators_with_data(group: PeerGroup, period: Period) -> list[Indicator]:
    """The government's indicators with a value in the group for `period`, in catalogue order."""
    with_data = (
        Observation.objects.filter(region_filter(group, "region__"), period=str(period))
        .order_by()
        .values("indicator_id")
    )
    rows = rankable_indicators(group).filter(frequency=period.frequency, pk__in=with_data)
    return list(rows)


# --- one indicator's league table ----------------------------------------------------------


@dataclass
class League:
    group: PeerGroup
    indicator: Indicator
    period: Period
    previous: Period
    rows: list[Standing]

    @property
    def ranked(self) -> list[Standing]:
        return [s for s in self.rows if not s.is_missing]

    @property
    def missing(self) -> list[Standing]:
        return [s for s in self.rows if s.is_missing]

    @property
    def has_illustrative(self) -> bool:
        return any(s.value and s.value.is_illustrative for s in self.rows)

    @property
    def has_unapproved(self) -> bool:
        return any(s.value and not s.value.is_approved for s in self.rows)


def league_table(
    *, group: PeerGroup, indicator: Indicator, period: Period, regions: list[Region] | None = None
) -> League:
    """One indicator's ranks in one period with the change against the period before."""
    if regions is None:
        regions = group_regions(group)
    previous = period.previous()
    table = load_values(group, [indicator.pk], [str(period), str(previous)])
    rows = standings(
        regions,
        table.get((indicator.pk, str(period)), {}),
        table.get((indicator.pk, str(previous)), {}),
        higher_is_better=indicator.higher_is_better,
    )
    return League(group, indicator, period, previous, rows)


# --- many indicators in one period: the heat map and a region's page -----------------------


@dataclass
class Panel:
    """Every indicator with data in one period: ranks and values per region."""

    group: PeerGroup
    period: Period
    regions: list[Region]
    indicators: list[Indicator]
    values: Table
    ranks: dict[tuple[int, str], dict[int, int]]

    def rank(self, indicator: Indicator, region: Region) -> int | None:
        return self.ranks.get((indicator.pk, str(self.period)), {}).get(region.pk)

    def value(self, indicator: Indicator, region: Region) -> Value | None:
        return self.values.get((indicator.pk, str(self.period)), {}).get(region.pk)

    def ranked_count(self, indicator: Indicator) -> int:
        return len(self.ranks.get((indicator.pk, str(self.period)), {}))

    def firsts(self, region: Region) -> list[Indicator]:
        """Indicators the region ranks first in, where at least two regions have a value."""
        return [
            i for i in self.indicators if self.rank(i, region) == 1 and self.ranked_count(i) >= 2
        ]

    def league(self, indicator: Indicator) -> list[Standing]:
        previous = self.period.previous()
        return standings(
            self.regions,
            self.values.get((indicator.pk, str(self.period)), {}),
            self.values.get((indicator.pk, str(previous)), {}),
            higher_is_better=indicator.higher_is_better,
        )

    @property
    def has_illustrative(self) -> bool:
        return any(v.is_illustrative for row in self.values.values() for v in row.values())


def panel(*, group: PeerGroup, period: Period, with_previous: bool = False) -> Panel:
    """Regions × indicators for one period (and the period before, for rank changes)."""
    regions = group_regions(group)
    indicators = indicators_with_data(group, period)
    periods = [str(period)] + ([str(period.previous())] if with_previous else [])
    table = load_values(group, [i.pk for i in indicators], periods)
    directions = {i.pk: i.higher_is_better for i in indicators}
    plain = {key: {rid: v.value for rid, v in row.items()} for key, row in table.items()}
    ranks = rank_panel(plain, directions, [r.pk for r in regions])
    return Panel(group, period, regions, indicators, table, ranks)


@dataclass(frozen=True)
class Excerpt:
    """An indicator's table cut down to its top and the region's neighbours; None marks "…"."""

    indicator: Indicator
    own: Standing
    rows: list[Standing | None]
    ranked_count: int


def excerpt(
    indicator: Indicator, rows: list[Standing], region: Region, *, top: int, around: int
) -> Excerpt:
    ranked = [s for s in rows if not s.is_missing]
    own_index = next((i for i, s in enumerate(rows) if s.region.pk == region.pk), None)
    if own_index is None:  # not a member: the top only
        own = Standing(region=region, value=None, rank=None)
        keep = set(range(min(top, len(ranked))))
    elif rows[own_index].is_missing:
        own = rows[own_index]
        keep = set(range(min(top, len(ranked)))) | {own_index}
    else:
        own = rows[own_index]
        low, high = max(0, own_index - around), min(len(ranked) - 1, own_index + around)
        keep = set(range(min(top, len(ranked)))) | set(range(low, high + 1))
    shown: list[Standing | None] = []
    last = -1
    for i in sorted(keep):
        if i > last + 1:
            shown.append(None)
        shown.append(rows[i])
        last = i
    return Excerpt(indicator, own, shown, len(ranked))


@dataclass
class RegionPosition:
    group: PeerGroup
    region: Region
    period: Period
    excerpts: list[Excerpt]
    firsts: list[Indicator]
    has_illustrative: bool

    @property
    def ranked(self) -> list[Excerpt]:
        return [e for e in self.excerpts if not e.own.is_missing]

    @property
    def missing(self) -> list[Excerpt]:
        return [e for e in self.excerpts if e.own.is_missing]


def region_position(
    *, group: PeerGroup, region: Region, period: Period, top: int = 3, around: int = 2
) -> RegionPosition:
    """For every indicator with data in the period: the top of the table, then the region's
    own place with `around` neighbours either side."""
    found = panel(group=group, period=period, with_previous=True)
    excerpts = [
        excerpt(indicator, found.league(indicator), region, top=top, around=around)
        for indicator in found.indicators
    ]
    return RegionPosition(
        group, region, period, excerpts, found.firsts(region), found.has_illustrative
    )


# --- first places over the periods ---------------------------------------------------------


@dataclass
class FirstPlaces:
    """How many indicators each region ranks first in, per period, and which."""

    group: PeerGroup
    frequency: str
    periods: list[Period]
    regions: list[Region]
    indicators: dict[int, Indicator]
    firsts: dict[tuple[int, str], list[Indicator]]  # (region id, period) -> indicators
    contested: dict[str, int]  # period -> indicators with at least two values

    def of(self, region: Region, period: Period | str) -> list[Indicator]:
        return self.firsts.get((region.pk, str(period)), [])

    def count(self, region: Region, period: Period | str) -> int:
        return len(self.of(region, period))

    def rows(self) -> list[tuple[Region, list[int]]]:
        return [(r, [self.count(r, p) for p in self.periods]) for r in self.regions]


def first_places(*, group: PeerGroup, frequency: str = Frequency.ANNUAL) -> FirstPlaces:
    """First-place counts of every region in every period of one frequency: three queries."""
    regions = group_regions(group)
    indicators = {i.pk: i for i in rankable_indicators(group).filter(frequency=frequency)}
    table = load_values(group, indicators)
    periods = _parsed({period for _i, period in table}, frequency)
    wanted = {str(p) for p in periods}
    plain = {
        key: {rid: v.value for rid, v in row.items()}
        for key, row in table.items()
        if key[1] in wanted and key[0] in indicators
    }
    directions = {pk: i.higher_is_better for pk, i in indicators.items()}
    ranks = rank_panel(plain, directions, [r.pk for r in regions])
    firsts: dict[tuple[int, str], list[Indicator]] = defaultdict(list)
    contested: dict[str, int] = defaultdict(int)
    order = {pk: n for n, pk in enumerate(indicators)}
    for (indicator_id, period), row in sorted(ranks.items(), key=lambda kv: order[kv[0][0]]):
        if len(row) < 2:
            continue
        contested[period] += 1
        for region_id, rank in row.items():
            if rank == 1:
                firsts[(region_id, period)].append(indicators[indicator_id])
    return FirstPlaces(group, frequency, periods, regions, indicators, firsts, contested)


def own_region_ids(viewer: Any) -> set[int]:
    """The regions the viewer works for: highlighted in the tables and charts."""
    return visible_government_ids(viewer) or set()
