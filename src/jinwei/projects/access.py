"""Who may do what with projects, leads, agreements and enterprises (issue 6 §7).

- Supervisors and admins (the managing roles) and investment staff manage projects, leads,
  agreements and enterprises of their government;
- staff of a project's lead unit report its monthly progress (and only that unit's staff);
- everyone in the government reads projects, parks and chains; leaders read everything;
- investors' and enterprises' contact details are shown only to investment staff, supervisors,
  admins and leaders.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from jinwei.accounts.access import get_for_view, grants_for, scope_to_governments
from jinwei.accounts.models import Role
from jinwei.projects.models import Project

ACTING_EXCLUDED = frozenset({Role.LEADER, Role.VIEWER})


def may_manage(user: Any, government_id: int | None) -> bool:
    """Create and edit projects, parks, chains, leads, agreements and enterprises."""
    grants = grants_for(user)
    return grants.manages(government_id) or grants.has_role(government_id, Role.INVESTMENT)


def may_see_contacts(user: Any, government_id: int | None) -> bool:
    """Investors' and enterprises' contact details."""
    grants = grants_for(user)
    return grants.manages(government_id) or grants.has_role(
        government_id, Role.INVESTMENT, Role.LEADER
    )


def is_lead_unit_staff(user: Any, project: Project) -> bool:
    roles = grants_for(user).roles_by_unit.get(project.lead_unit_id, frozenset())
    return bool(roles - ACTING_EXCLUDED)


def may_report(user: Any, project: Project) -> bool:
    """File the project's monthly report: its lead unit's staff, and the managers."""
    return is_lead_unit_staff(user, project) or may_manage(user, project.government_id)


def may_raise_task(user: Any, government_id: int | None) -> bool:
    """Raise a project's problem as a supervised task: the supervising office (who runs tasks)."""
    return grants_for(user).manages(government_id)


def visible_projects(user: Any) -> QuerySet[Project]:
    """Everyone in a government reads its projects; nobody reads another government's."""
    return scope_to_governments(Project.objects.all(), user, "government_id")


def get_project_for_view(
    request: HttpRequest, project_id: int, queryset: QuerySet[Project] | None = None
) -> Project:
    """The project, or 404 when it does not exist or belongs to another government."""
    projects = visible_projects(request.user) if queryset is None else queryset
    return get_for_view(request, projects, pk=project_id)


def get_project_for_manage(request: HttpRequest, project_id: int) -> Project:
    """The project if the user manages projects; 404 when invisible, 403 when only visible."""
    project = get_project_for_view(request, project_id)
    if not may_manage(request.user, project.government_id):
        raise PermissionDenied
    return project


def get_project_for_report(request: HttpRequest, project_id: int) -> Project:
    """The project if the user may report on it (its lead unit, or a manager)."""
    project = get_project_for_view(request, project_id)
    if not may_report(request.user, project):
        raise PermissionDenied
    return project
