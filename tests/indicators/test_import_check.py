"""The dry run: layouts, names, real-table hygiene and every validation rule, each problem
located in the file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinwei.indicators.importing.settle import check_file
from jinwei.indicators.models import Indicator, Observation
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory
from tests.indicators.import_helpers import LONG_HEADER, english, gdp, messages, options, xlsx

pytestmark = pytest.mark.usefixtures(english.__name__)
D = Decimal


def check(cast, tmp_path, rows, actor=None, name="表1", **fields):
    path = xlsx(tmp_path / "t.xlsx", (name, rows))
    return check_file(path, options(cast, actor, **fields))


def values(outcome):
    return {(c.indicator.code, c.place, c.key[3]): c.value for c in outcome.new}


def only_issue(outcome):
    (issue,) = outcome.sorted_issues()
    return issue


# --- layouts and real-table hygiene ---------------------------------------------------------


def test_long_layout_reads_what_statistical_tables_contain(cast, tmp_path):
    gdp(cast)
    rows = [
        ["2023年恩平市主要经济指标"],
        LONG_HEADER,
        [" GDP ", "恩平", 2023, "２０５．７２", "５.２%", "江门统计年鉴"],
        ["地区生产总值", "台山市", "2023年", "  547.4 ", "4.2", ""],
        ["gdp", "440781", "2022", "1,516.5", "", ""],
        ["注：初步核算数。"],
        ["资料来源：江门市统计局"],
    ]
    outcome = check(cast, tmp_path, rows)
    assert outcome.issues == []
    assert values(outcome) == {
        ("gdp", "恩平市", "2023"): D("205.72"),
        ("gdp", "台山市", "2023"): D("547.4"),
        ("gdp", "台山市", "2022"): D("1516.5"),
    }
    first = outcome.new[0]
    assert (first.growth, first.source) == (D("5.2"), "江门统计年鉴")
    assert outcome.counts() | {"rows": 0} == {
        "new": 3, "changed": 0, "unchanged": 0, "skipped": 0, "errors": 0, "warnings": 0,
        "rows": 0,
    }  # fmt: skip


def test_wide_layout_skips_missing_cells_and_defaults_to_the_government(cast, tmp_path):
    gdp(cast)
    rows = [
        ["指标", "2021", "2022年", "2023"],
        ["地区生产总值（亿元）", "205.72", "—", "…"],
        ["GDP", "", "-", "251.3"],
    ]
    outcome = check(cast, tmp_path, rows)
    assert outcome.issues == []
    assert outcome.skipped == 4
    assert values(outcome) == {
        ("gdp", "恩平市", "2021"): D("205.72"),
        ("gdp", "恩平市", "2023"): D("251.3"),
    }


def test_wide_layout_by_region(cast, tmp_path):
    gdp(cast)
    rows = [
        ["指标", "地区", "2022", "2023"],
        ["GDP", "恩平", 230, 251.3],
        ["GDP", "台山", "", 547.4],
    ]
    outcome = check(cast, tmp_path, rows)
    assert outcome.issues == []
    assert values(outcome) == {
        ("gdp", "恩平市", "2022"): D(230),
        ("gdp", "恩平市", "2023"): D("251.3"),
        ("gdp", "台山市", "2023"): D("547.4"),
    }


def test_wide_layout_takes_the_indicator_from_the_title(cast, tmp_path):
    gdp(cast)
    rows = [["地区生产总值（亿元）"], ["地区", "2022", "2023"], ["恩平", 230, 251.3]]
    outcome = check(cast, tmp_path, rows)
    assert outcome.issues == []
    assert len(outcome.new) == 2


def test_cross_section_takes_the_period_from_the_title_and_converts_units(cast, tmp_path):
    gdp(cast)
    IndicatorFactory(owner_unit=cast.stats_bureau, code="pop", name="常住人口", unit="万人")
    rows = [
        ["2023年江门市各县（市、区）主要经济指标"],
        ["地区", "地区生产总值（万元）", "增长（%）", "常住人口（人）"],
        ["恩平市", "2,513,000", "5.1", "480,000"],
        ["台山", "—", "", "…"],
        ["注：本表数据为初步核算数。"],
    ]
    outcome = check(cast, tmp_path, rows)
    assert outcome.issues == []
    assert values(outcome) == {
        ("gdp", "恩平市", "2023"): D("251.3"),
        ("pop", "恩平市", "2023"): D(48),
    }
    assert outcome.new[0].growth == D("5.1")
    assert outcome.skipped == 2
    assert outcome.sheets[0]["layout"] == "cross"


def test_cross_section_reads_a_legacy_xls_yearbook_table(cast):
    from pathlib import Path

    gdp(cast)
    path = Path(__file__).parent / "data" / "cross_2023.xls"
    outcome = check_file(path, options(cast))
    assert outcome.issues == []
    assert values(outcome) == {
        ("gdp", "恩平市", "2023"): D("251.3"),
        ("gdp", "台山市", "2023"): D("547.4"),
    }


def test_the_period_option_overrides_the_title(cast, tmp_path):
    gdp(cast)
    rows = [["2023年主要指标"], ["地区", "地区生产总值（亿元）"], ["恩平", 1]]
    outcome = check(cast, tmp_path, rows, period="2021")
    assert list(values(outcome)) == [("gdp", "恩平市", "2021")]


def test_a_cross_section_without_a_period_asks_for_one(cast, tmp_path):
    gdp(cast)
    outcome = check(cast, tmp_path, [["地区", "地区生产总值（亿元）"], ["恩平", 1]])
    issue = only_issue(outcome)
    assert (issue.message, issue.sheet, issue.row) == (
        "There is no column for Period: map one.",
        "表1",
        1,
    )


def test_a_long_layout_row_without_a_value_is_an_error(cast, tmp_path):
    gdp(cast)
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, "", "", ""], ["GDP", "恩平", 2022, "—", "", ""]]
    outcome = check(cast, tmp_path, rows)
    assert [(i.row, i.column, i.header, i.message) for i in outcome.sorted_issues()] == [
        (2, "D", "数值", "The value is missing."),
        (3, "D", "数值", "The value is missing."),
    ]


def test_unknown_headers_are_errors_until_mapped(cast, tmp_path):
    gdp(cast)
    rows = [["区县", "年份", "GDP总量", "序号"], ["恩平", 2023, 251.3, 1]]
    outcome = check(cast, tmp_path, rows)
    assert messages(outcome) == ["Cannot tell how this sheet is laid out: map its columns."]
    with_value = check(cast, tmp_path, [["区县", "年份", "数值", "序号"], ["恩平", 2023, 1, 1]])
    assert messages(with_value) == [
        "There is no column for Indicator (code or name): map one.",
        "Column A “区县” is not recognised: map it or ignore it.",
    ]
    mapped = check(cast, tmp_path, rows, mapping={"区县": "where", "GDP总量": "indicator:gdp"})
    assert mapped.issues == []
    assert values(mapped) == {("gdp", "恩平市", "2023"): D("251.3")}


def test_an_unknown_indicator_column_is_named(cast, tmp_path):
    gdp(cast)
    rows = [["2023年"], ["地区", "地区生产总值（亿元）", "规上工业增加值（亿元）"], ["恩平", 1, 2]]
    issue = only_issue(check(cast, tmp_path, rows))
    assert issue.message == (
        "No indicator is called “规上工业增加值”: map column C to an indicator or ignore it."
    )
    assert (issue.row, issue.column, issue.header) == (2, "C", "规上工业增加值(亿元)")


def test_the_layout_can_be_forced(cast, tmp_path):
    gdp(cast)
    rows = [["地区", "地区生产总值（亿元）"], ["恩平", 1]]
    outcome = check(cast, tmp_path, rows, layout="long")
    assert "There is no column for Value: map one." in messages(outcome)


# --- names -------------------------------------------------------------------------------------


def test_regions_and_units_match_by_code_name_or_short_name(cast, tmp_path):
    gdp(cast)
    cast.taishan.short_name = "台山"
    cast.taishan.save()
    rows = [LONG_HEADER] + [
        ["gdp", where, period, 1, "", ""]
        for where, period in [("恩平", 2019), ("恩平市", 2020), (440785, 2021), ("台山", 2022)]
    ]
    rows.append(["gdp", "恩城街道", 2023, 1, "", ""])
    outcome = check(cast, tmp_path, rows)
    assert outcome.issues == []
    places = [(c.key[1], c.key[2]) for c in outcome.new]
    enping, taishan, encheng = cast.enping.pk, cast.taishan.pk, cast.encheng.pk
    assert places == [(enping, None)] * 3 + [(taishan, None), (None, encheng)]


def test_unmatched_names_are_errors_that_name_them(cast, tmp_path):
    gdp(cast)
    rows = [
        LONG_HEADER,
        ["GDP", "开平", 2023, 1, "", ""],
        ["规上工业增加值", "恩平", 2023, 1, "", ""],
    ]
    outcome = check(cast, tmp_path, rows)
    assert [(i.row, i.column, i.message) for i in outcome.sorted_issues()] == [
        (2, "B", "Unknown region or unit “开平”."),
        (
            3,
            "A",
            "Unknown indicator “规上工业增加值”: no indicator of 恩平市 has this code, name "
            "or alias.",
        ),
    ]


def test_an_ambiguous_name_asks_for_the_code(cast, tmp_path):
    from tests.factories import RegionFactory

    gdp(cast)
    RegionFactory(code="440700001", name="恩平镇")  # "恩平" is now 恩平市 or 恩平镇
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, 1, "", ""]]
    assert messages(check(cast, tmp_path, rows)) == [
        "“恩平” could mean 恩平市、恩平镇: write the code instead."
    ]


def test_indicators_of_another_government_are_unknown(cast, tmp_path):
    from tests.factories import OrgUnitFactory

    gdp(cast, owner_unit=OrgUnitFactory(government=cast.taishan))
    outcome = check(cast, tmp_path, [LONG_HEADER, ["GDP", "恩平", 2023, 1, "", ""]])
    assert outcome.errors[0].code == "unknown_indicator"


# --- the validation rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("abc", "D", "“abc” is not a number."),
        ("12,34", "D", "“12,34” is not a number."),
        ("12%", "D", "A percentage was given, but 地区生产总值 is measured in 亿元."),
        ("1e30", "D", "1e30 is too large to store."),
    ],
)
def test_it_refuses_values_that_are_not_numbers_of_the_right_kind(
    cast, tmp_path, cell, column, message
):
    gdp(cast)
    issue = only_issue(check(cast, tmp_path, [LONG_HEADER, ["GDP", "恩平", 2023, cell, "", ""]]))
    assert (issue.sheet, issue.row, issue.column, issue.header) == ("表1", 2, column, "数值")
    assert issue.message == message


def test_it_refuses_a_bad_growth_rate(cast, tmp_path):
    gdp(cast)
    issue = only_issue(check(cast, tmp_path, [LONG_HEADER, ["GDP", "恩平", 2023, 1, "快", ""]]))
    assert (issue.column, issue.message) == ("E", "“快” is not a growth rate in percent.")


def test_it_refuses_a_unit_that_does_not_convert(cast, tmp_path):
    gdp(cast)
    rows = [["指标", "时期", "数值", "计量单位"], ["GDP", 2023, 1, "人"]]
    issue = only_issue(check(cast, tmp_path, rows))
    assert issue.message == "The unit 人 cannot be converted to 亿元 (地区生产总值)."


def test_it_converts_the_unit_given_per_row(cast, tmp_path):
    gdp(cast)
    rows = [["指标", "时期", "数值", "计量单位"], ["GDP", 2023, "2,513,000", "万元"]]
    assert values(check(cast, tmp_path, rows)) == {("gdp", "恩平市", "2023"): D("251.3")}


def test_it_refuses_values_outside_the_valid_range(cast, tmp_path):
    IndicatorFactory(
        owner_unit=cast.stats_bureau, code="air", name="空气质量优良天数比例", unit="%",
        valid_min=D(0), valid_max=D(100),
    )  # fmt: skip
    rows = [
        LONG_HEADER,
        ["air", "恩平", 2023, "101%", "", ""],
        ["air", "恩平", 2022, "95.5%", "", ""],
    ]
    outcome = check(cast, tmp_path, rows)
    assert messages(outcome) == [
        "101 is outside the valid range of 空气质量优良天数比例 (0 to 100)."
    ]
    assert values(outcome) == {("air", "恩平市", "2022"): D("95.5")}


def test_it_refuses_duplicates_within_the_file(cast, tmp_path):
    gdp(cast)
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, 1, "", ""], ["gdp", "恩平市", "2023年", 2, "", ""]]
    issue = only_issue(check(cast, tmp_path, rows))
    assert (issue.row, issue.code) == (3, "duplicate")
    assert issue.message == "地区生产总值, 恩平市, 2023 appears twice: also at sheet 表1 row 2."


def test_it_refuses_unknown_periods_and_periods_of_another_frequency(cast, tmp_path):
    gdp(cast)
    rows = [LONG_HEADER, ["GDP", "恩平", "去年", 1, "", ""], ["GDP", "恩平", "2023-09", 1, "", ""]]
    outcome = check(cast, tmp_path, rows)
    assert [(i.row, i.column, i.message) for i in outcome.sorted_issues()] == [
        (2, "C", "“去年” is not a period (write 2023, 2023Q3 or 2023-09)."),
        (3, "C", "地区生产总值 is Annual; the period 2023-09 does not match."),
    ]


def test_an_abnormal_swing_is_a_warning_not_an_error(cast, tmp_path):
    indicator = gdp(cast, swing_warning=D(20))
    ObservationFactory(indicator=indicator, period="2022", value=D(100))
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, 150, "", ""], ["GDP", "台山", 2022, 10, "", ""],
            ["GDP", "台山", 2023, 11, "", ""]]  # fmt: skip
    outcome = check(cast, tmp_path, rows)
    issue = only_issue(outcome)
    assert (issue.severity, issue.row) == ("warning", 2)
    assert issue.message == "地区生产总值 changes +50.0% on a year ago, more than the 20% expected."
    assert outcome.ok and len(outcome.new) == 3


def test_approved_values_are_locked(cast, tmp_path):
    indicator = gdp(cast)
    ObservationFactory(
        indicator=indicator, period="2023", value=D(100), status=Observation.Status.APPROVED
    )
    changed = check(cast, tmp_path, [LONG_HEADER, ["GDP", "恩平", 2023, 101, "", ""]])
    assert messages(changed) == ["地区生产总值 for 2023 is approved and locked; reopen it first."]
    same = check(cast, tmp_path, [LONG_HEADER, ["GDP", "恩平", 2023, "100.00", "", ""]])
    assert same.issues == [] and same.unchanged == 1


def test_new_changed_and_unchanged_are_counted(cast, tmp_path):
    indicator = gdp(cast)
    ObservationFactory(indicator=indicator, period="2022", value=D("230.1"))
    ObservationFactory(indicator=indicator, period="2021", value=D("205.72"))
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, 251.3, "", ""], ["GDP", "恩平", 2022, 231, "", ""],
            ["GDP", "恩平", 2021, "205.720", "", ""]]  # fmt: skip
    counts = check(cast, tmp_path, rows).counts()
    assert (counts["new"], counts["changed"], counts["unchanged"]) == (1, 1, 1)


def _behind_target(cast: object) -> Indicator:
    indicator = gdp(cast, owner_unit=cast.encheng, value_kind=Indicator.ValueKind.CUMULATIVE,
                    frequency=Indicator.Frequency.MONTHLY)  # fmt: skip
    TargetFactory(indicator=indicator, year=2024, value=D(100))
    return indicator


def test_a_statisticians_value_in_red_leaves_an_explanation_due(cast, tmp_path):
    _behind_target(cast)
    rows = [
        LONG_HEADER,
        ["GDP", "恩平", "2024-06", 10, "", ""],
        ["GDP", "恩平", "2024-03", 20, "", ""],
    ]
    outcome = check(cast, tmp_path, rows, actor=cast.statistician)
    issue = only_issue(outcome)
    assert (issue.severity, issue.row) == ("warning", 2)
    assert issue.message == (
        "地区生产总值 is 40.0 points behind time progress (red): the owning unit will be asked "
        "for an explanation."
    )
    assert outcome.ok
    assert [c.key[3] for c in outcome.new if c.key in outcome.explanation_due] == ["2024-06"]


def test_a_units_value_in_red_needs_an_explanation(cast, tmp_path):
    _behind_target(cast)
    header = [*LONG_HEADER, "说明"]
    rows = [header, ["GDP", "恩平", "2024-06", 10, "", "", ""],
            ["GDP", "恩平", "2024-07", 10, "", "", "受台风影响"]]  # fmt: skip
    outcome = check(cast, tmp_path, rows, actor=cast.encheng_staff)
    issue = only_issue(outcome)
    assert (issue.severity, issue.row, issue.code) == ("error", 2, "explanation_required")
    assert issue.message == (
        "地区生产总值 is 40.0 points behind time progress (red): give an explanation."
    )
    assert [c.key[3] for c in outcome.new] == ["2024-07"]
    assert outcome.explanation_due == set()


# --- rights -------------------------------------------------------------------------------------


def test_unit_staff_import_only_their_units_indicators(cast, tmp_path):
    gdp(cast)  # owned by the statistics bureau
    IndicatorFactory(owner_unit=cast.encheng, code="town_inv", name="镇街投资")
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, 1, "", ""], ["town_inv", "恩平", 2023, 2, "", ""],
            ["GDP", "恩城街道", 2023, 3, "", ""]]  # fmt: skip
    outcome = check(cast, tmp_path, rows, actor=cast.encheng_staff)
    assert [(i.row, i.column, i.message) for i in outcome.sorted_issues()] == [
        (2, "A", "You may not import 地区生产总值: it belongs to 统计局.")
    ]
    assert len(outcome.new) == 2  # its own indicator, and its own unit's figure
    other = check(cast, tmp_path, rows, actor=cast.hengpi_staff)
    assert len(other.errors) == 3


def test_statisticians_import_for_the_whole_government(cast, tmp_path):
    IndicatorFactory(owner_unit=cast.encheng, code="town_inv", name="镇街投资")
    rows = [LONG_HEADER, ["town_inv", "恩平", 2023, 2, "", ""]]
    assert check(cast, tmp_path, rows, actor=cast.statistician).issues == []
    assert check(cast, tmp_path, rows, actor=cast.supervisor).issues == []


def test_problems_are_written_in_chinese_by_default(cast, tmp_path):
    from django.utils import translation

    gdp(cast)
    with translation.override("zh-hans"):
        outcome = check(cast, tmp_path, [LONG_HEADER, ["GDP", "恩平", 2023, "", "", ""]])
    assert messages(outcome) != ["The value is missing."]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages(outcome))


def test_every_registered_layout_is_documented_and_exercised():
    """The registry's contract: each layout has a label and a description for the upload page,
    and the tests above detect and read each one."""
    from jinwei.indicators.importing.layouts import LAYOUTS

    assert list(LAYOUTS) == ["long", "wide", "cross"]
    assert all(str(layout.label) and str(layout.description) for layout in LAYOUTS.values())
