"""Rows for the project import tests, as a county project ledger has them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from jinwei.projects.models import ChainLink, Park, Project
from tests.conftest import Cast
from tests.projects.factories import (
    ChainLinkFactory,
    IndustryChainFactory,
    ParkFactory,
    ProjectFactory,
)

PROJECT_HEADER = [
    "项目编号",
    "项目名称",
    "项目类型",
    "所在园区",
    "产业链环节",
    "投资方",
    "总投资（万元）",
    "牵头单位",
    "挂点领导",
    "项目阶段",
    "计划开工日期",
    "计划竣工日期",
    "计划投产日期",
    "签约日期",
    "开工日期",
    "竣工日期",
    "投产日期",
    "所在镇街",
    "项目地址",
    "地块",
    "2024年计划投资（万元）",
    "2025年计划投资（万元）",
]
REPORT_HEADER = ["项目编号", "项目名称", "月份", "本月完成投资（万元）", "形象进度（%）",
                 "形象进度描述", "存在问题"]  # fmt: skip
TODAY = datetime.date(2024, 9, 20)
D = Decimal


def project(**cells: Any) -> list[Any]:
    """A valid project row; keyword arguments (by header) replace cells."""
    values: dict[str, Any] = dict.fromkeys(PROJECT_HEADER, "")
    values.update(
        {
            "项目编号": "XM-001",
            "项目名称": "职教园区一期",
            "项目类型": "公共服务",
            "所在园区": "智能装备特色产业园",
            "产业链环节": "数控机床 / 主轴部件",
            "投资方": "恩平市教育局",
            "总投资（万元）": 50000,
            "牵头单位": "恩城街道",
            "挂点领导": "黎市长",
            "项目阶段": "在建",
            "计划开工日期": "2024-01-15",
            "计划竣工日期": "2024-08-31",
            "签约日期": "2023-12-01",
            "开工日期": "2024-02-01",
            "所在镇街": "恩城街道",
            "2024年计划投资（万元）": 30000,
        }
    )
    values.update(cells)
    return [values[h] for h in PROJECT_HEADER]


def report(**cells: Any) -> list[Any]:
    values: dict[str, Any] = {
        "项目编号": "XM-001",
        "项目名称": "",
        "月份": "2024-08",
        "本月完成投资（万元）": 1200,
        "形象进度（%）": 45,
        "形象进度描述": "主体结构封顶",
        "存在问题": "",
    }
    values.update(cells)
    return [values[h] for h in REPORT_HEADER]


@pytest.fixture
def places(cast: Cast) -> tuple[Park, ChainLink]:
    """The park and the chain link the rows above name."""
    park = ParkFactory(government=cast.enping, name="智能装备特色产业园")
    chain = IndustryChainFactory(government=cast.enping, name="数控机床")
    return park, ChainLinkFactory(chain=chain, name="主轴部件")


def stored_project(cast: Cast, **fields: Any) -> Project:
    """A stored project of 恩城街道 (code XM-001 unless told)."""
    defaults: dict[str, Any] = {"code": "XM-001", "lead_unit": cast.encheng, "name": "职教园区一期"}
    return ProjectFactory(**(defaults | fields))


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's "today" (months to come, dates to come) is 2024-09-20."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
