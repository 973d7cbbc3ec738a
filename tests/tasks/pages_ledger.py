"""Sample URL arguments for the ledger import pages (tests/core/test_pages_render.py renders them).

The review page needs an upload with its file and state under MEDIA_ROOT; the rendering test
should give MEDIA_ROOT a temporary folder (as tests/tasks/conftest.py does for this app's tests).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from jinwei.tasks import ledger_uploads
from jinwei.tasks.ledger_cells import HEADERS
from tests.conftest import Cast


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADERS.values()))
    sheet.append(["L-1", "示例任务", "", "会议", "", "", "恩城街道", "横陂镇（负责征地）", "", "",
                  "2024-03-01", "2024-08-31", "高", "", "每月"])  # fmt: skip
    sheet.append(
        ["L-2", "有错的任务", "", "会议", "", "", "火星镇", "", "", "", "", "", "", "", ""]
    )
    buffer = BytesIO()
    book.save(buffer)
    state = ledger_uploads.ledger_upload_create(
        actor=cast.supervisor,
        government=cast.enping,
        upload=SimpleUploadedFile("台账.xlsx", buffer.getvalue()),
    )
    ledger_uploads.ledger_upload_check(state=state)  # a preview with a task and problems
    return {"tasks:ledger_review": {"batch_id": state.id}}
