"""Opportunities demo: the article's programmes, plans, bridges and paired assistance for 恩平市,
their items and the goals, tasks and projects acting on them, played through the services.

The supervisor (示例·张主任) adds each opportunity (`opportunity_create`); the staff of its
responsible unit, or the supervisor when it has none, add its items (`item_create`) and link
the goals, tasks and projects of the tasks and projects demos to them (`action_link`); those
demos run first (their apps come earlier in INSTALLED_APPS). Several items are left unlinked,
so the flag shows. Idempotent: opportunities are found by title and items by number; what exists
is left as it is (an item someone unlinked stays unlinked), and a deleted one is added again
with its links. The data lives in `demo_data`.
"""

from __future__ import annotations

import logging

from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Region, User
from jinwei.core.demo import demo_step
from jinwei.opportunities import demo_data, services
from jinwei.opportunities.demo_data import ItemSpec, OpportunitySpec
from jinwei.opportunities.models import Opportunity, OpportunityItem
from jinwei.projects.demo import unit_actor
from jinwei.projects.models import Project
from jinwei.tasks.models import Goal, Task

log = logging.getLogger(__name__)


@demo_step("opportunities")
def load_opportunities() -> int:
    """Opportunities: 百千万工程, the two bridges, the 珠西都市圈 plan with its 16 items, paired
    assistance and the provincial teams, their items linked to goals, tasks and projects."""
    government = demo_government()
    supervisor = User.objects.get(username=demo_data.SUPERVISOR)
    created = 0
    for order, spec in enumerate(demo_data.OPPORTUNITIES, start=1):
        opportunity = Opportunity.objects.filter(government=government, title=spec.title).first()
        if opportunity is None:
            opportunity = _create(spec, government, supervisor, order)
            created += 1
        actor = unit_actor(opportunity.unit) if opportunity.unit else supervisor
        created += _load_items(opportunity, spec, actor)
    return created


def _create(spec: OpportunitySpec, government: Region, actor: User, order: int) -> Opportunity:
    opportunity = Opportunity(
        government=government,
        title=spec.title,
        kind=spec.kind,
        level=spec.level,
        issuer=spec.issuer,
        source_document=spec.source_document,
        issued_on=spec.issued_on,
        summary=spec.summary,
        unit=demo_unit(spec.unit) if spec.unit else None,
        order=order,
        is_illustrative=spec.is_illustrative,
    )
    return services.opportunity_create(actor=actor, opportunity=opportunity)


def _load_items(opportunity: Opportunity, spec: OpportunitySpec, actor: User) -> int:
    """The items the opportunity lacks, each with its links; how many rows were new."""
    known = set(opportunity.items.values_list("number", flat=True))
    created = 0
    for number, item_spec in enumerate(spec.items, start=1):
        if number in known:
            continue
        item = OpportunityItem(
            opportunity=opportunity,
            number=number,
            title=item_spec.title,
            area=item_spec.area,
            description=item_spec.description,
        )
        item = services.item_create(actor=actor, item=item)
        created += 1
        for target in _targets(opportunity.government, item_spec):
            services.action_link(actor=actor, item=item, target=target)
            created += 1
    return created


def _targets(government: Region, spec: ItemSpec) -> list[Goal | Task | Project]:
    """The goals, tasks and projects the item names, as the other demos left them; one that
    is missing (deleted since) is skipped with a note in the log."""
    found: list[Goal | Task | Project] = []
    wanted: list[tuple[type[Goal] | type[Task] | type[Project], str, tuple[str, ...]]] = [
        (Goal, "title", spec.goals),
        (Task, "code", spec.tasks),
        (Project, "code", spec.projects),
    ]
    for model, key, values in wanted:
        for value in values:
            target = model._default_manager.filter(government=government, **{key: value}).first()
            if target is None:
                log.warning("Demo opportunities: no %s %s to link.", model.__name__, value)
                continue
            found.append(target)
    return found
