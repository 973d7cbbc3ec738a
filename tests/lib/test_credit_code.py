"""The unified social credit code check (GB 32100-2015): real codes pass, each kind of mistake is
named, and codes pasted in lower case or with spaces are normalised before the check."""

from __future__ import annotations

import pytest

from jinwei.lib.credit_code import check_character, is_valid, normalise, problem

REAL_CODES = [
    "91350100M000100Y43",  # 福建 (the standard's worked example)
    "91110000600001760P",  # 北京
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert problem(code) is None
    assert is_valid(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_the_check_character_is_computed_from_the_first_17(code):
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y4", "length"),  # one short
        ("91350100M000100Y433", "length"),  # one too many
        ("", "length"),
        ("91350100O000100Y43", "character"),  # letter O is not in the alphabet
        ("91350100I000100Y43", "character"),
        ("9135010-M000100Y43", "character"),
        ("91350100M000100Y44", "check"),  # last character wrong
        ("91350100M000100Y34", "check"),  # two characters swapped
        ("91110000600001760Q", "check"),
    ],
)
def test_each_mistake_is_named(code, expected):
    assert problem(code) == expected
    assert not is_valid(code)


def test_lower_case_and_spaces_are_normalised():
    assert normalise(" 9135 0100 m000 100y43 ") == "91350100M000100Y43"
    assert normalise("91110000\t600001760p") == "91110000600001760P"
    assert is_valid(" 9135 0100 m000 100y43 ")


def test_a_lower_case_code_is_invalid_until_normalised():
    """`problem` checks what it is given; callers normalise first."""
    assert problem("91350100m000100y43") == "character"
    assert problem(normalise("91350100m000100y43")) is None


def test_every_alphabet_character_can_be_a_check_character():
    """The modulus covers the whole 31-character alphabet, 0 included."""
    seen = {check_character(f"9144078{n:010d}") for n in range(400)}
    assert "0" in seen and "Y" in seen
    assert seen <= set("0123456789ABCDEFGHJKLMNPQRTUWXY")
