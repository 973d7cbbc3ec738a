"""The briefing end to end, from the known data set of content_data to the Word file and back:
python-docx reads it, it has the three parts, its tables and images, and every figure in its
tables is the source observation with the indicator's decimals."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest

from jinwei.indicators.models import Observation
from jinwei.lib.periods import parse_period
from jinwei.reports.compose import build_document
from jinwei.reports.docx_writer import docx_bytes
from tests.conftest import Cast
from tests.reports import content_data
from tests.reports.content_data import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def word(cast: Cast) -> docx.document.Document:
    content_data.load(cast)
    document = build_document(government=cast.enping, period=parse_period("2023"), today=TODAY)
    return docx.Document(io.BytesIO(docx_bytes(document)))


def cells(table: docx.table.Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_it_has_the_three_parts_tables_and_images(word: docx.document.Document) -> None:
    level_one = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert level_one == ["一、发展形势", "二、发展机遇", "三、推进落实"]
    assert len(word.tables) >= 3
    assert len(word.inline_shapes) >= 1
    text = "\n".join(p.text for p in word.paragraphs)
    assert "首次突破" in text and "江门" in text


def test_every_indicator_figure_in_its_tables_is_the_observation(
    word: docx.document.Document,
) -> None:
    """Every row naming an indicator shows its 2023 value exactly, with the indicator's
    decimals: the writer prints the figures it was given and no others."""
    observations = Observation.objects.select_related("indicator").filter(
        region__code="440785", period="2023"
    )
    by_name = {o.indicator.name: o for o in observations}
    checked = 0
    for table in word.tables:
        rows = cells(table)
        header = rows[0]
        if "数值" not in header:
            continue
        column = header.index("数值")
        for row in rows[1:]:
            source = by_name.get(row[0])
            if source is None:
                continue
            places = Decimal(1).scaleb(-source.indicator.decimals)
            assert row[column] == str(source.value.quantize(places, rounding=ROUND_HALF_UP))
            checked += 1
    assert checked >= 5  # the headline table and the rank table both went through
