"""lib/numbers: the numbers statistical tables contain, read exactly as Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinwei.lib.numbers import MISSING_MARKS, NumberError, parse_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1234.5", Decimal("1234.5")),
        ("  1234.5  ", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("12,345,678", Decimal("12345678")),
        ("-1,234", Decimal("-1234")),
        ("+5", Decimal("5")),
        ("1 234", Decimal("1234")),
        ("1\u00a0234", Decimal("1234")),
        ("１２３４．５", Decimal("1234.5")),
        ("１，２３４", Decimal("1234")),
        ("－１２", Decimal("-12")),
        ("　12　", Decimal("12")),
        ("(1,234)", Decimal("-1234")),
        ("（1,234.5）", Decimal("-1234.5")),
        ("0", Decimal("0")),
        (7, Decimal("7")),
        (Decimal("3.14"), Decimal("3.14")),
    ],
)
def test_it_reads_numbers_as_tables_write_them(cell, expected):
    parsed = parse_number(cell)
    assert parsed.value == expected
    assert parsed.percent is False


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("12%", Decimal("12")), ("12.5％", Decimal("12.5")), ("-3.2%", Decimal("-3.2"))],
)
def test_a_percent_sign_is_read_and_reported(cell, expected):
    parsed = parse_number(cell)
    assert (parsed.value, parsed.percent) == (expected, True)


@pytest.mark.parametrize("cell", [None, *sorted(MISSING_MARKS), " ", " — ", "……"])
def test_every_missing_mark_is_no_data(cell):
    assert parse_number(cell).value is None


def test_the_documented_marks_are_all_missing():
    assert {"", "-", "—", "…"} <= MISSING_MARKS


def test_nan_is_no_data():
    assert parse_number(float("nan")).value is None
    assert parse_number(Decimal("NaN")).value is None


@pytest.mark.parametrize("cell", ["1,23", "1,2345", ",123", "1234,567", "12,34,567", "1,234,56"])
def test_it_refuses_invalid_thousands_grouping(cell):
    with pytest.raises(NumberError) as caught:
        parse_number(cell)
    assert caught.value.reason == "bad_thousands_separator"


@pytest.mark.parametrize("cell", ["abc", "12a", "1.2.3", "nan", "inf", "--5", float("inf"), "%"])
def test_it_refuses_text_that_is_not_a_number(cell):
    with pytest.raises(NumberError) as caught:
        parse_number(cell)
    assert caught.value.reason == "not_a_number"


@pytest.mark.parametrize("cell", [True, False])
def test_it_refuses_booleans(cell):
    with pytest.raises(NumberError):
        parse_number(cell)


def test_number_error_keeps_the_text():
    with pytest.raises(NumberError) as caught:
        parse_number("12x")
    assert caught.value.text == "12x"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(0.1, "0.1"), (0.3, "0.3"), (205.72, "205.72"), (1e-7, "1E-7"), (1234.5, "1234.5")],
)
def test_floats_become_the_decimal_they_print_as(cell, expected):
    assert parse_number(cell).value == Decimal(expected)


def test_a_float_is_not_read_as_its_binary_expansion():
    assert Decimal.from_float(0.1) != Decimal("0.1")  # what a naive conversion would store
    assert str(parse_number(0.1).value) == "0.1"


def test_float_sums_stay_exact():
    total = sum((parse_number(x).value for x in (0.1, 0.2)), Decimal(0))
    assert total == Decimal("0.3")
