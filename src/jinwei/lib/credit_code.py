"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last one
is a check character computed from the first 17 (weights 3^i mod 31 over a 31-character
alphabet without I, O, S, V, Z)."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {char: index for index, char in enumerate(ALPHABET)}
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (which must be in the alphabet)."""
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper case, surrounding and inner spaces removed (codes are often copied with spaces)."""
    return "".join(code.split()).upper()


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code (an English key for the caller to word), or None."""
    if len(code) != LENGTH:
        return "length"
    if any(char not in VALUES for char in code):
        return "character"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid(code: str) -> bool:
    return problem(normalise(code)) is None
