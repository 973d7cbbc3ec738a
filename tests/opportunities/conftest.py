"""A plan of 恩平市 carried by 恩城街道: item 1 acted on by a goal, a task and a project, item 2
by nothing (flagged); and a programme of 台山市 that nobody in 恩平 may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from jinwei.projects.models import Project
from jinwei.tasks.models import Goal, Task
from tests.conftest import Cast
from tests.factories import OrgUnitFactory
from tests.opportunities.factories import (
    ItemActionFactory,
    OpportunityFactory,
    OpportunityItemFactory,
)
from tests.projects.factories import ProjectFactory
from tests.tasks.factories import GoalFactory, TaskFactory


@dataclass
class Plan:
    opportunity: Opportunity
    linked: OpportunityItem
    flagged: OpportunityItem
    goal: Goal
    task: Task
    project: Project
    task_action: ItemAction
    other: Opportunity  # 台山市's
    other_task: Task  # 台山市's


@pytest.fixture
def plan(cast: Cast) -> Plan:
    opportunity = OpportunityFactory(
        government=cast.enping,
        title="珠江口西岸都市圈发展规划",
        unit=cast.encheng,
        source_document="粤府〔2023〕示例号",
    )
    linked = OpportunityItemFactory(opportunity=opportunity, number=1, title="交通互联互通")
    flagged = OpportunityItemFactory(opportunity=opportunity, number=2, title="生态廊道建设")
    goal = GoalFactory(government=cast.enping, title="三年初见成效", stage="三年初见成效")
    task = TaskFactory(lead_unit=cast.encheng, code="RW-024", title="交通衔接规划")
    project = ProjectFactory(lead_unit=cast.hengpi, code="ZD-01", name="示例·产业园标准厂房")
    ItemActionFactory(item=linked, goal=goal)
    task_action = ItemActionFactory(item=linked, task=task)
    ItemActionFactory(item=linked, project=project)
    taishan_unit = OrgUnitFactory(government=cast.taishan, name="台山市发改局")
    other = OpportunityFactory(government=cast.taishan, title="台山示例规划")
    OpportunityItemFactory(opportunity=other, number=1)
    other_task = TaskFactory(lead_unit=taishan_unit, code="TS-001")
    return Plan(opportunity, linked, flagged, goal, task, project, task_action, other, other_task)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(cast: Cast, user: Any) -> Client:
    return english(cast.client_for(user))


def many(cast: Cast, opportunities: int, items: int) -> None:
    """Opportunities of 恩平 with `items` items each, every other item with two actions."""
    goal = GoalFactory(government=cast.enping)
    task = TaskFactory(lead_unit=cast.encheng, deadline=datetime.date(2030, 1, 1))
    for _ in range(opportunities):
        opportunity = OpportunityFactory(government=cast.enping, unit=cast.encheng)
        for number in range(1, items + 1):
            item = OpportunityItemFactory(opportunity=opportunity, number=number)
            if number % 2:
                ItemActionFactory(item=item, goal=goal)
                ItemActionFactory(item=item, task=task)
