"""Each sentence of the briefing on fixed figures: the exact Chinese text, numbers and units."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jinwei.lib.periods import parse_period
from jinwei.reports import numbers
from jinwei.reports import sentences as say

D = Decimal


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("101.35"), 2, "101.35"),
        (D("101.35"), 1, "101.4"),  # half up, not to even
        (D("96.45"), 1, "96.5"),
        (D("237"), 2, "237.00"),
        (D("31590.4"), 0, "31590"),
        (D("-0.04"), 1, "0.0"),
        (7.25, 1, "7.3"),
    ],
)
def test_fixed_uses_the_decimals_given(value: object, decimals: int, expected: str) -> None:
    assert numbers.fixed(value, decimals) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (D("100"), "亿元", "百亿元"),
        (D("1000"), "亿元", "千亿元"),
        (D("200"), "亿元", "200亿元"),
        (D("100.000000"), "万元", "百万元"),
        (D("100"), "个", "100个"),
        (D("2.5"), "%", "2.5%"),
    ],
)
def test_threshold_words_for_round_amounts_of_money(
    value: Decimal, unit: str, expected: str
) -> None:
    assert numbers.threshold(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("7.2"), "同比增长7.2%"),
        (D("-2.06"), "同比下降2.1%"),
        (D("0.04"), "同比持平"),
        (D("8.516"), "同比增长8.5%"),
    ],
)
def test_growth_words(value: Decimal, expected: str) -> None:
    assert numbers.growth(value) == expected


def test_amounts_kept_in_wan_are_written_in_yi() -> None:
    assert numbers.yi(D("123456")) == "12.35亿元"
    assert numbers.yi(D("0")) == "0.00亿元"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", "2023年"),
        ("2024-09", "2024年1—9月"),
        ("2024-01", "2024年1月"),
        ("2024Q2", "2024年1—6月"),
    ],
)
def test_span_of_a_period(text: str, expected: str) -> None:
    assert numbers.span_zh(parse_period(text)) == expected


def test_dates_in_chinese() -> None:
    assert numbers.date_zh(datetime.date(2024, 10, 5)) == "2024年10月5日"


# --- summary and milestones --------------------------------------------------------------------


def test_summary_states_each_level_with_its_growth() -> None:
    levels = [
        say.Level("地区生产总值", D("237"), 2, "亿元", D("7.8")),
        say.Level("国家高新技术企业数", D("141"), 0, "个"),
    ]
    assert say.summary_sentence("2023年", "恩平市", levels) == (
        "2023年，恩平市地区生产总值237.00亿元，同比增长7.8%；国家高新技术企业数141个。"
    )


def test_summary_says_nothing_without_levels() -> None:
    assert say.summary_sentence("2023年", "恩平市", []) is None


def milestone(**fields: object) -> say.MilestoneFact:
    base: dict[str, object] = {
        "name": "社会消费品零售总额",
        "unit": "亿元",
        "decimals": 2,
        "kind": "threshold",
        "value": D("101.35"),
        "threshold": D("100"),
        "growth": D("7.2"),
    }
    return say.MilestoneFact(**{**base, **fields})  # type: ignore[arg-type]


def test_milestone_of_a_hundred_yi_is_written_in_words() -> None:
    assert say.milestone_clause(milestone()) == (
        "社会消费品零售总额首次突破百亿元，达101.35亿元，同比增长7.2%"
    )


def test_milestone_of_200_stays_in_digits() -> None:
    fact = milestone(name="地区生产总值", value=D("205.72"), threshold=D("200"), growth=D("7.2"))
    assert say.milestone_clause(fact) == "地区生产总值首次突破200亿元，达205.72亿元，同比增长7.2%"


def test_milestone_value_keeps_one_decimal_when_the_indicator_has_one() -> None:
    fact = milestone(
        name="森林覆盖率", unit="%", decimals=1, value=D("60.04"), threshold=D("60"), growth=None
    )
    assert say.milestone_clause(fact) == "森林覆盖率首次突破60%，达60.0%"


def test_milestone_with_a_fall() -> None:
    fact = milestone(value=D("100.2"), growth=D("-1.25"))
    assert say.milestone_clause(fact) == (
        "社会消费品零售总额首次突破百亿元，达100.20亿元，同比下降1.3%"
    )


def test_milestone_of_a_lower_is_better_indicator() -> None:
    fact = milestone(
        name="PM2.5年均浓度",
        unit="微克/立方米",
        decimals=0,
        value=D("19"),
        threshold=D("20"),
        growth=D("-9.52"),
        higher_is_better=False,
    )
    assert say.milestone_clause(fact) == (
        "PM2.5年均浓度首次降至20微克/立方米以下，为19微克/立方米，同比下降9.5%"
    )


def test_first_non_zero_value() -> None:
    fact = milestone(
        name="清华北大录取人数",
        unit="人",
        decimals=0,
        kind="first_nonzero",
        value=D("2"),
        threshold=None,
        growth=None,
    )
    assert say.milestone_clause(fact) == "实现清华北大录取人数零的突破，达2人"


def test_milestones_join_into_one_sentence_of_the_period() -> None:
    zero = milestone(
        name="省级重点实验室数",
        unit="个",
        decimals=0,
        kind="first_nonzero",
        value=D("1"),
        threshold=None,
        growth=None,
    )
    assert say.milestones_sentence("2023年", [milestone(), zero]) == (
        "2023年，社会消费品零售总额首次突破百亿元，达101.35亿元，同比增长7.2%；"
        "实现省级重点实验室数零的突破，达1个。"
    )


def test_no_milestones_no_sentence() -> None:
    assert say.milestones_sentence("2023年", []) is None


# --- first places and ranks --------------------------------------------------------------------

GROUP = "江门7个县（市、区）"


def test_first_places_up() -> None:
    assert say.first_places_sentence(
        "2023年", GROUP, 10, 9, ["地区生产总值增速", "森林覆盖率"]
    ) == (
        "2023年，在江门7个县（市、区）中取得10个第一，比上年增加1个，"
        "分别为：地区生产总值增速、森林覆盖率。"
    )


def test_first_places_down() -> None:
    assert say.first_places_sentence("2023年", GROUP, 7, 9) == (
        "2023年，在江门7个县（市、区）中取得7个第一，比上年减少2个。"
    )


def test_first_places_unchanged() -> None:
    assert say.first_places_sentence("2023年", GROUP, 9, 9) == (
        "2023年，在江门7个县（市、区）中取得9个第一，与上年持平。"
    )


def test_first_places_without_a_previous_year() -> None:
    assert say.first_places_sentence("2021年", GROUP, 1, None, ["森林覆盖率"]) == (
        "2021年，在江门7个县（市、区）中取得1个第一，分别为：森林覆盖率。"
    )


def test_no_first_place() -> None:
    assert say.first_places_sentence("2023年", GROUP, 0, 2) == (
        "2023年，在江门7个县（市、区）中暂无排名第一的指标，上年为2个。"
    )


def test_many_first_places_are_listed_with_deng() -> None:
    names = [f"指标{n}" for n in range(1, 15)]
    text = say.first_places_sentence("2023年", GROUP, 14, 11, names)
    assert text.endswith(
        "包括指标1、指标2、指标3、指标4、指标5、指标6、指标7、指标8、指标9、指标10、"
        "指标11、指标12等14项。"
    )


@pytest.mark.parametrize(
    ("rank", "previous", "expected"),
    [
        (1, 3, "地区生产总值增速排名第1位，比上年前进2位"),
        (4, 3, "地区生产总值增速排名第4位，比上年后退1位"),
        (3, 3, "地区生产总值增速排名第3位，与上年持平"),
        (3, None, "地区生产总值增速排名第3位"),
    ],
)
def test_rank_clause(rank: int, previous: int | None, expected: str) -> None:
    assert say.rank_clause("地区生产总值增速", rank, previous) == expected


def test_rank_moves_up_down_and_unchanged() -> None:
    moves = [say.Move("空气质量优良天数比例", 1, 2), say.Move("PM2.5年均浓度", 2, 1)]
    assert say.rank_moves_sentence(moves, 3) == (
        "与上年相比，1项指标排位前移：空气质量优良天数比例（由第2位升至第1位）；"
        "1项指标排位后移：PM2.5年均浓度（由第1位降至第2位）；3项指标排位不变。"
    )


def test_rank_moves_all_unchanged() -> None:
    assert say.rank_moves_sentence([], 4) == "与上年相比，4项指标排位不变。"
    assert say.rank_moves_sentence([], 0) is None


@pytest.mark.parametrize(
    ("rank", "change", "expected"),
    [
        (3, 1, "，比上年前进1位。"),
        (3, -2, "，比上年后退2位。"),
        (3, 0, "，与上年持平。"),
        (3, None, "。"),
    ],
)
def test_composite_rank_and_its_change(rank: int, change: int | None, expected: str) -> None:
    text = say.composite_sentence("2023年", "高质量发展综合评价", GROUP, rank, 7, change)
    assert text == (
        f"按《高质量发展综合评价》测算，2023年综合排名在江门7个县（市、区）中位列第{rank}位"
        + expected
    )


# --- honours and practices ---------------------------------------------------------------------


def test_honours_by_level_highest_first() -> None:
    counts = {"provincial": 2, "national": 1, "municipal": 0}
    text = say.honours_sentence(
        "2023年", counts, ["国家生态文明建设示范区", "省健康县", "省全域旅游示范区"]
    )
    assert text == (
        "2023年，获得国家级荣誉称号1项、省级2项：国家生态文明建设示范区、省健康县、省全域旅游示范区。"
    )


def test_honours_of_one_level() -> None:
    assert say.honours_sentence("2023年", {"municipal": 1}, ["江门市文明城市"]) == (
        "2023年，获得市级荣誉称号1项：江门市文明城市。"
    )


def test_no_honours_no_sentence() -> None:
    assert say.honours_sentence("2023年", {}, []) is None


def test_practices_with_and_without_promotion() -> None:
    practices = [
        say.PracticeFact("县级华侨华人法律服务中心", "最高人民法院", "在全国推广"),
        say.PracticeFact("异地招商利益分享机制", "江门市人民政府"),
    ]
    assert say.practices_sentence("2023年", practices) == (
        "2023年，2项经验做法获上级认可：县级华侨华人法律服务中心获最高人民法院认可，在全国推广；"
        "异地招商利益分享机制获江门市人民政府认可。"
    )
    assert say.practices_sentence("2023年", []) is None


# --- opportunities -----------------------------------------------------------------------------

PLAN = say.OpportunityFact("珠江口西岸都市圈发展规划", 16, 14, 18, ["锦江生态廊道", "镇村路网"])


def test_opportunities_overview() -> None:
    others = say.OpportunityFact("百千万工程", 4, 4, 6)
    assert say.opportunities_sentence([PLAN, others]) == (
        "梳理政策机遇2项，涉及本地事项20项，其中18项已明确推进抓手（目标、任务或项目），2项尚未明确。"
    )
    assert say.opportunities_sentence([others]) == (
        "梳理政策机遇1项，涉及本地事项4项，均已明确推进抓手（目标、任务或项目）。"
    )
    assert say.opportunities_sentence([]) is None


def test_opportunity_names_its_flagged_items() -> None:
    assert say.opportunity_sentence(PLAN) == (
        "珠江口西岸都市圈发展规划：涉及本地事项16项，已关联目标、任务或项目18项，覆盖14项；"
        "尚未明确抓手的有：锦江生态廊道、镇村路网。"
    )


def test_opportunity_fully_acted_on_and_not_at_all() -> None:
    assert say.opportunity_sentence(say.OpportunityFact("百千万工程", 2, 2, 3)) == (
        "百千万工程：涉及本地事项2项，已关联目标、任务或项目3项，覆盖2项。"
    )
    assert say.opportunity_sentence(say.OpportunityFact("深中通道", 1, 0, 0, ["大桥经济"])) == (
        "深中通道：涉及本地事项1项，尚未关联目标、任务或项目：大桥经济。"
    )
    assert say.opportunity_sentence(say.OpportunityFact("双百行动", 0, 0, 0)) == (
        "双百行动：尚未梳理涉及本地的具体事项。"
    )


# --- tasks, projects, investment, enterprise service -------------------------------------------


def test_tasks_closed_on_time_and_overdue() -> None:
    totals = say.TaskTotals(owned=40, closed=25, on_time=24, judged=32, overdue=5)
    assert say.tasks_sentence("2023年", totals) == (
        "2023年，督办任务40项，已办结25项，其中按期办结24项，按期办结率75.0%；逾期未办结5项。"
    )


def test_tasks_none_overdue_none_due() -> None:
    totals = say.TaskTotals(owned=3, closed=0, on_time=0, judged=0, overdue=0)
    assert say.tasks_sentence("2024年1—9月", totals) == (
        "2024年1—9月，督办任务3项，已办结0项；无逾期未办结任务。"
    )
    assert say.tasks_sentence("2023年", say.TaskTotals(0, 0, 0, 0, 0)) is None


def test_overdue_by_unit() -> None:
    assert say.overdue_units_sentence([("横陂镇", 3), ("统计局", 1)]) == (
        "逾期任务分布在：横陂镇3项、统计局1项。"
    )
    assert say.overdue_units_sentence([]) is None


def test_red_list() -> None:
    assert say.red_list_sentence("2024年10月5日", [("横陂镇", 3), ("统计局", 1)]) == (
        "截至2024年10月5日，亮红灯任务4项，涉及2个单位：横陂镇3项、统计局1项。"
    )
    assert say.red_list_sentence("2024年10月5日", []) == "截至2024年10月5日，无亮红灯任务。"


def test_project_investment_against_plan_and_time() -> None:
    figures = say.Investment(30, D("456000"), D("301234"), D("75"))
    assert say.project_investment_sentence("2024年1—9月", figures) == (
        "2024年1—9月，纳入统计的重点项目30个，年度计划投资45.60亿元，完成投资30.12亿元，"
        "完成年度计划的66.1%，时间进度75.0%。"
    )


def test_project_investment_of_a_year_without_plan() -> None:
    figures = say.Investment(2, D("0"), D("5000"))
    assert say.project_investment_sentence("2023年", figures) == (
        "2023年，纳入统计的重点项目2个，完成投资0.50亿元。"
    )
    assert say.project_investment_sentence("2023年", say.Investment(0, D(0), D(0))) is None


def test_project_colours() -> None:
    counts = {"green": 12, "yellow": 5, "red": 3, "done": 6, "none": 0}
    assert say.project_colours_sentence("2024年10月5日", counts) == (
        "截至2024年10月5日，重点项目进度正常12个、进度滞后5个、严重滞后3个、已竣工或投产6个。"
    )
    assert say.project_colours_sentence("2024年10月5日", {"green": 0}) is None


def test_pipeline() -> None:
    stages = [("线索", 12), ("接洽", 8), ("考察", 0), ("谈判", 6)]
    assert say.pipeline_sentence("2024年10月5日", stages, D("1205000")) == (
        "截至2024年10月5日，在谈招商项目26个，其中线索12个、接洽8个、谈判6个，意向投资额120.50亿元。"
    )
    assert say.pipeline_sentence("2024年10月5日", [("线索", 0)], D(0)) is None


def test_signed_investment() -> None:
    assert say.signed_sentence("2023年", 18, D("2056000")) == (
        "2023年，新签约招商项目18个，签约投资额205.60亿元。"
    )
    assert say.signed_sentence("2024年1—9月", None, D("924000")) == (
        "2024年1—9月，新签约招商项目签约投资额92.40亿元。"
    )
    assert say.signed_sentence("2023年", 0, D(0)) == "2023年，暂无新签约招商项目。"


def test_enterprise_service() -> None:
    figures = say.Service(56, 52, 96.15384, 48, 91.6666, 4.56)
    assert say.service_sentence("2023年", figures) == (
        "2023年，受理企业诉求56件，已响应52件，按时响应率96.2%；已办结48件，按时办结率91.7%；"
        "企业满意度平均4.6分（满分5分）。"
    )


def test_enterprise_service_without_rates() -> None:
    figures = say.Service(2, 0, None, 0, None, None)
    assert say.service_sentence("2024年1—9月", figures) == (
        "2024年1—9月，受理企业诉求2件，已响应0件；已办结0件。"
    )
    assert say.service_sentence("2023年", say.Service(0, 0, None, 0, None, None)) is None
