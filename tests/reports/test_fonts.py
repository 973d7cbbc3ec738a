"""Font detection: official fonts where installed, an installed CJK font in their place, and a
loud warning when there is no Chinese font at all."""

from __future__ import annotations

import pytest
from django.utils import translation

from jinwei.reports import fonts
from jinwei.reports.fonts import font_plan


@pytest.fixture
def installed(monkeypatch):
    """Pretend these families are installed (for fontconfig and for matplotlib alike)."""

    def pretend(*families: str) -> None:
        monkeypatch.setattr(fonts, "installed_cjk_families", lambda: families)
        monkeypatch.setattr(fonts, "matplotlib_cjk_families", lambda: families)

    return pretend


def test_it_finds_a_cjk_font_where_one_is_installed():
    if not fonts.installed_cjk_families():
        pytest.skip("no CJK font is installed here (Debian: apt install fonts-noto-cjk)")
    plan = font_plan()
    assert plan.has_cjk and plan.chart in fonts.matplotlib_cjk_families()
    assert all(use.used in fonts.installed_cjk_families() for use in plan.uses)
    assert plan.warnings() == []


def test_the_noto_fonts_stand_in_for_the_official_ones(installed):
    installed("Noto Sans CJK SC", "Noto Serif CJK SC")
    plan = font_plan()
    assert (plan.body.used, plan.heading.used, plan.chart) == (
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "Noto Sans CJK SC",
    )
    assert plan.title.bold and plan.body.stand_in
    with translation.override("en"):
        notes = plan.notes()
    assert "仿宋_GB2312 → Noto Serif CJK SC" in notes[1]
    assert notes[0].startswith("Fonts named in the Word file: title 方正小标宋简体")


def test_official_fonts_are_used_when_installed_under_any_of_their_names(installed):
    installed("仿宋_GB2312", "SimHei", "楷体", "Noto Serif CJK SC")
    plan = font_plan()
    assert (plan.body.used, plan.heading.used, plan.subheading.used) == (
        "仿宋_GB2312",
        "SimHei",
        "楷体",
    )
    assert not any(use.stand_in for use in (plan.body, plan.heading, plan.subheading))
    assert plan.title.stand_in and plan.title.used == "Noto Serif CJK SC"


def test_the_word_file_always_names_the_official_fonts(installed):
    installed("Noto Sans CJK SC")
    official = font_plan().as_official()
    assert [u.used for u in official.uses] == [
        "方正小标宋简体",
        "黑体",
        "楷体_GB2312",
        "仿宋_GB2312",
        "宋体",
    ]


def test_no_cjk_font_installed_is_said_loudly(installed):
    installed()
    plan = font_plan()
    assert not plan.has_cjk and plan.chart is None
    with translation.override("en"):
        assert plan.notes() == []
        (warning,) = plan.warnings()
    assert warning.startswith("No Chinese (CJK) font is installed on this computer")
    assert "fonts-noto-cjk" in warning


def test_placeholder_fonts_do_not_count_as_chinese():
    """ "Last Resort" maps every character to a box: it must not pass for a CJK font."""
    fonts.matplotlib_cjk_families.cache_clear()
    try:
        assert not any(name.startswith("Last Resort") for name in fonts.matplotlib_cjk_families())
    finally:
        fonts.matplotlib_cjk_families.cache_clear()


def test_without_fontconfig_matplotlib_answers(monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    fonts.installed_cjk_families.cache_clear()
    try:
        assert fonts.installed_cjk_families() == fonts.matplotlib_cjk_families()
    finally:
        fonts.installed_cjk_families.cache_clear()
