"""Sample URL arguments for the briefing pages: a briefing that is ready, with its Word file and
PDF stored (so the downloads answer), and one still being written (so the progress bar polls)."""

from __future__ import annotations

from typing import Any

from jinwei.reports.models import Briefing
from jinwei.reports.services import briefing_folder
from tests.conftest import Cast


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    folder = briefing_folder()
    (folder / "sample.docx").write_bytes(b"PK stand-in")
    (folder / "sample.pdf").write_bytes(b"%PDF-1.4 stand-in")
    ready = Briefing.objects.create(
        government=cast.enping,
        period="2024-09",
        created_by=cast.supervisor,
        status=Briefing.Status.DONE,
        progress=100,
        docx_path="briefings/sample.docx",
        pdf_path="briefings/sample.pdf",
        notes=[{"level": "warning", "text": "No PDF"}, {"level": "info", "text": "字体"}],
    )
    running = Briefing.objects.create(
        government=cast.enping, period="2024-10", progress=40, progress_note="排名"
    )
    return {
        "reports:detail": {"pk": ready.pk},
        "reports:progress": {"pk": running.pk},
        "reports:docx": {"pk": ready.pk},
        "reports:pdf": {"pk": ready.pk},
    }
