"""Samples for the pages-render test: one task's pages, each opened where someone may use it.

The sample attachment is a real file under MEDIA_ROOT (the download must find it); the shared
fixture in tests/conftest.py points MEDIA_ROOT at the test's own temporary folder.
"""

from __future__ import annotations

import datetime
from typing import Any

from jinwei.tasks import services
from jinwei.tasks.models import Task
from tests.tasks.factories import TaskFactory, advance, evidence


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    def task(to: str, code: str) -> Task:
        return advance(TaskFactory(lead_unit=cast.encheng, code=code), cast, to)

    draft = task(Task.State.DRAFT, "PAGE-DRAFT")
    assigned = task(Task.State.ASSIGNED, "PAGE-ASSIGNED")
    ongoing = task(Task.State.IN_PROGRESS, "PAGE-ONGOING")
    asking = task(Task.State.IN_PROGRESS, "PAGE-ASKING")
    report = services.submit_report(
        actor=cast.encheng_staff,
        task=ongoing,
        unit=cast.encheng,
        percent=40,
        text="主体工程完成四成",
        files=[evidence("进展照片.pdf")],
    )
    change = services.request_change(
        actor=cast.encheng_staff,
        task=asking,
        kind="postpone",
        reason="用地报批延后",
        new_deadline=asking.deadline + datetime.timedelta(days=30),
    )
    attachment = report.attachments.get()
    return {
        "tasks:detail": {"task_id": ongoing.pk},
        "tasks:edit": {"task_id": draft.pk},
        "tasks:act": {"task_id": assigned.pk, "action": "acknowledge"},
        "tasks:report": {"task_id": ongoing.pk},
        "tasks:change_request": {"task_id": ongoing.pk},
        "tasks:decide": {"request_id": change.pk},
        "tasks:attachment": {"attachment_id": attachment.pk},
    }
