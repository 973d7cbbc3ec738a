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

from jinwei.accounts.access import grants_for
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
