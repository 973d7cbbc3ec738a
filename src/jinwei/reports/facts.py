"""The figures of a briefing, gathered from the apps that own them through their selectors.

Nothing here decides what a figure means: milestones, ranks, first places, scorecards, schedule
colours, the funnel and the service statistics are each computed by the app that owns the rule;
this module only chooses which periods to ask for and keeps the answers as plain data for
`compose.py` (and `sentences.py`) to write.

A briefing is a government's own document, whoever asks for it (a leader on the page, or the
monthly command with nobody signed in), so the selectors that scope their reads to a viewer are
given `GovernmentReader`: a stand-in that reads exactly that government, as its leaders do
(published evaluation runs only, no other government's rows).

Periods: figures of levels and milestones are those of the briefing's period; cumulative work
(tasks, projects, investment, enterprise requests, honours) is counted from 1 January to the
period's end ("今年以来"); peer ranks and the composite rank are annual, of the period's year for
an annual briefing and of the year before for a month or a quarter (whose year is not complete).
Current states (red tasks, project colours, the leads in the pipeline) are as of `today`, and
only in a recent briefing (`work_facts.is_recent`).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from jinwei.accounts.access import GovernmentReader
from jinwei.accounts.models import Region
from jinwei.honors.selectors import honours_in, practices_in
from jinwei.indicators import selectors as indicator_selectors
from jinwei.indicators.models import Indicator, Target
from jinwei.lib.periods import Frequency, Period
from jinwei.opportunities.selectors import opportunities_with_items
from jinwei.rankings import selectors as ranking_selectors
from jinwei.rankings.models import EvaluationScore, PeerGroup
from jinwei.rankings.scheme_selectors import scheme_list
from jinwei.reports import numbers
from jinwei.reports.sentences import Level, MilestoneFact, OpportunityFact, PracticeFact
from jinwei.reports.work_facts import Progress, Work, work_facts

TREND_YEARS = 5


def ranking_year(period: Period) -> int:
    """Peer ranks are annual: the period's year, or the last complete one for a month/quarter."""
    return period.year if period.frequency is Frequency.ANNUAL else period.year - 1


# --- indicators: headline values, milestones, the trend ------------------------------------


@dataclass(frozen=True)
class Headline:
    """A headline indicator's value in the period, with its growth and target progress."""

    indicator: Indicator
    value: Decimal
    growth: Decimal | None
    target: Target | None = None
    completion: Decimal | None = None  # percent of the year's target
    is_rate: bool = False  # a rate (%): stated in the table, not as a level in the summary

    def level(self) -> Level:
        i = self.indicator
        return Level(i.name, self.value, i.decimals, i.unit, self.growth)


@dataclass(frozen=True)
class Trend:
    indicator: Indicator
    points: list[tuple[Period, Decimal]]


@dataclass
class IndicatorFacts:
    headlines: list[Headline] = field(default_factory=list)
    milestones: list[MilestoneFact] = field(default_factory=list)
    trend: Trend | None = None
    illustrative: bool = False


def _growth(point: indicator_selectors.Point) -> Decimal | None:
    """The reported growth rate; else the year-on-year change the indicators app computes."""
    return point.growth_rate if point.growth_rate is not None else point.yoy


def _headline(
    standing: indicator_selectors.IndicatorStanding, period: Period, target: Target | None
) -> Headline | None:
    indicator = standing.indicator
    point = next((p for p in standing.points if p.period == period), None)
    if point is None:
        return None
    completion = None
    if target is not None:
        known = [p for p in standing.points if p.period <= period]
        status = indicator_selectors.target_status(indicator, target, known)
        completion = status.progress.completion if status and not status.by_growth else None
    return Headline(
        indicator=indicator,
        value=point.value,
        growth=_growth(point),
        target=target,
        completion=completion,
        is_rate=not indicator_selectors.computes_yoy(indicator),
    )


def _milestones(
    standings: list[indicator_selectors.IndicatorStanding], period: Period
) -> list[MilestoneFact]:
    """Milestones reached within the briefing's year up to its end: thresholds, then 零的突破."""
    found: list[tuple[bool, int, MilestoneFact]] = []
    for order, standing in enumerate(standings):
        indicator = standing.indicator
        points = {p.period: p for p in standing.points}
        for entry in standing.milestones:
            when = entry.period
            if when.year != period.year or when.end > period.end:
                continue
            kind = str(entry.milestone.kind)
            fact = MilestoneFact(
                name=indicator.name,
                unit=indicator.unit,
                decimals=indicator.decimals,
                kind=kind,
                value=entry.value,
                threshold=entry.milestone.threshold,
                growth=_growth(points[when]),
                higher_is_better=indicator.higher_is_better,
            )
            found.append((kind != "threshold", order, fact))
    return [fact for _zero, _order, fact in sorted(found, key=lambda row: row[:2])]


def _trend(
    headlines: list[Headline],
    standings: list[indicator_selectors.IndicatorStanding],
    period: Period,
) -> Trend | None:
    """The first headline level: its last five years, or its periods of the year so far."""
    by_indicator = {s.indicator.pk: s for s in standings}
    for headline in headlines:
        if headline.is_rate:
            continue
        points = [p for p in by_indicator[headline.indicator.pk].points if p.period <= period]
        if period.frequency is Frequency.ANNUAL:
            points = points[-TREND_YEARS:]
        else:
            points = [p for p in points if p.period.year == period.year]
        if len(points) >= 2:
            return Trend(headline.indicator, [(p.period, p.value) for p in points])
    return None


def indicator_facts(*, reader: Any, government: Region, period: Period) -> IndicatorFacts:
    """Four queries: the situation's three, and the targets of the period's year."""
    found = indicator_selectors.situation(viewer=reader, region=government)
    standings = found.standings
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(
            region=government, year=period.year, indicator__in=[s.indicator for s in standings]
        )
    }
    headlines = []
    for standing in standings:
        if standing.indicator.is_headline:
            headline = _headline(standing, period, targets.get(standing.indicator.pk))
            if headline is not None:
                headlines.append(headline)
    return IndicatorFacts(
        headlines=headlines,
        milestones=_milestones(standings, period),
        trend=_trend(headlines, standings, period),
        illustrative=found.has_illustrative,
    )


# --- peer ranks, first places, the composite rank --------------------------------------------

LEVEL_WORDS: dict[str, str] = {
    Region.Level.PROVINCE: "省（区、市）",
    Region.Level.PREFECTURE: "地级以上市",
    Region.Level.COUNTY: "县（市、区）",
    Region.Level.TOWN: "镇（街道）",
}


def group_label(group: PeerGroup, regions: list[Region]) -> str:
    """江门7个县（市、区）: the parent's short name, the count and the kind of its members."""
    count = len(regions)
    if group.parent is None:
        return f"{group.name}{count}个地区"
    parent = group.parent.short_name or group.parent.name.removesuffix("市").removesuffix("省")
    words = LEVEL_WORDS.get(regions[0].level, "地区") if regions else "地区"
    return f"{parent}{count}个{words}"


@dataclass(frozen=True)
class RankRow:
    indicator: Indicator
    value: Decimal
    rank: int
    previous: int | None
    ranked: int  # regions with a value


@dataclass(frozen=True)
class Composite:
    scheme: str
    rank: int
    size: int
    change: int | None


@dataclass
class RankingFacts:
    group: str
    year: int
    firsts: list[Indicator]
    previous_count: int | None
    history: list[tuple[int, int]]  # (year, first places)
    rows: list[RankRow]
    composite: Composite | None = None
    illustrative: bool = False


def _composite(reader: Any, government: Region, year: int) -> Composite | None:
    """The government's latest published run, if it ranks the government in `year`."""
    runs = [
        (run.created_at, run.pk, scheme.name, run)
        for scheme in scheme_list(viewer=reader)
        if scheme.government_id == government.pk
        for run in scheme.visible_runs  # type: ignore[attr-defined]
        if run.is_published
    ]
    if not runs:
        return None
    *_order, scheme_name, run = max(runs, key=lambda row: row[:2])
    scores = list(EvaluationScore.objects.filter(run=run, year=year, rank__isnull=False))
    own = next((s for s in scores if s.region_id == government.pk), None)
    if own is None or own.rank is None:
        return None
    return Composite(scheme=scheme_name, rank=own.rank, size=len(scores), change=own.rank_change)


def ranking_facts(*, reader: Any, government: Region, period: Period) -> RankingFacts | None:
    """The first peer group that counts the government among its members."""
    groups = ranking_selectors.groups_of_region(viewer=reader, region=government)
    if not groups:
        return None
    group = groups[0]
    year = ranking_year(period)
    annual = Period.of(Frequency.ANNUAL, year)
    places = ranking_selectors.first_places(group=group)
    if annual not in places.periods:
        return None
    position = ranking_selectors.region_position(group=group, region=government, period=annual)
    previous = annual.previous()
    rows = [
        RankRow(e.indicator, e.own.value.value, e.own.rank, e.own.previous_rank, e.ranked_count)
        for e in position.ranked
        if e.own.value is not None and e.own.rank is not None
    ]
    return RankingFacts(
        group=group_label(group, places.regions),
        year=year,
        firsts=position.firsts,
        previous_count=places.count(government, previous) if previous in places.periods else None,
        history=[(p.year, places.count(government, p)) for p in places.periods if p <= annual],
        rows=rows,
        composite=_composite(reader, government, year),
        illustrative=position.has_illustrative,
    )


# --- honours, practices, opportunities -------------------------------------------------------


@dataclass
class Recognition:
    honour_counts: Counter[str]
    honour_titles: list[str]
    practices: list[PracticeFact]
    illustrative: bool = False


def recognition_facts(*, government: Region, period: Period) -> Recognition:
    """The year's honours and practices up to the period's end: two queries."""
    honours = list(honours_in(government=government, year=period.year, until=period.end))
    practices = list(practices_in(government=government, year=period.year, until=period.end))
    return Recognition(
        honour_counts=Counter(h.level for h in honours),
        honour_titles=[h.title for h in honours],
        practices=[PracticeFact(p.title, p.recognised_by, p.promotion) for p in practices],
        illustrative=any(h.is_illustrative for h in honours)
        or any(p.is_illustrative for p in practices),
    )


def opportunity_facts(*, government: Region) -> tuple[list[OpportunityFact], bool]:
    """Each opportunity with its items, the items acted on and the flagged ones; illustrative?"""
    views = opportunities_with_items(government=government)
    facts = [
        OpportunityFact(
            title=view.opportunity.title,
            items=len(view.items),
            covered=len(view.items) - len(view.flagged),
            actions=sum(len(item.actions) for item in view.items),
            flagged=[item.item.title for item in view.flagged],
        )
        for view in views
    ]
    return facts, any(view.opportunity.is_illustrative for view in views)


# --- everything --------------------------------------------------------------------------------


@dataclass
class Facts:
    government: Region
    period: Period
    today: datetime.date
    indicators: IndicatorFacts
    rankings: RankingFacts | None
    recognition: Recognition
    opportunities: list[OpportunityFact]
    work: Work
    illustrative: bool

    @property
    def span(self) -> str:
        return numbers.span_zh(self.period)


def gather(
    *, government: Region, period: Period, today: datetime.date, progress: Progress
) -> Facts:
    """Every figure of the briefing, in a fixed number of queries whatever the data's size."""
    reader = GovernmentReader(government.pk)
    progress(5, _("Indicators and milestones"))
    indicators = indicator_facts(reader=reader, government=government, period=period)
    progress(20, _("Peer ranks"))
    rankings = ranking_facts(reader=reader, government=government, period=period)
    progress(40, _("Honours, practices and opportunities"))
    recognition = recognition_facts(government=government, period=period)
    opportunities, opportunities_illustrative = opportunity_facts(government=government)
    work = work_facts(
        reader=reader, government=government, period=period, today=today, progress=progress
    )
    sources = (indicators, rankings, recognition, work)
    return Facts(
        government=government,
        period=period,
        today=today,
        indicators=indicators,
        rankings=rankings,
        recognition=recognition,
        opportunities=opportunities,
        work=work,
        illustrative=opportunities_illustrative
        or any(s is not None and s.illustrative for s in sources),
    )
