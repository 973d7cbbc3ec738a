"""Charts drawn to PNG without a display, with Chinese text in a CJK font where one is installed."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageChops

from jinwei.reports.charts import render_png
from jinwei.reports.document import Chart, Series
from jinwei.reports.fonts import font_plan
from tests.reports.briefing_samples import COUNTIES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHINESE = Chart(
    "bar", "各县（市、区）地区生产总值", COUNTIES, [Series("2023年", [1, 2, 3, 4, 5, 6, 7])], "亿元"
)


def image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture


@pytest.mark.parametrize("kind", ["bar", "barh", "line"])
def test_a_chart_with_chinese_labels_renders_to_a_png(kind):
    chart = Chart(
        kind,
        "重点项目投资",
        ["智能装备特色产业园", "道氏新材料产业园", "珠西科创智谷"],
        [Series("计划", [10.0, 8.0, 6.0]), Series("完成", [7.5, None, 3.0])],
        "亿元",
    )
    picture = image(render_png(chart, font=font_plan().chart))
    assert picture.format == "PNG"
    assert picture.width > 1000 and picture.height > 500


def test_it_draws_without_a_display_whatever_backend_is_configured():
    """A server thread has no display: asked for a GUI backend, pyplot would fail here."""
    script = (
        "import sys; from jinwei.reports.charts import render_png; "
        "from tests.reports.test_charts import CHINESE; "
        "png = render_png(CHINESE, font=None); "
        "print(png[:4] == b'\\x89PNG', 'matplotlib.pyplot' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MPLBACKEND"] = "TkAgg"
    env["DJANGO_SETTINGS_MODULE"] = "jinwei.settings_test"
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_a_cjk_font_draws_the_characters_that_a_latin_font_cannot():
    font = font_plan().chart
    if font is None:
        pytest.skip("no CJK font is installed here (Debian: apt install fonts-noto-cjk)")
    with_cjk = image(render_png(CHINESE, font=font)).convert("L")
    without = image(render_png(CHINESE, font=None)).convert("L")
    assert ImageChops.difference(with_cjk, without).getbbox() is not None


def test_the_title_can_be_left_to_the_caption():
    titled = image(render_png(CHINESE, font=None)).convert("L")
    untitled = image(render_png(CHINESE, font=None, with_title=False)).convert("L")
    assert ImageChops.difference(titled, untitled).getbbox() is not None
