"""Sample URL arguments for the project import pages (tests/core/test_pages_render.py renders them).

The review page needs an upload, with its file and state under MEDIA_ROOT (the shared conftest
gives every test its own): a file with a project, a monthly report and a problem, checked.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jinwei.lib import xlsx
from jinwei.projects.importing import uploads
from tests.conftest import Cast
from tests.projects.import_helpers import PROJECT_HEADER, REPORT_HEADER, project, report


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    content = xlsx.workbook_bytes(
        [
            xlsx.Sheet(
                title="重点项目",
                columns=[xlsx.Column(h) for h in PROJECT_HEADER],
                rows=[
                    project(**{"所在园区": "", "产业链环节": ""}),
                    project(**{"项目编号": "XM-002", "牵头单位": "火星镇"}),
                ],
            ),
            xlsx.Sheet(
                title="月度报告",
                columns=[xlsx.Column(h) for h in REPORT_HEADER],
                rows=[report(**{"月份": "2024-01"})],
            ),
        ]
    )
    state = uploads.project_upload_create(
        actor=cast.investment,
        government=cast.enping,
        upload=SimpleUploadedFile("重点项目.xlsx", content),
    )
    uploads.project_upload_check(state=state)  # a preview with a project, a report and a problem
    return {"projects:import_review": {"batch_id": state.id}}
