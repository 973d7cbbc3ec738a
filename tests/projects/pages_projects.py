"""Sample URL arguments for the key-project pages (tests/core/test_pages_render.py renders them)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jinwei.projects import services
from jinwei.projects.models import Project
from tests.conftest import Cast


def sample_project(cast: Cast) -> Project:
    """A project with a plan, a milestone, a stage step and a monthly report with a problem."""
    today = timezone.localdate()
    project = services.project_create(
        actor=cast.investment,
        project=Project(
            government=cast.enping,
            code="SAMPLE-1",
            name="样例重点项目",
            kind=Project.Kind.INDUSTRIAL,
            total_investment=Decimal("20000"),
            lead_unit=cast.encheng,
            investor="样例投资方",
            investor_contact="张三",
            investor_phone="0750-7000001",
            signed_on=today - datetime.timedelta(days=200),
            planned_start=today - datetime.timedelta(days=150),
            planned_completion=today + datetime.timedelta(days=200),
        ),
        plans={today.year: Decimal("8000")},
        milestones=[("主体封顶", today + datetime.timedelta(days=30))],
    )
    project = services.project_advance(
        actor=cast.encheng_staff,
        project=project,
        to_stage=Project.Stage.STARTED,
        on=today - datetime.timedelta(days=100),
    )
    services.report_submit(
        actor=cast.encheng_staff,
        project=project,
        period=f"{today.year}-{today.month:02d}",
        amount=Decimal("500"),
        progress=30,
        problems="用地指标待协调",
    )
    return project


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    project = sample_project(cast)
    milestone = project.milestones.get()
    by_project = {"project_id": project.pk}
    return {
        "projects:detail": by_project,
        "projects:edit": by_project,
        "projects:advance": by_project,
        "projects:report": by_project,
        "projects:raise_task": by_project,
        "projects:milestone_add": by_project,
        "projects:plan_set": by_project,
        "projects:milestone_reach": {"milestone_id": milestone.pk},
    }
