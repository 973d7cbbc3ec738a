"""The briefing's content on the known data set of content_data: parts, sentences, tables, charts,
every number equal to its source with the indicator's decimals, and a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from jinwei.indicators.models import Indicator, Observation
from jinwei.lib.periods import parse_period
from jinwei.projects.models import InvestmentPlan
from jinwei.reports import numbers
from jinwei.reports.compose import ILLUSTRATIVE, build_document
from jinwei.reports.document import Block, Document, Figure, Heading, Paragraph, Table
from tests.conftest import Cast
from tests.reports import content_data
from tests.reports.content_data import TODAY

QUERY_BOUND = 50  # about 40 today, whatever the size of the data


@pytest.fixture
def data(cast: Cast) -> Cast:
    content_data.load(cast)
    return cast


def briefing(cast: Cast, period: str, today: datetime.date = TODAY) -> Document:
    return build_document(government=cast.enping, period=parse_period(period), today=today)


def paragraphs(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Paragraph)]


def headings(document: Document, level: int) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == level]


def table(document: Document, caption_start: str) -> Table:
    return next(
        b for b in document.blocks if isinstance(b, Table) and b.caption.startswith(caption_start)
    )


def figures(document: Document) -> dict[str, Figure]:
    return {b.caption: b for b in document.blocks if isinstance(b, Figure)}


def assert_no_empty_heading(blocks: list[Block]) -> None:
    for here, block in enumerate(blocks):
        if isinstance(block, Heading):
            assert here + 1 < len(blocks), f"{block.text} ends the document"
            following = blocks[here + 1]
            if block.level == 2:
                assert not isinstance(following, Heading), f"{block.text} is empty"
        if isinstance(block, Paragraph):
            assert block.text.strip() and block.text != "无"


def test_title_page(data: Cast) -> None:
    document = briefing(data, "2024-09", datetime.date(2024, 10, 15))
    assert (document.title, document.subtitle, document.issuer, document.date_line) == (
        "恩平市高质量发展简报",
        "2024年9月",
        "恩平市",
        "2024年10月15日",
    )


def test_the_three_parts_of_the_article(data: Cast) -> None:
    document = briefing(data, "2023")
    assert headings(document, 1) == ["一、发展形势", "二、发展机遇", "三、推进落实"]
    assert headings(document, 2) == [
        "（一）主要指标",
        "（二）发展突破",
        "（三）争先进位",
        "（四）经验做法",
        "（五）荣誉称号",
        "（一）重点任务",
        "（二）重点项目",
        "（三）招商引资",
        "（四）企业服务",
    ]
    assert_no_empty_heading(document.blocks)


def test_every_sentence_of_the_year(data: Cast) -> None:
    assert paragraphs(briefing(data, "2023")) == [
        "2023年，恩平市地区生产总值237.00亿元，同比增长8.5%；"
        "社会消费品零售总额101.35亿元，同比增长7.2%。",
        "2023年，社会消费品零售总额首次突破百亿元，达101.35亿元，同比增长7.2%；"
        "实现清华北大录取人数零的突破，达2人。",
        "2023年，在江门2个县（市、区）中取得2个第一，比上年增加1个，"
        "分别为：空气质量优良天数比例、清华北大录取人数。",
        "与上年相比，2项指标排位前移：空气质量优良天数比例（由第2位升至第1位）、"
        "清华北大录取人数（由第2位升至第1位）；1项指标排位后移：PM2.5年均浓度（由第1位降至第2位）；"
        "2项指标排位不变。",
        "按《高质量发展综合评价》测算，2023年综合排名在江门2个县（市、区）中位列第1位，比上年前进1位。",
        "2023年，1项经验做法获上级认可：县级华侨华人法律服务中心获最高人民法院认可，在全国推广。",
        "2023年，获得国家级荣誉称号1项、省级2项：国家生态文明建设示范区、省全域旅游示范区、省健康县。",
        "梳理政策机遇1项，涉及本地事项3项，其中2项已明确推进抓手（目标、任务或项目），1项尚未明确。",
        "珠江口西岸都市圈发展规划：涉及本地事项3项，已关联目标、任务或项目3项，覆盖2项；"
        "尚未明确抓手的有：锦江生态廊道。",
        "2023年，督办任务4项，已办结3项，其中按期办结2项，按期办结率50.0%；逾期未办结1项。",
        "逾期任务分布在：恩城街道1项。",
        "截至2024年2月19日，亮红灯任务1项，涉及1个单位：恩城街道1项。",
        "2023年，纳入统计的重点项目2个，年度计划投资7.00亿元，完成投资7.00亿元，完成年度计划的100.0%。",
        "截至2024年2月19日，重点项目进度正常1个、已竣工或投产1个。",
        "2023年，新签约招商项目2个，签约投资额40.50亿元。",
        "截至2024年2月19日，在谈招商项目3个，其中线索2个、谈判1个，意向投资额9.00亿元。",
        "2023年，受理企业诉求3件，已响应3件，按时响应率66.7%；已办结2件，按时办结率66.7%；"
        "企业满意度平均4.5分（满分5分）。",
    ]


def observation(name: str, period: str) -> tuple[Decimal, Indicator]:
    row = Observation.objects.select_related("indicator").get(
        indicator__name=name, region__code="440785", period=period
    )
    return row.value, row.indicator


def test_headline_numbers_are_the_observations_with_their_decimals(data: Cast) -> None:
    headline = table(briefing(data, "2023"), "主要指标完成情况")
    assert headline.header == [
        "指标",
        "单位",
        "数值",
        "同比增长（%）",
        "年度目标",
        "目标完成进度（%）",
    ]
    for name, unit, value, *_rest in headline.rows:
        source, indicator = observation(name, "2023")
        assert value == numbers.fixed(source, indicator.decimals)
        assert unit == indicator.unit
    assert headline.rows == [
        ["地区生产总值", "亿元", "237.00", "8.5", "—", "—"],
        ["社会消费品零售总额", "亿元", "101.35", "7.2", "100.00", "101.4"],
        ["空气质量优良天数比例", "%", "96.5", "—", "—", "—"],
    ]


def test_rank_table_numbers_are_the_observations(data: Cast) -> None:
    ranks = table(briefing(data, "2023"), "2023年各项指标")
    assert ranks.caption == "2023年各项指标在江门2个县（市、区）中的排名"
    for name, _unit, value, *_rest in ranks.rows:
        source, indicator = observation(name, "2023")
        assert value == numbers.fixed(source, indicator.decimals)
    assert [row[3:] for row in ranks.rows] == [
        ["2", "2", "持平"],
        ["2", "2", "持平"],
        ["1", "2", "前进1位"],
        ["2", "1", "后退1位"],
        ["1", "2", "前进1位"],
    ]


def test_task_and_project_tables(data: Cast) -> None:
    document = briefing(data, "2023")
    assert table(document, "各单位任务办理情况").rows == [
        ["恩城街道", "3", "2", "1", "33.3", "1"],
        ["横陂镇", "1", "1", "1", "100.0", "0"],
    ]
    projects = table(document, "重点项目投资完成情况")
    planned = InvestmentPlan.objects.filter(year=2023).aggregate(total=Sum("amount"))["total"]
    assert projects.rows[-1] == ["合计", numbers.fixed(planned, 2), "70000.00", "100.0"]
    assert projects.rows[:-1] == [
        ["智能装备特色产业园", "50000.00", "45000.00", "90.0"],
        ["未入园项目", "20000.00", "25000.00", "125.0"],
    ]


def test_charts_are_specifications_of_the_same_numbers(data: Cast) -> None:
    found = figures(briefing(data, "2023"))
    trend = found["地区生产总值变化情况"].chart
    assert (trend.categories, trend.series[0].values) == (["2022年", "2023年"], [218.4, 237.0])
    firsts = found["排名第一的指标个数"].chart
    assert (firsts.categories, firsts.series[0].values) == (
        ["2021年", "2022年", "2023年"],
        [0.0, 1.0, 2.0],
    )
    parks = found["各园区重点项目投资完成情况"].chart
    assert [(s.name, s.values) for s in parks.series] == [
        ("年度计划投资", [5.0, 2.0]),
        ("完成投资", [4.5, 2.5]),
    ]
    assert parks.unit == "亿元"


def test_a_month_against_its_targets_and_time(data: Cast) -> None:
    document = briefing(data, "2024-09", datetime.date(2024, 10, 15))
    headline = table(document, "主要指标完成情况")
    assert headline.caption == "主要指标完成情况（2024年1—9月，时间进度75.0%）"
    assert headline.rows == [
        ["社会消费品零售总额（月度累计）", "亿元", "78.90", "4.7", "108.40", "72.8"]
    ]
    assert paragraphs(document)[0] == (
        "2024年1—9月，恩平市社会消费品零售总额（月度累计）78.90亿元，同比增长4.7%。"
    )


def test_a_period_without_milestones_leaves_that_paragraph_out(data: Cast) -> None:
    document = briefing(data, "2022")
    assert "（二）争先进位" in headings(document, 2)
    assert not any("发展突破" in h for h in headings(document, 2))
    assert not any("首次" in p or "零的突破" in p for p in paragraphs(document))
    assert_no_empty_heading(document.blocks)


def test_a_briefing_long_past_has_no_states_of_today(data: Cast) -> None:
    document = briefing(data, "2023", datetime.date(2026, 11, 28))
    assert not any(p.startswith("截至") for p in paragraphs(document))
    assert "2023年，督办任务4项" in paragraphs(document)[9]


def test_a_government_without_data_says_so_once_per_part(cast: Cast) -> None:
    document = briefing(cast, "2023")
    assert document.blocks == [
        Heading("一、发展形势", 1),
        Paragraph("2023年暂无指标、排名、经验做法和荣誉数据。"),
        Heading("二、发展机遇", 1),
        Paragraph("尚未登记涉及本地的政策机遇。"),
        Heading("三、推进落实", 1),
        Paragraph("2023年暂无任务、项目、招商和企业服务数据。"),
    ]


def test_illustrative_data_is_said_at_the_end(data: Cast) -> None:
    assert ILLUSTRATIVE not in paragraphs(briefing(data, "2023"))
    Observation.objects.filter(indicator__code="GDP").update(is_illustrative=True)
    assert paragraphs(briefing(data, "2023"))[-1] == ILLUSTRATIVE


def test_progress_is_reported_up_to_done(data: Cast) -> None:
    seen: list[tuple[int, str]] = []
    build_document(
        government=data.enping,
        period=parse_period("2023"),
        today=TODAY,
        report=lambda percent, note: seen.append((percent, note)),
    )
    percents = [percent for percent, _note in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert all(isinstance(note, str) and note for _percent, note in seen)


@pytest.mark.parametrize("extra", [0, 12])
def test_queries_do_not_grow_with_the_data(
    data: Cast, extra: int, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    content_data.more(data, extra)
    for period in ("2023", "2024-09"):
        with django_assert_max_num_queries(QUERY_BOUND):
            briefing(data, period)
