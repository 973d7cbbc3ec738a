"""Samples for the pages-render test: a task 10 days overdue, with its three notices."""

from __future__ import annotations

import datetime
from typing import Any


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    from jinwei.supervision.models import Level, SupervisionNotice
    from jinwei.supervision.services import run_remind_cycle
    from jinwei.tasks.models import Task
    from tests.tasks.factories import TaskFactory

    TaskFactory(
        lead_unit=cast.encheng,
        leader=cast.leader,
        code="DB-PAGES",
        deadline=datetime.date(2024, 6, 10),
        state=Task.State.IN_PROGRESS,
        report_cadence=Task.Cadence.NONE,
    )
    run_remind_cycle(today=datetime.date(2024, 6, 20), government=cast.enping)
    notice = SupervisionNotice.objects.get(task__code="DB-PAGES", level=Level.RED)
    return {"supervision:notice": {"notice_id": notice.pk}}
