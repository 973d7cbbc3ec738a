"""The wall dashboard's figures (大屏), gathered from the apps that own them.

Nothing is computed here that an app already computes: colours, milestones, ranks, first
places, red tasks, scorecards, investment totals, schedule colours and the funnel come from
those apps' selectors, called for one government and one day. This module only picks what a
wall shows (the latest, the largest, a handful of each) so every panel fits a 1920×1080 screen,
and each read costs a bounded number of queries whatever the size of the data.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinwei.accounts.models import Region
from jinwei.indicators import selectors as indicator_selectors
from jinwei.indicators.selectors import IndicatorStanding, MilestoneEntry
from jinwei.investment import funnel as investment_funnel
from jinwei.investment.selectors import visible_leads
from jinwei.lib.periods import Frequency, Period
from jinwei.projects import investment_totals
from jinwei.projects import selectors as project_selectors
from jinwei.projects.access import visible_projects
from jinwei.projects.schedule import COLOURS as SCHEDULE_COLOURS
from jinwei.projects.schedule import Colour as ScheduleColour
from jinwei.projects.schedule_queries import colour_counts
from jinwei.rankings import selectors as rank_selectors
from jinwei.rankings.models import EvaluationRun, EvaluationScore, PeerGroup
from jinwei.rankings.scheme_selectors import visible_runs
from jinwei.rankings.selectors import Change, Excerpt, RegionPosition
from jinwei.tasks import scorecards
from jinwei.tasks import selectors as task_selectors
from jinwei.tasks.selectors import RedGroup

HEADLINE_SHOWN = 8  # tiles of headline indicators
MILESTONES_SHOWN = 5
MOVES_SHOWN = 5  # per-indicator rank lines
LOOKBACK = 2  # years tried for one with peer values
RED_UNITS_SHOWN = 5
PARKS_SHOWN = 3
TEN_THOUSAND = Decimal(10000)  # 万元 -> 亿元 for the wall's large figures
HUNDRED = Decimal(100)


# --- indicators ----------------------------------------------------------------------------


@dataclass
class IndicatorBoard:
    headline: list[IndicatorStanding]
    more_headline: int
    milestones: list[MilestoneEntry]
    has_illustrative: bool


def indicator_board(*, viewer: Any, government: Region) -> IndicatorBoard:
    """Headline indicators with their status, and the latest milestones (three queries)."""
    found = indicator_selectors.situation(viewer=viewer, region=government)
    headline = found.headline
    return IndicatorBoard(
        headline=headline[:HEADLINE_SHOWN],
        more_headline=max(0, len(headline) - HEADLINE_SHOWN),
        milestones=found.milestones[:MILESTONES_SHOWN],
        has_illustrative=found.has_illustrative,
    )


# --- peer ranks and the composite rank -----------------------------------------------------


@dataclass(frozen=True)
class RankMove:
    """One indicator's place in the peer group and its change against the period before."""

    name: str
    rank: int
    ranked: int  # regions with a value
    change: Change | None
    is_illustrative: bool


@dataclass
class RankBoard:
    group: PeerGroup
    period: Period
    firsts: int
    firsts_change: int | None  # None when the period before had no contested indicator
    moves: list[RankMove]
    more_moves: int
    changes: Counter[str]  # "up", "down", "same", "new" -> indicators
    has_illustrative: bool

    @property
    def firsts_moved(self) -> Change | None:
        return None if self.firsts_change is None else count_change(self.firsts_change)


def _compared_position(
    group: PeerGroup, government: Region, years: list[Period]
) -> RegionPosition | None:
    """The government's position in the latest of the last LOOKBACK years in which two regions
    have a value of some indicator (a county often reports before its peers publish)."""
    for period in reversed(years[-LOOKBACK:]):
        position = rank_selectors.region_position(group=group, region=government, period=period)
        if any(excerpt.ranked_count >= 2 for excerpt in position.excerpts):
            return position
    return None


def _firsts_before(group: PeerGroup, government: Region, period: Period) -> int | None:
    """First places in the year before `period`; None when no indicator was compared then."""
    before = rank_selectors.panel(group=group, period=period.previous())
    if not any(before.ranked_count(indicator) >= 2 for indicator in before.indicators):
        return None
    return len(before.firsts(government))


def _move(excerpt: Excerpt) -> RankMove:
    value = excerpt.own.value
    return RankMove(
        name=excerpt.indicator.name,
        rank=excerpt.own.rank or 0,
        ranked=excerpt.ranked_count,
        change=excerpt.own.change,
        is_illustrative=bool(value and value.is_illustrative),
    )


def _move_order(move: RankMove) -> tuple[int, int, int]:
    """Largest moves first (up before down), then the best places."""
    change = move.change
    places = change.places if change and change.kind in ("up", "down") else 0
    return (-places, 0 if change and change.kind == "up" else 1, move.rank)


def rank_board(*, viewer: Any, government: Region) -> RankBoard | None:
    """First places (江门第一) and each indicator's rank move in the government's first peer
    group, in the latest year its regions can be compared: only that year and the one before
    are read (eight to eleven queries)."""
    group = rank_selectors.peer_group_queryset(viewer=viewer).filter(government=government).first()
    if group is None:
        return None
    years = rank_selectors.periods_by_frequency(group)[Frequency.ANNUAL]
    position = _compared_position(group, government, years)
    if position is None:
        return None
    # alone with a value is no place (the rankings' rule for first places)
    moves = sorted((_move(e) for e in position.ranked if e.ranked_count >= 2), key=_move_order)
    firsts, before = len(position.firsts), _firsts_before(group, government, position.period)
    return RankBoard(
        group=group,
        period=position.period,
        firsts=firsts,
        firsts_change=None if before is None else firsts - before,
        moves=moves[:MOVES_SHOWN],
        more_moves=max(0, len(moves) - MOVES_SHOWN),
        changes=Counter(m.change.kind for m in moves if m.change),
        has_illustrative=position.has_illustrative,
    )


@dataclass(frozen=True)
class CompositeRank:
    """The government's place in the latest published composite evaluation."""

    run: EvaluationRun
    year: int
    rank: int
    ranked: int
    change: Change


def count_change(difference: int | None) -> Change:
    """A difference where more is better (a composite rank change, previous rank − this rank,
    positive = 进位; or more first places) as the ranking pages show a change."""
    if difference is None:
        return Change("new")
    if difference > 0:
        return Change("up", difference)
    if difference < 0:
        return Change("down", -difference)
    return Change("same")


def composite_rank(*, viewer: Any, government: Region) -> CompositeRank | None:
    """The latest published run of the government's schemes: its last ranked year (three
    queries; the run's stored panel is not read)."""
    run = (
        EvaluationRun.objects.filter(
            visible_runs(viewer), is_published=True, scheme__government=government
        )
        .select_related("scheme")
        .defer("inputs", "input_values", "weights", "method")
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return None
    ranked = EvaluationScore.objects.filter(run=run, rank__isnull=False)
    own = ranked.filter(region=government).order_by("-year").first()
    if own is None or own.rank is None:
        return None
    return CompositeRank(
        run=run,
        year=own.year,
        rank=own.rank,
        ranked=ranked.filter(year=own.year).count(),
        change=count_change(own.rank_change),
    )


# --- tasks ---------------------------------------------------------------------------------


@dataclass
class TaskBoard:
    red_units: list[RedGroup]
    more_units: int
    red_total: int
    year: int
    closed: int  # this year, by towns and departments (the scorecards' units)
    overdue: int
    on_time: int
    judged: int
    has_illustrative: bool

    @property
    def on_time_percent(self) -> float | None:
        return 100 * self.on_time / self.judged if self.judged else None

    @property
    def widest(self) -> int:
        return max((g.total for g in self.red_units), default=0)


def task_board(*, viewer: Any, government: Region, today: datetime.date) -> TaskBoard:
    """Red tasks by lead unit, most first, and the year's scorecard totals."""
    rules = task_selectors.rules_by_government([government.pk])[government.pk]
    groups = task_selectors.red_list(
        viewer=viewer, government_id=government.pk, today=today, rules=rules
    )
    groups.sort(key=lambda g: -g.total)  # stable: the red list's unit order breaks ties
    year = Period.of(Frequency.ANNUAL, today.year)
    ranked = scorecards.rankings(government.pk, year, today)
    figures = ranked.towns + ranked.departments
    return TaskBoard(
        red_units=groups[:RED_UNITS_SHOWN],
        more_units=max(0, len(groups) - RED_UNITS_SHOWN),
        red_total=sum(g.total for g in groups),
        year=today.year,
        closed=sum(f.closed for f in figures),
        overdue=sum(f.overdue for f in figures),
        on_time=sum(f.on_time for f in figures),
        judged=sum(f.judged for f in figures),
        has_illustrative=any(row.task.is_illustrative for g in groups for row in g.rows),
    )


# --- key projects and the pipeline ---------------------------------------------------------


def yi(amount: Decimal) -> Decimal:
    """万元 as 亿元."""
    return amount / TEN_THOUSAND


@dataclass(frozen=True)
class Bar:
    """A labelled figure with its share of the panel's widest bar (percent: a <progress> value)."""

    label: str
    value: Decimal
    width: Decimal
    amount: Decimal | None = None  # 亿元, where the bar has an amount besides its value
    key: str = ""


def bar_width(value: Decimal, widest: Decimal) -> Decimal:
    if widest <= 0 or value <= 0:
        return Decimal(0)
    return min(HUNDRED, value * HUNDRED / widest).quantize(Decimal("0.1"))


def _completion_bar(totals: investment_totals.Totals) -> Bar:
    rate = totals.rate or Decimal(0)
    return Bar(label=totals.name, value=rate, width=bar_width(rate, HUNDRED))


@dataclass
class ProjectBoard:
    year: int
    planned: Decimal  # 亿元
    completed: Decimal
    rate: Decimal | None
    parks: list[Bar]  # completion rate per park
    colours: list[tuple[ScheduleColour, int]]
    has_illustrative: bool


def project_board(*, viewer: Any, government: Region, today: datetime.date) -> ProjectBoard:
    """The year's completed investment against plan, per park, and the schedule colours."""
    projects = visible_projects(viewer).filter(government=government)
    summary = investment_totals.summary(projects, today.year)
    counts = colour_counts(projects, today, project_selectors.rules_for(government.pk))
    planned_parks = [t for t in summary.by_park if t.key is not None and t.planned]
    planned_parks.sort(key=lambda t: -t.planned)
    parks = [_completion_bar(t) for t in planned_parks[:PARKS_SHOWN]]
    total = summary.total
    return ProjectBoard(
        year=today.year,
        planned=yi(total.planned),
        completed=yi(total.completed),
        rate=total.rate,
        parks=parks,
        colours=[(colour, counts[colour.value]) for colour in SCHEDULE_COLOURS],
        has_illustrative=projects.filter(is_illustrative=True).exists(),
    )


@dataclass
class PipelineBoard:
    year: int
    stages: list[Bar]  # active leads per stage, with their intended (signed) investment
    leads: int
    signed_count: int  # signed in the year
    signed_total: Decimal  # 亿元
    has_illustrative: bool


def pipeline_board(*, viewer: Any, government: Region, today: datetime.date) -> PipelineBoard:
    """Leads now at each stage with their amounts, and the year's signed investment."""
    found = investment_funnel.funnel(
        government_id=government.pk,
        filters=investment_funnel.FunnelFilters(),
        year=today.year,
        today=today,
    )
    widest = Decimal(max((row.active for row in found.stages), default=0))
    stages = [
        Bar(
            label=row.label,
            value=Decimal(row.active),
            width=bar_width(Decimal(row.active), widest),
            amount=yi(row.signed if row.signed is not None else row.intended),
            key=row.stage,
        )
        for row in found.stages
    ]
    leads = visible_leads(viewer).filter(government=government)
    return PipelineBoard(
        year=found.year,
        stages=stages,
        leads=found.total.leads,
        signed_count=found.year_signed_count,
        signed_total=yi(found.year_signed_total),
        has_illustrative=leads.filter(is_illustrative=True).exists(),
    )


# --- the whole wall ------------------------------------------------------------------------


@dataclass
class Wall:
    government: Region
    as_of: datetime.datetime
    indicators: IndicatorBoard
    ranks: RankBoard | None
    composite: CompositeRank | None
    tasks: TaskBoard
    projects: ProjectBoard
    pipeline: PipelineBoard

    @property
    def has_illustrative(self) -> bool:
        boards: list[Any] = [self.indicators, self.ranks, self.tasks, self.projects, self.pipeline]
        return any(board is not None and board.has_illustrative for board in boards)


def wall(*, viewer: Any, government: Region, now: datetime.datetime) -> Wall:
    """Every panel of the wall for one government at one moment (local time `now`)."""
    today = now.date()
    return Wall(
        government=government,
        as_of=now,
        indicators=indicator_board(viewer=viewer, government=government),
        ranks=rank_board(viewer=viewer, government=government),
        composite=composite_rank(viewer=viewer, government=government),
        tasks=task_board(viewer=viewer, government=government, today=today),
        projects=project_board(viewer=viewer, government=government, today=today),
        pipeline=pipeline_board(viewer=viewer, government=government, today=today),
    )
