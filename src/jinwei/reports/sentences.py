"""The briefing's sentences, written from plain figures.

Chinese by design (a briefing is an official Chinese document, not interface text), so nothing
here is marked for translation. Every generator is a pure function: the same figures give the
same sentence, and a generator returns None when there is nothing to say, so that the caller
leaves the paragraph out rather than printing an empty one. The figures arrive already chosen
(see `facts.py`); numbers are formatted here through `numbers.py` with the indicator's decimals.

Clauses (without the closing 。) are joined into sentences by the `*_sentence` functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jinwei.reports import numbers

LEVEL_NAMES = {"national": "国家级", "provincial": "省级", "municipal": "市级"}
LEVEL_ORDER = ("national", "provincial", "municipal")
LISTED = 12  # names listed in one sentence before "等"


def _listing(names: Sequence[str], limit: int = LISTED) -> str:
    """A、B、C, or "A、B……J等12项" when there are more than `limit`."""
    if len(names) <= limit:
        return "、".join(names)
    return f"{'、'.join(names[:limit])}等{len(names)}项"


def _sentence(*clauses: str | None) -> str:
    return "，".join(c for c in clauses if c) + "。"


# --- 一、发展形势 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """An indicator's value in the period, for the opening summary."""

    name: str
    value: Decimal
    decimals: int
    unit: str
    growth: Decimal | None = None  # percent: reported, else computed year on year


def level_clause(level: Level) -> str:
    """地区生产总值237.00亿元，同比增长7.8%"""
    text = f"{level.name}{numbers.quantity(level.value, level.decimals, level.unit)}"
    if level.growth is not None:
        text += f"，{numbers.growth(level.growth)}"
    return text


def summary_sentence(span: str, region: str, levels: Sequence[Level]) -> str | None:
    """2023年，恩平市地区生产总值237.00亿元，同比增长7.8%；社会消费品零售总额……。"""
    if not levels:
        return None
    return f"{span}，{region}" + "；".join(level_clause(level) for level in levels) + "。"


@dataclass(frozen=True)
class MilestoneFact:
    name: str
    unit: str
    decimals: int
    kind: str  # "threshold" (首次突破) or "first_nonzero" (零的突破)
    value: Decimal
    threshold: Decimal | None = None
    growth: Decimal | None = None
    higher_is_better: bool = True


def milestone_clause(fact: MilestoneFact) -> str:
    """社会消费品零售总额首次突破百亿元，达101.30亿元，同比增长7.2%"""
    value = numbers.quantity(fact.value, fact.decimals, fact.unit)
    if fact.kind == "first_nonzero" or fact.threshold is None:
        return f"实现{fact.name}零的突破，达{value}"
    mark = numbers.threshold(fact.threshold, fact.unit)
    if fact.higher_is_better:
        text = f"{fact.name}首次突破{mark}，达{value}"
    else:
        text = f"{fact.name}首次降至{mark}以下，为{value}"
    if fact.growth is not None:
        text += f"，{numbers.growth(fact.growth)}"
    return text


def milestones_sentence(span: str, facts: Sequence[MilestoneFact]) -> str | None:
    """2023年，新招产业项目投资总额首次突破200亿元，达……；实现……零的突破，达2人。"""
    if not facts:
        return None
    return f"{span}，" + "；".join(milestone_clause(f) for f in facts) + "。"


def change_words(previous: int | None, now: int, *, before: str = "上年") -> str | None:
    """比上年增加2个 / 减少1个 / 与上年持平; None when there is nothing to compare with."""
    if previous is None:
        return None
    if now > previous:
        return f"比{before}增加{now - previous}个"
    if now < previous:
        return f"比{before}减少{previous - now}个"
    return f"与{before}持平"


def first_places_sentence(
    span: str, group: str, count: int, previous: int | None, names: Sequence[str] = ()
) -> str:
    """2023年，在江门7个县（市、区）中取得11个第一，比上年增加2个，分别为：A、B。"""
    if count == 0:
        earlier = f"，上年为{previous}个" if previous else ""
        return f"{span}，在{group}中暂无排名第一的指标{earlier}。"
    listed = None
    if names:
        listed = f"分别为：{'、'.join(names)}" if len(names) <= LISTED else f"包括{_listing(names)}"
    return _sentence(f"{span}，在{group}中取得{count}个第一", change_words(previous, count), listed)


def rank_move_words(rank: int, previous: int | None, *, before: str = "上年") -> str | None:
    """比上年前进2位 / 后退1位 / 与上年持平."""
    if previous is None:
        return None
    if rank < previous:
        return f"比{before}前进{previous - rank}位"
    if rank > previous:
        return f"比{before}后退{rank - previous}位"
    return f"与{before}持平"


def rank_clause(name: str, rank: int, previous: int | None, *, before: str = "上年") -> str:
    """地区生产总值增速排名第1位，比上年前进2位"""
    move = rank_move_words(rank, previous, before=before)
    return f"{name}排名第{rank}位" + (f"，{move}" if move else "")


@dataclass(frozen=True)
class Move:
    name: str
    rank: int
    previous: int


def rank_moves_sentence(
    moves: Sequence[Move], unchanged: int, *, before: str = "上年"
) -> str | None:
    """与上年相比，2项指标排位前移：A（由第3位升至第1位）、……；1项指标排位后移：……；4项指标排位不变。

    A move is 进位 when the rank number falls (first is best, whatever the indicator's direction).
    """
    ups = [m for m in moves if m.rank < m.previous]
    downs = [m for m in moves if m.rank > m.previous]
    if not ups and not downs:
        return f"与{before}相比，{unchanged}项指标排位不变。" if unchanged else None
    parts = []
    if ups:
        listed = "、".join(f"{m.name}（由第{m.previous}位升至第{m.rank}位）" for m in ups)
        parts.append(f"{len(ups)}项指标排位前移：{listed}")
    if downs:
        listed = "、".join(f"{m.name}（由第{m.previous}位降至第{m.rank}位）" for m in downs)
        parts.append(f"{len(downs)}项指标排位后移：{listed}")
    if unchanged:
        parts.append(f"{unchanged}项指标排位不变")
    return f"与{before}相比，" + "；".join(parts) + "。"


def composite_sentence(
    span: str, scheme: str, group: str, rank: int, size: int, change: int | None
) -> str:
    """按《……综合评价》测算，2023年综合排名在江门7个县（市、区）中位列第3位，比上年前进1位。

    `change` is the stored rank change: previous rank minus this rank (positive: 进位).
    """
    words = None if change is None else rank_move_words(rank, rank + change)
    return _sentence(f"按《{scheme}》测算，{span}综合排名在{group}中位列第{rank}位", words)


def honours_sentence(span: str, counts: Mapping[str, int], titles: Sequence[str]) -> str | None:
    """2023年，获得国家级荣誉称号2项、省级1项：A、B、C。"""
    levels = [(level, counts.get(level, 0)) for level in LEVEL_ORDER if counts.get(level, 0)]
    if not levels:
        return None
    first_level, first_count = levels[0]
    parts = [f"{LEVEL_NAMES[first_level]}荣誉称号{first_count}项"]
    parts += [f"{LEVEL_NAMES[level]}{count}项" for level, count in levels[1:]]
    listed = f"：{_listing(titles)}" if titles else ""
    return f"{span}，获得{'、'.join(parts)}{listed}。"


@dataclass(frozen=True)
class PracticeFact:
    title: str
    recognised_by: str
    promotion: str = ""


def practices_sentence(span: str, practices: Sequence[PracticeFact]) -> str | None:
    """2023年，2项经验做法获上级认可：A获中央统战部认可，在全国推广；B获江门市人民政府认可。"""
    if not practices:
        return None
    items = [
        f"{p.title}获{p.recognised_by}认可" + (f"，{p.promotion}" if p.promotion else "")
        for p in practices
    ]
    return f"{span}，{len(practices)}项经验做法获上级认可：" + "；".join(items) + "。"


# --- 二、发展机遇 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpportunityFact:
    title: str
    items: int
    covered: int  # items with at least one linked action
    actions: int
    flagged: list[str] = field(default_factory=list)  # titles of the items nobody acts on


def opportunities_sentence(opportunities: Sequence[OpportunityFact]) -> str | None:
    """梳理政策机遇5项，涉及本地事项28项，其中22项已明确推进抓手，6项尚未明确。"""
    if not opportunities:
        return None
    items = sum(o.items for o in opportunities)
    covered = sum(o.covered for o in opportunities)
    head = f"梳理政策机遇{len(opportunities)}项，涉及本地事项{items}项"
    if not items:
        return head + "。"
    if covered == items:
        return head + "，均已明确推进抓手（目标、任务或项目）。"
    return (
        head + f"，其中{covered}项已明确推进抓手（目标、任务或项目），{items - covered}项尚未明确。"
    )


def opportunity_sentence(fact: OpportunityFact) -> str:
    """《规划》涉及本地事项16项，已关联目标、任务或项目18项，覆盖14项；尚未明确抓手的有：A、B。"""
    if not fact.items:
        return f"{fact.title}：尚未梳理涉及本地的具体事项。"
    head = f"{fact.title}：涉及本地事项{fact.items}项"
    if not fact.actions:
        return head + f"，尚未关联目标、任务或项目：{_listing(fact.flagged)}。"
    head += f"，已关联目标、任务或项目{fact.actions}项，覆盖{fact.covered}项"
    if not fact.flagged:
        return head + "。"
    return head + f"；尚未明确抓手的有：{_listing(fact.flagged)}。"


# --- 三、推进落实 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskTotals:
    owned: int
    closed: int
    on_time: int
    judged: int  # due by the as-of day, or already closed: what the on-time rate is out of
    overdue: int


def tasks_sentence(span: str, totals: TaskTotals) -> str | None:
    """2023年，督办任务40项，已办结25项，其中按期办结24项，按期办结率75.0%；逾期未办结5项。"""
    if not totals.owned:
        return None
    text = f"{span}，督办任务{totals.owned}项，已办结{totals.closed}项"
    if totals.judged:
        rate = numbers.percent(Decimal(100) * totals.on_time / totals.judged)
        text += f"，其中按期办结{totals.on_time}项，按期办结率{rate}"
    overdue = f"逾期未办结{totals.overdue}项" if totals.overdue else "无逾期未办结任务"
    return f"{text}；{overdue}。"


def _unit_counts(rows: Sequence[tuple[str, int]]) -> str:
    return "、".join(f"{unit}{count}项" for unit, count in rows)


def overdue_units_sentence(rows: Sequence[tuple[str, int]]) -> str | None:
    """逾期任务分布在：横陂镇3项、统计局1项。"""
    if not rows:
        return None
    return f"逾期任务分布在：{_unit_counts(rows)}。"


def red_list_sentence(as_of: str, rows: Sequence[tuple[str, int]]) -> str:
    """截至2024年9月30日，亮红灯任务4项，涉及2个单位：横陂镇3项、统计局1项。"""
    total = sum(count for _unit, count in rows)
    if not total:
        return f"截至{as_of}，无亮红灯任务。"
    return f"截至{as_of}，亮红灯任务{total}项，涉及{len(rows)}个单位：{_unit_counts(rows)}。"


@dataclass(frozen=True)
class Investment:
    projects: int
    planned: Decimal  # 万元, the year's plan
    completed: Decimal  # 万元, through the period
    time_progress: Decimal | None = None  # percent; None for a whole year


def project_investment_sentence(span: str, figures: Investment) -> str | None:
    """2024年1—9月，纳入统计的重点项目30个，年度计划投资45.60亿元，完成投资30.12亿元，
    完成年度计划的66.1%，时间进度75.0%。"""
    if not figures.projects:
        return None
    text = f"{span}，纳入统计的重点项目{figures.projects}个"
    if figures.planned:
        text += f"，年度计划投资{numbers.yi(figures.planned)}"
    text += f"，完成投资{numbers.yi(figures.completed)}"
    if figures.planned:
        rate = numbers.percent(Decimal(100) * figures.completed / figures.planned)
        text += f"，完成年度计划的{rate}"
        if figures.time_progress is not None:
            text += f"，时间进度{numbers.percent(figures.time_progress)}"
    return text + "。"


COLOUR_WORDS = (
    ("green", "进度正常"),
    ("yellow", "进度滞后"),
    ("red", "严重滞后"),
    ("done", "已竣工或投产"),
    ("none", "未设定计划工期"),
)


def project_colours_sentence(as_of: str, counts: Mapping[str, int]) -> str | None:
    """截至2024年9月30日，重点项目进度正常12个、进度滞后5个、严重滞后3个、已竣工或投产6个。"""
    parts = [f"{words}{counts[key]}个" for key, words in COLOUR_WORDS if counts.get(key)]
    if not parts:
        return None
    return f"截至{as_of}，重点项目{'、'.join(parts)}。"


def pipeline_sentence(
    as_of: str, stages: Sequence[tuple[str, int]], intended: Decimal
) -> str | None:
    """截至2024年9月30日，在谈招商项目26个，其中线索12个、接洽8个、谈判6个，意向投资额120.50亿元。"""
    total = sum(count for _stage, count in stages)
    if not total:
        return None
    listed = "、".join(f"{stage}{count}个" for stage, count in stages if count)
    text = f"截至{as_of}，在谈招商项目{total}个，其中{listed}"
    if intended:
        text += f"，意向投资额{numbers.yi(intended)}"
    return text + "。"


def signed_sentence(span: str, count: int | None, amount: Decimal) -> str:
    """2023年，新签约招商项目18个，签约投资额205.60亿元。`count` is None when only the amount
    is known (part of a year, kept by month)."""
    if not count and not amount:
        return f"{span}，暂无新签约招商项目。"
    if count is None:
        return f"{span}，新签约招商项目签约投资额{numbers.yi(amount)}。"
    return f"{span}，新签约招商项目{count}个，签约投资额{numbers.yi(amount)}。"


@dataclass(frozen=True)
class Service:
    received: int
    responded: int
    response_on_time: float | None  # percent
    resolved: int
    resolution_on_time: float | None
    satisfaction: float | None  # mean of 1–5


def service_sentence(span: str, figures: Service) -> str | None:
    """2023年，受理企业诉求56件，已响应52件，按时响应率96.2%；已办结48件，按时办结率91.7%；
    企业满意度平均4.6分（满分5分）。"""
    if not figures.received:
        return None
    response = f"已响应{figures.responded}件"
    if figures.response_on_time is not None:
        response += f"，按时响应率{numbers.percent(figures.response_on_time)}"
    resolution = f"已办结{figures.resolved}件"
    if figures.resolution_on_time is not None:
        resolution += f"，按时办结率{numbers.percent(figures.resolution_on_time)}"
    parts = [f"{span}，受理企业诉求{figures.received}件，{response}", resolution]
    if figures.satisfaction is not None:
        parts.append(f"企业满意度平均{numbers.fixed(figures.satisfaction, 1)}分（满分5分）")
    return "；".join(parts) + "。"
