"""Ledger rows for the import tests, as a meeting's spreadsheet has them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from jinwei.tasks.models import Goal
from tests.conftest import Cast
from tests.tasks.factories import GoalFactory

HEADER = [
    "编号",
    "任务名称",
    "任务内容",
    "来源",
    "来源文号",
    "所属目标",
    "牵头单位",
    "配合单位",
    "责任领导",
    "督办单位",
    "开始日期",
    "完成时限",
    "优先级",
    "预期成果",
    "反馈频次",
]
TODAY = datetime.date(2024, 2, 20)


def row(**cells: Any) -> list[Any]:
    """A valid row; keyword arguments (by header) replace cells."""
    values: dict[str, Any] = {
        "编号": "",
        "任务名称": "职教园区一期8月完工交付",
        "任务内容": "完成主体工程",
        "来源": "会议",
        "来源文号": "2024年开局工作会议",
        "所属目标": "",
        "牵头单位": "恩城街道",
        "配合单位": "",
        "责任领导": "",
        "督办单位": "",
        "开始日期": "2024-03-01",
        "完成时限": "2024-08-31",
        "优先级": "",
        "预期成果": "",
        "反馈频次": "",
    }
    values.update(cells)
    return [values[h] for h in HEADER]


@pytest.fixture
def goal(cast: Cast) -> Goal:
    return GoalFactory(government=cast.enping, title="优化营商环境攻坚战")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's "today" (default start, passed deadlines, generated codes) is 2024-02-20."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
