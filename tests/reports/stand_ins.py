"""Quick stand-ins for the briefing's slow parts, for the tests of the pages and the jobs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from jinwei.reports import compose, writing
from tests.reports.briefing_samples import sample_document


def use_stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample content stands in for the data; LibreOffice and the charts are replaced by
    quick stand-ins (their own tests are in test_pdf.py and test_charts.py)."""
    monkeypatch.setattr(compose, "build_document", lambda **kwargs: sample_document())

    def convert(source: Path, target: Path, **kwargs: object) -> Path:
        target.write_bytes(b"%PDF-1.4 stand-in")
        return target

    monkeypatch.setattr(writing, "convert_to_pdf", convert)
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    monkeypatch.setattr(writing, "figure_pngs", lambda document, font: [png.getvalue()] * 2)
