"""Projects and their rules in the Django admin: pages render, a new project goes through the
service (its first stage recorded), stages stay read-only, rule changes are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.projects.models import Project, ProjectRules
from tests.conftest import Cast
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(cast: Cast) -> Client:
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save(update_fields=["is_staff", "is_superuser"])
    return cast.client_for(cast.admin)


@pytest.mark.parametrize("model", [Project, ProjectRules])
def test_the_admin_lists_and_opens_each_model(
    cast: Cast, admin_client_: Client, model: Any
) -> None:
    objects = {
        Project: ProjectFactory(lead_unit=cast.encheng),
        ProjectRules: ProjectRules.objects.create(government=cast.enping),
    }
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_.get(changelist).status_code == 200
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objects[model].pk])
    page = admin_client_.get(change)
    assert page.status_code == 200
    if model is Project:  # the stage moves on the project's page only
        assert 'name="stage"' not in page.content.decode()


def test_a_project_added_in_the_admin_records_its_first_stage(
    cast: Cast, admin_client_: Client
) -> None:
    data = {
        "government": cast.enping.pk,
        "code": "ADM-1",
        "name": "管理后台项目",
        "kind": "industrial",
        "total_investment": "100",
        "lead_unit": cast.encheng.pk,
        "stage": "signed",
        "signed_on": "2024-01-10",
        "progress": "0",
        "stage_changes-TOTAL_FORMS": "0",
        "stage_changes-INITIAL_FORMS": "0",
    }
    response = admin_client_.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(code="ADM-1")
    assert list(project.stage_changes.values_list("to_stage", "on")) == [
        ("signed", project.signed_on)
    ]
    assert AuditEntry.objects.filter(content_type__model="project", action="create").exists()
