"""The briefing's content: the article's three parts written from the data.

一、发展形势 (where the government stands: headline figures, milestones, first places and ranks,
recognised practices, honours), 二、发展机遇 (the opportunities and what acts on them), 三、推进落实
(tasks, key projects, investment promotion, enterprise service). `build_document` is the one entry
point the writers, the `jinwei briefing` command and the page call; the figures come from
`facts.gather`, the sentences from `sentences.py`. A section without figures is left out (its
part then says so in one sentence): a briefing never prints an empty heading or paragraph.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import Region
from jinwei.lib.periods import Frequency, Period
from jinwei.reports import numbers
from jinwei.reports import sentences as say
from jinwei.reports.document import (
    Block,
    Chart,
    Document,
    Figure,
    Heading,
    Paragraph,
    Series,
    Table,
)
from jinwei.reports.facts import Facts, Headline, RankingFacts, gather

CN_NUMERALS = "一二三四五六七八九十"
DASH = "—"
ILLUSTRATIVE = "注：本简报所用数据含示例数据（非公开发布数据），仅供演示，不作为统计依据。"
Section = tuple[str, list[Block]]


def build_document(
    *,
    government: Region,
    period: Period,
    today: datetime.date,
    report: Callable[[int, str], None] | None = None,
) -> Document:
    """Gather the government's figures for the period and write them as blocks."""
    language = translation.get_language()

    def progress(percent: int, note: Any) -> None:
        if report is not None:
            with translation.override(language):  # the notes in the caller's language
                report(percent, str(note))

    with translation.override("zh-hans"):  # labels other apps translate (stages, "Total")
        facts = gather(government=government, period=period, today=today, progress=progress)
        progress(90, _("Writing the briefing"))
        blocks = [*situation_part(facts), *opportunities_part(facts), *actions_part(facts)]
    if facts.illustrative:
        blocks.append(Paragraph(ILLUSTRATIVE))
    progress(100, _("Done"))
    return Document(
        title=f"{government.name}高质量发展简报",
        subtitle=period.label_zh(),
        issuer=government.name,
        date_line=numbers.date_zh(today),
        blocks=blocks,
    )


def _part(title: str, sections: Sequence[Section], empty: str) -> list[Block]:
    """A part's heading, then its non-empty sections numbered （一）（二）… in order."""
    kept = [(name, blocks) for name, blocks in sections if blocks]
    if not kept:
        return [Heading(title, 1), Paragraph(empty)]
    out: list[Block] = [Heading(title, 1)]
    for number, (name, blocks) in enumerate(kept):
        out += [Heading(f"（{CN_NUMERALS[number]}）{name}", 2), *blocks]
    return out


def _paragraphs(*texts: str | None) -> list[Block]:
    return [Paragraph(text) for text in texts if text]


def _or_dash(value: Decimal | float | None, decimals: int) -> str:
    return DASH if value is None else numbers.fixed(value, decimals)


# --- 一、发展形势 ------------------------------------------------------------------------------


def situation_part(facts: Facts) -> list[Block]:
    return _part(
        "一、发展形势",
        [
            ("主要指标", headline_blocks(facts)),
            (
                "发展突破",
                _paragraphs(say.milestones_sentence(facts.span, facts.indicators.milestones)),
            ),
            ("争先进位", ranking_blocks(facts.rankings, facts.government)),
            (
                "经验做法",
                _paragraphs(say.practices_sentence(facts.span, facts.recognition.practices)),
            ),
            ("荣誉称号", honour_blocks(facts)),
        ],
        f"{facts.span}暂无指标、排名、经验做法和荣誉数据。",
    )


def headline_blocks(facts: Facts) -> list[Block]:
    headlines = facts.indicators.headlines
    if not headlines:
        return []
    levels = [h.level() for h in headlines if not h.is_rate]
    blocks = _paragraphs(say.summary_sentence(facts.span, facts.government.name, levels))
    blocks.append(headline_table(facts.period, headlines))
    trend = facts.indicators.trend
    if trend is not None:
        indicator = trend.indicator
        chart = Chart(
            kind="bar",
            title=f"{indicator.name}（{indicator.unit}）",
            categories=[p.label_zh() for p, _value in trend.points],
            series=[Series(indicator.name, [float(v) for _p, v in trend.points])],
            unit=indicator.unit,
        )
        blocks.append(Figure(f"{indicator.name}变化情况", chart))
    return blocks


def _target_text(headline: Headline) -> str:
    target = headline.target
    if target is None:
        return DASH
    if target.kind == "growth":
        return f"增长{numbers.fixed(target.value, 1)}%"
    return numbers.fixed(target.value, headline.indicator.decimals)


def headline_table(period: Period, headlines: Sequence[Headline]) -> Table:
    with_targets = any(h.target is not None for h in headlines)
    header = ["指标", "单位", "数值", "同比增长（%）"]
    if with_targets:
        header += ["年度目标", "目标完成进度（%）"]
    rows = []
    for h in headlines:
        i = h.indicator
        row = [i.name, i.unit, numbers.fixed(h.value, i.decimals), _or_dash(h.growth, 1)]
        if with_targets:
            row += [_target_text(h), _or_dash(h.completion, 1)]
        rows.append(row)
    caption = f"主要指标完成情况（{numbers.span_zh(period)}）"
    if with_targets and period.frequency is not Frequency.ANNUAL:
        progress = numbers.percent(Decimal(100) * period.index / period.per_year)
        caption = f"主要指标完成情况（{numbers.span_zh(period)}，时间进度{progress}）"
    return Table(caption, header, rows, [False, False, *[True] * (len(header) - 2)])


def ranking_blocks(rankings: RankingFacts | None, government: Region) -> list[Block]:
    if rankings is None:
        return []
    span = f"{rankings.year}年"
    moves = [say.Move(r.indicator.name, r.rank, r.previous) for r in rankings.rows if r.previous]
    unchanged = sum(1 for m in moves if m.rank == m.previous)
    composite = rankings.composite
    blocks = _paragraphs(
        say.first_places_sentence(
            span,
            rankings.group,
            len(rankings.firsts),
            rankings.previous_count,
            [i.name for i in rankings.firsts],
        ),
        say.rank_moves_sentence([m for m in moves if m.rank != m.previous], unchanged),
        None
        if composite is None
        else say.composite_sentence(
            span, composite.scheme, rankings.group, composite.rank, composite.size, composite.change
        ),
    )
    if rankings.rows:
        blocks.append(rank_table(rankings))
    if len(rankings.history) >= 2:
        blocks.append(first_places_figure(rankings, government))
    return blocks


def first_places_figure(rankings: RankingFacts, government: Region) -> Figure:
    chart = Chart(
        kind="bar",
        title=f"在{rankings.group}中排名第一的指标个数",
        categories=[f"{year}年" for year, _count in rankings.history],
        series=[Series(government.name, [float(c) for _year, c in rankings.history])],
        unit="个",
    )
    return Figure("排名第一的指标个数", chart)


def _move_text(rank: int, previous: int | None) -> str:
    if previous is None:
        return DASH
    if rank < previous:
        return f"前进{previous - rank}位"
    if rank > previous:
        return f"后退{rank - previous}位"
    return "持平"


def rank_table(rankings: RankingFacts) -> Table:
    rows = [
        [
            r.indicator.name,
            r.indicator.unit,
            numbers.fixed(r.value, r.indicator.decimals),
            str(r.rank),
            DASH if r.previous is None else str(r.previous),
            _move_text(r.rank, r.previous),
        ]
        for r in rankings.rows
    ]
    return Table(
        f"{rankings.year}年各项指标在{rankings.group}中的排名",
        ["指标", "单位", "数值", "排名", "上年排名", "变化"],
        rows,
        [False, False, True, True, True, False],
    )


def honour_blocks(facts: Facts) -> list[Block]:
    recognition = facts.recognition
    return _paragraphs(
        say.honours_sentence(facts.span, recognition.honour_counts, recognition.honour_titles)
    )


# --- 二、发展机遇 ------------------------------------------------------------------------------


def opportunities_part(facts: Facts) -> list[Block]:
    opportunities = facts.opportunities
    if not opportunities:
        return [Heading("二、发展机遇", 1), Paragraph("尚未登记涉及本地的政策机遇。")]
    blocks: list[Block] = [Heading("二、发展机遇", 1)]
    blocks += _paragraphs(say.opportunities_sentence(opportunities))
    blocks += [Paragraph(say.opportunity_sentence(o)) for o in opportunities]
    rows = [
        [o.title, str(o.items), str(o.covered), str(o.actions), str(len(o.flagged))]
        for o in opportunities
    ]
    header = ["政策机遇", "涉及事项", "已明确抓手", "关联目标、任务和项目", "尚无抓手"]
    blocks.append(Table("政策机遇落实情况", header, rows, [False, True, True, True, True]))
    return blocks


# --- 三、推进落实 ------------------------------------------------------------------------------


def actions_part(facts: Facts) -> list[Block]:
    return _part(
        "三、推进落实",
        [
            ("重点任务", task_blocks(facts)),
            ("重点项目", project_blocks(facts)),
            ("招商引资", pipeline_blocks(facts)),
            ("企业服务", _paragraphs(say.service_sentence(facts.span, facts.work.service))),
        ],
        f"{facts.span}暂无任务、项目、招商和企业服务数据。",
    )


def task_blocks(facts: Facts) -> list[Block]:
    tasks = facts.work.tasks
    if not tasks.totals.owned and not tasks.red:
        return []
    overdue = sorted(
        ((u.name, u.overdue) for u in tasks.units if u.overdue), key=lambda row: -row[1]
    )
    blocks = _paragraphs(
        say.tasks_sentence(facts.span, tasks.totals),
        say.overdue_units_sentence(overdue),
        None
        if tasks.red is None
        else say.red_list_sentence(numbers.date_zh(facts.today), tasks.red),
    )
    if tasks.units:
        rows = [
            [
                u.name,
                str(u.owned),
                str(u.closed),
                str(u.on_time),
                DASH if not u.judged else numbers.fixed(Decimal(100) * u.on_time / u.judged, 1),
                str(u.overdue),
            ]
            for u in tasks.units
        ]
        header = ["牵头单位", "督办任务", "已办结", "按期办结", "按期办结率（%）", "逾期未办结"]
        caption = f"各单位任务办理情况（{facts.span}）"
        blocks.append(Table(caption, header, rows, [False, True, True, True, True, True]))
    return blocks


def project_blocks(facts: Facts) -> list[Block]:
    projects = facts.work.projects
    blocks = _paragraphs(
        say.project_investment_sentence(facts.span, projects.investment),
        None
        if projects.colours is None
        else say.project_colours_sentence(numbers.date_zh(facts.today), projects.colours),
    )
    if projects.groups:
        blocks += project_group_blocks(facts)
    return blocks


def _rate(completed: Decimal, planned: Decimal) -> str:
    return DASH if not planned else numbers.fixed(Decimal(100) * completed / planned, 1)


GROUP_WORDS = {"park": ("园区", "各园区"), "unit": ("牵头单位", "各牵头单位")}


def _investment_row(name: str, planned: Decimal, completed: Decimal) -> list[str]:
    return [name, numbers.fixed(planned, 2), numbers.fixed(completed, 2), _rate(completed, planned)]


def project_group_blocks(facts: Facts) -> list[Block]:
    """The plan against completed investment by park (by lead unit when no park is given)."""
    projects = facts.work.projects
    groups, total = projects.groups, projects.investment
    column, whose = GROUP_WORDS[projects.by]
    rows = [_investment_row(g.name, g.planned, g.completed) for g in groups]
    rows.append(_investment_row("合计", total.planned, total.completed))
    table = Table(
        f"重点项目投资完成情况（{facts.span}）",
        [column, "年度计划投资（万元）", "完成投资（万元）", "完成率（%）"],
        rows,
        [False, True, True, True],
    )
    chart = Chart(
        kind="bar",
        title="重点项目计划投资与完成投资（亿元）",
        categories=[g.name for g in groups],
        series=[
            Series("年度计划投资", [float(numbers.yi_from_wan(g.planned)) for g in groups]),
            Series("完成投资", [float(numbers.yi_from_wan(g.completed)) for g in groups]),
        ],
        unit="亿元",
    )
    return [table, Figure(f"{whose}重点项目投资完成情况", chart)]


def pipeline_blocks(facts: Facts) -> list[Block]:
    pipeline = facts.work.pipeline
    open_leads = say.pipeline_sentence(
        numbers.date_zh(facts.today), pipeline.stages, pipeline.intended
    )
    if open_leads is None and not pipeline.signed_count and not pipeline.signed_amount:
        return []
    return _paragraphs(
        say.signed_sentence(facts.span, pipeline.signed_count, pipeline.signed_amount), open_leads
    )
