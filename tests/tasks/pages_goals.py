"""Samples for the pages-render test: the goals tree, a goal, its Gantt chart, a unit's
scorecard."""

from __future__ import annotations

import datetime
from typing import Any


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    from jinwei.tasks.models import Milestone
    from tests.tasks.factories import GoalFactory, TaskFactory, advance

    goal = GoalFactory(government=cast.enping, title="三年初见成效", horizon=3)
    sub = GoalFactory(government=cast.enping, parent=goal, title="智能装备制造")
    task = TaskFactory(lead_unit=cast.encheng, goal=sub, title="智能装备特色产业园建设")
    Milestone.objects.create(task=task, title="动工", due_date=datetime.date(2024, 3, 1))
    advance(task, cast, "in_progress")
    closed = TaskFactory(lead_unit=cast.hengpi, goal=goal, title="职教园区一期")
    advance(closed, cast, "closed")
    TaskFactory(lead_unit=cast.stats_bureau, goal=goal)  # a draft
    one = {"goal_id": goal.pk}
    return {
        "tasks:goal": one,
        "tasks:goal_edit": one,
        "tasks:gantt": one,
        "tasks:unit_scorecard": {"unit_id": cast.encheng.pk},
    }
