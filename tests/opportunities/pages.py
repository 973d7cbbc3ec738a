"""Sample URL arguments for the opportunities pages (tests/core/test_pages_render.py renders
them): an opportunity of 恩城街道 with a flagged item and items linked to a goal, a task and a
project."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.opportunities.factories import (
    ItemActionFactory,
    OpportunityFactory,
    OpportunityItemFactory,
)
from tests.projects.factories import ProjectFactory
from tests.tasks.factories import GoalFactory, TaskFactory


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    opportunity = OpportunityFactory(government=cast.enping, unit=cast.encheng)
    linked = OpportunityItemFactory(opportunity=opportunity)
    OpportunityItemFactory(opportunity=opportunity)  # flagged: nothing acts on it
    ItemActionFactory(item=linked, goal=GoalFactory(government=cast.enping))
    ItemActionFactory(item=linked, task=TaskFactory(lead_unit=cast.encheng))
    action = ItemActionFactory(item=linked, project=ProjectFactory(lead_unit=cast.hengpi))
    item = {"item_id": linked.pk}
    return {
        "opportunities:detail": {"opportunity_id": opportunity.pk},
        "opportunities:edit": {"opportunity_id": opportunity.pk},
        "opportunities:delete": {"opportunity_id": opportunity.pk},
        "opportunities:item_create": {"opportunity_id": opportunity.pk},
        "opportunities:item_edit": item,
        "opportunities:item_delete": item,
        "opportunities:link": item,
        "opportunities:unlink": {"action_id": action.pk},
    }
