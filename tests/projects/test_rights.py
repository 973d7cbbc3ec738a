"""Who may do what with key projects (issue 6 §7), for every person of the shared cast: investment
staff and the supervising office manage, the lead unit's staff report (and only that unit's),
contacts only for investment staff, supervisors and leaders; nothing across governments."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jinwei.projects import access
from jinwei.projects.models import Project
from tests.conftest import Cast
from tests.projects.factories import ProjectFactory

EVERYONE = [
    "admin",
    "leader",
    "supervisor",
    "statistician",
    "investment",
    "encheng_staff",
    "hengpi_staff",
    "viewer",
    "outsider",
]
EXPECTED = {
    # person: (manage, report on 恩城's project, see contacts, raise tasks)
    "admin": (True, True, True, True),
    "leader": (False, False, True, False),
    "supervisor": (True, True, True, True),
    "statistician": (False, False, False, False),
    "investment": (True, True, True, False),
    "encheng_staff": (False, True, False, False),
    "hengpi_staff": (False, False, False, False),
    "viewer": (False, False, False, False),
    "outsider": (False, False, False, False),
}


@pytest.fixture
def project(cast: Cast) -> Project:
    return ProjectFactory(lead_unit=cast.encheng)


@pytest.mark.parametrize("person", EVERYONE)
def test_rights_of_each_person(cast: Cast, project: Project, person: str) -> None:
    user = getattr(cast, person)
    government = project.government_id
    found = (
        access.may_manage(user, government),
        access.may_report(user, project),
        access.may_see_contacts(user, government),
        access.may_raise_task(user, government),
    )
    assert found == EXPECTED[person]


def test_only_the_own_government_reads_the_projects(cast: Cast, project: Project) -> None:
    assert list(access.visible_projects(cast.encheng_staff)) == [project]
    assert list(access.visible_projects(cast.hengpi_staff)) == [project]  # run in the open
    assert not access.visible_projects(cast.outsider).exists()


def test_the_right_follows_the_lead_unit(cast: Cast, project: Project) -> None:
    assert access.may_report(cast.encheng_staff, project)
    project.lead_unit = cast.hengpi
    assert not access.may_report(cast.encheng_staff, project)
    assert access.may_report(cast.hengpi_staff, project)


@pytest.mark.parametrize("person", EVERYONE)
def test_pages_follow_the_rights(cast: Cast, project: Project, person: str) -> None:
    client: Client = cast.client_for(getattr(cast, person))
    manage, report, _contacts, raise_task = EXPECTED[person]
    outsider = person == "outsider"

    def status(name: str) -> int:
        return client.get(reverse(f"projects:{name}", args=[project.pk])).status_code

    assert status("detail") == (404 if outsider else 200)
    assert status("edit") == (404 if outsider else 200 if manage else 403)
    assert status("report") == (404 if outsider else 200 if report else 403)
    assert status("raise_task") == (404 if outsider else 200 if raise_task else 403)
