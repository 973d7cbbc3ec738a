"""lib/periods: every written form of a period, arithmetic across year ends, shares and dates."""

from __future__ import annotations

from datetime import date

import pytest

from jinwei.lib.periods import Frequency, Period, PeriodError, parse_period

ANNUAL, QUARTERLY, MONTHLY = Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", "2023"),
        (" 2023 ", "2023"),
        (2023, "2023"),
        (2023.0, "2023"),
        ("2023年", "2023"),
        ("2023 年", "2023"),
        ("2023年度", "2023"),
        ("2023年全年", "2023"),
        ("２０２３", "2023"),
        ("２０２３年", "2023"),
        ("2023Q3", "2023Q3"),
        ("2023q3", "2023Q3"),
        ("2023-Q3", "2023Q3"),
        ("2023/Q3", "2023Q3"),
        ("２０２３Ｑ３", "2023Q3"),
        ("2023年第三季度", "2023Q3"),
        ("2023年三季度", "2023Q3"),
        ("2023年第3季度", "2023Q3"),
        ("2023年第4季", "2023Q4"),
        ("2023年第一季度", "2023Q1"),
        ("2023-09", "2023-09"),
        ("2023-9", "2023-09"),
        ("2023/09", "2023-09"),
        ("2023.09", "2023-09"),
        ("202309", "2023-09"),
        ("２０２３－０９", "2023-09"),
        ("2023年9月", "2023-09"),
        ("2023年09月", "2023-09"),
        ("2023年9月份", "2023-09"),
        ("2023年1-9月", "2023-09"),
        ("2023年1—9月", "2023-09"),
        ("2023年1~9月", "2023-09"),
        ("2023年1至9月", "2023-09"),
        ("２０２３年１－９月", "2023-09"),
        ("2023年12月", "2023-12"),
        (date(2023, 9, 30), "2023-09"),
    ],
)
def test_it_reads_every_documented_form(text, expected):
    assert str(parse_period(text)) == expected


@pytest.mark.parametrize(
    ("text", "frequency"),
    [("2023", ANNUAL), ("2023Q3", QUARTERLY), ("2023-09", MONTHLY), ("2023年1-9月", MONTHLY)],
)
def test_it_knows_the_frequency(text, frequency):
    assert parse_period(text).frequency is frequency


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "23",
        "2023Q5",
        "2023Q0",
        "2023-13",
        "2023-00",
        "2023年13月",
        "2023年第五季度",
        "1800",
        "2023-09-01",
        None,
        True,
    ],
)
def test_it_refuses_what_is_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("cell", [2023.1, 2023.5, 2023.09])
def test_it_refuses_a_fractional_number_whose_month_is_ambiguous(cell):
    """A spreadsheet stores "2023.10" as 2023.1; guessing January would corrupt October."""
    with pytest.raises(PeriodError, match="ambiguous"):
        parse_period(cell)


def test_month_text_with_a_point_is_read():
    assert str(parse_period("2023.10")) == "2023-10"
    assert str(parse_period("2023.5")) == "2023-05"


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


def test_of_refuses_an_index_outside_the_year():
    with pytest.raises(PeriodError, match=r"1\.\.4"):
        Period.of(QUARTERLY, 2023, 5)
    with pytest.raises(PeriodError):
        Period.of(MONTHLY, 2023, 0)
    with pytest.raises(PeriodError, match="year"):
        Period.of(ANNUAL, 1899)


@pytest.mark.parametrize(
    ("text", "steps", "expected"),
    [
        ("2023-01", -1, "2022-12"),
        ("2023-12", 1, "2024-01"),
        ("2023-11", 14, "2025-01"),
        ("2023-03", -27, "2020-12"),
        ("2023Q1", -1, "2022Q4"),
        ("2023Q4", 1, "2024Q1"),
        ("2023Q2", -6, "2021Q4"),
        ("2023", -3, "2020"),
        ("2023", 0, "2023"),
    ],
)
def test_shift_crosses_year_ends(text, steps, expected):
    assert str(parse_period(text).shift(steps)) == expected


def test_previous_and_year_ago():
    assert str(parse_period("2024-01").previous()) == "2023-12"
    assert str(parse_period("2024Q1").previous()) == "2023Q4"
    assert str(parse_period("2024").previous()) == "2023"
    assert str(parse_period("2024-01").year_ago()) == "2023-01"
    assert str(parse_period("2024Q3").year_ago()) == "2023Q3"
    assert str(parse_period("2024").year_ago()) == "2023"


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("2024-01", 1 / 12),
        ("2024-06", 0.5),
        ("2024-12", 1.0),
        ("2024Q1", 0.25),
        ("2024Q3", 0.75),
        ("2024", 1.0),
    ],
)
def test_year_share_is_time_progress(text, share):
    assert parse_period(text).year_share == pytest.approx(share)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
        ("2023Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023Q2", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_start_and_end_dates(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


def test_periods_are_ordered_in_time():
    texts = ["2024-01", "2023", "2023-12", "2022Q4", "2023-02", "2023Q4"]
    ordered = sorted(parse_period(t) for t in texts)
    assert [str(p) for p in ordered] == [
        "2022Q4",
        "2023-02",
        "2023-12",
        "2023Q4",
        "2023",
        "2024-01",
    ]
    assert parse_period("2023-09") < parse_period("2023-10") < parse_period("2024-01")


def test_periods_are_values():
    assert parse_period("2023年9月") == parse_period("2023-09")
    assert len({parse_period("2023Q3"), parse_period("2023年第三季度")}) == 1


def test_periods_of_year_and_chinese_labels():
    assert [str(p) for p in parse_period("2023Q2").periods_of_year()] == [
        "2023Q1",
        "2023Q2",
        "2023Q3",
        "2023Q4",
    ]
    assert len(parse_period("2023-05").periods_of_year()) == 12
    assert parse_period("2023").label_zh() == "2023年"
    assert parse_period("2023Q3").label_zh() == "2023年第三季度"
    assert parse_period("2023-09").label_zh() == "2023年9月"


@pytest.mark.parametrize("text", ["2023", "2023Q1", "2023Q4", "2023-01", "2023-10", "2023-12"])
def test_str_round_trips(text):
    assert str(parse_period(str(parse_period(text)))) == text
