"""The opportunity services: who may add and change opportunities, items and links; the rules
(a unit and a linked action of the same government, unique titles, numbers and links); every
write on the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jinwei.accounts.models import Role
from jinwei.audit.models import AuditEntry
from jinwei.honors.models import Level
from jinwei.opportunities import services
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from tests.factories import MembershipFactory, OrgUnitFactory
from tests.projects.factories import ProjectFactory
from tests.tasks.factories import GoalFactory, TaskFactory

pytestmark = pytest.mark.django_db


def new_opportunity(cast, **fields) -> Opportunity:
    values = {
        "government": cast.enping,
        "title": "百千万工程",
        "kind": Opportunity.Kind.PROGRAMME,
        "level": Level.PROVINCIAL,
        "unit": cast.encheng,
    }
    return Opportunity(**{**values, **fields})


def new_item(opportunity, **fields) -> OpportunityItem:
    return OpportunityItem(opportunity=opportunity, **{"title": "典型镇创建", **fields})


def entries(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- opportunities ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_add_opportunities(cast, who):
    opportunity = services.opportunity_create(
        actor=getattr(cast, who), opportunity=new_opportunity(cast)
    )
    assert opportunity.pk is not None
    assert entries(opportunity) == [AuditEntry.Action.CREATE]


@pytest.mark.parametrize("who", ["leader", "viewer", "encheng_staff", "investment", "outsider"])
def test_others_may_not_add_opportunities(cast, who):
    with pytest.raises(PermissionDenied):
        services.opportunity_create(actor=getattr(cast, who), opportunity=new_opportunity(cast))
    assert not Opportunity.objects.exists()


def test_the_responsible_unit_must_be_of_the_government(cast):
    unit = OrgUnitFactory(government=cast.taishan)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.opportunity_create(
            actor=cast.supervisor, opportunity=new_opportunity(cast, unit=unit)
        )
    assert refused.value.message_dict["unit"] == ["Choose a unit of the opportunity's government."]


def test_a_title_is_used_once_per_government(cast, plan):
    twin = new_opportunity(cast, title=plan.opportunity.title)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.opportunity_create(actor=cast.supervisor, opportunity=twin)
    assert "already an opportunity called" in refused.value.message_dict["title"][0]
    # another government may use the title
    taishan_supervisor = MembershipFactory(
        unit=OrgUnitFactory(government=cast.taishan), role=Role.SUPERVISOR
    ).user
    other = new_opportunity(cast, government=cast.taishan, title=plan.opportunity.title, unit=None)
    assert services.opportunity_create(actor=taishan_supervisor, opportunity=other).pk


def test_supervisors_change_an_opportunity_but_its_unit_does_not(cast, plan):
    opportunity = plan.opportunity
    with pytest.raises(PermissionDenied):
        services.opportunity_update(
            actor=cast.encheng_staff,
            opportunity=opportunity,
            changes={"issuer": "广东省发展和改革委员会"},
            expected_version=opportunity.version,
        )
    saved = services.opportunity_update(
        actor=cast.supervisor,
        opportunity=opportunity,
        changes={"issuer": "广东省发展和改革委员会"},
        expected_version=opportunity.version,
    )
    assert saved.issuer == "广东省发展和改革委员会" and saved.version == 2


def test_an_opportunity_stays_in_its_government(cast, plan):
    with pytest.raises(ValidationError):
        services.opportunity_update(
            actor=cast.supervisor,
            opportunity=plan.opportunity,
            changes={"government": cast.taishan},
            expected_version=None,
        )


def test_deleting_an_opportunity_deletes_its_items_and_links_on_the_trail(cast, plan):
    action_ids = list(ItemAction.objects.filter(item=plan.linked).values_list("pk", flat=True))
    with pytest.raises(PermissionDenied):
        services.opportunity_delete(
            actor=cast.encheng_staff, opportunity=plan.opportunity, expected_version=None
        )
    services.opportunity_delete(
        actor=cast.supervisor, opportunity=plan.opportunity, expected_version=1
    )
    assert not Opportunity.objects.filter(pk=plan.opportunity.pk).exists()
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE)
    assert deleted.filter(content_type__model="itemaction").count() == len(action_ids) == 3
    assert deleted.filter(content_type__model="opportunityitem").count() == 2
    assert deleted.filter(content_type__model="opportunity").count() == 1


# --- items --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["encheng_staff", "supervisor", "admin"])
def test_the_unit_and_the_managers_add_items(cast, plan, who):
    item = services.item_create(actor=getattr(cast, who), item=new_item(plan.opportunity))
    assert item.number == 3  # after the last
    assert entries(item) == [AuditEntry.Action.CREATE]


@pytest.mark.parametrize("who", ["hengpi_staff", "leader", "viewer", "investment", "outsider"])
def test_others_may_not_add_items(cast, plan, who):
    with pytest.raises(PermissionDenied):
        services.item_create(actor=getattr(cast, who), item=new_item(plan.opportunity))


def test_an_opportunity_without_a_unit_is_changed_by_managers_only(cast, plan):
    opportunity = services.opportunity_create(
        actor=cast.supervisor, opportunity=new_opportunity(cast, title="深中通道", unit=None)
    )
    with pytest.raises(PermissionDenied):
        services.item_create(actor=cast.encheng_staff, item=new_item(opportunity))
    assert services.item_create(actor=cast.supervisor, item=new_item(opportunity)).number == 1


def test_an_item_number_is_used_once(cast, plan):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.item_create(actor=cast.encheng_staff, item=new_item(plan.opportunity, number=2))
    assert refused.value.message_dict["number"] == ["Item 2 already exists in this opportunity."]
    with pytest.raises(ValidationError):
        services.item_update(
            actor=cast.encheng_staff,
            item=plan.flagged,
            changes={"number": 1},
            expected_version=plan.flagged.version,
        )


def test_the_unit_edits_and_deletes_items(cast, plan):
    with pytest.raises(PermissionDenied):
        services.item_update(
            actor=cast.hengpi_staff, item=plan.flagged, changes={"title": "x"}, expected_version=1
        )
    item = services.item_update(
        actor=cast.encheng_staff,
        item=plan.flagged,
        changes={"title": "生态廊道和碧道建设"},
        expected_version=1,
    )
    assert item.title == "生态廊道和碧道建设"
    with pytest.raises(PermissionDenied):
        services.item_delete(actor=cast.leader, item=plan.linked, expected_version=None)
    services.item_delete(actor=cast.encheng_staff, item=plan.linked, expected_version=1)
    assert not ItemAction.objects.filter(item_id=plan.linked.pk).exists()
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.DELETE, content_type__model="itemaction"
        ).count()
        == 3
    )


# --- linked actions -----------------------------------------------------------------------------


def test_a_goal_a_task_and_a_project_are_linked_and_audited(cast, plan):
    targets = [
        GoalFactory(government=cast.enping),
        TaskFactory(lead_unit=cast.hengpi),
        ProjectFactory(lead_unit=cast.investment_bureau),
    ]
    for target in targets:
        action = services.action_link(actor=cast.encheng_staff, item=plan.flagged, target=target)
        assert services.target_of(action) == target
        assert entries(action) == [AuditEntry.Action.CREATE]
    assert plan.flagged.actions.count() == 3


def test_a_target_of_another_government_is_refused_clearly(cast, plan):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.action_link(actor=cast.supervisor, item=plan.flagged, target=plan.other_task)
    assert refused.value.message_dict["task"] == [
        f"“{plan.other_task}” belongs to another government: link only goals, tasks and "
        "projects of 恩平市."
    ]
    assert not plan.flagged.actions.exists()


def test_a_target_is_linked_once_per_item(cast, plan):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.action_link(actor=cast.supervisor, item=plan.linked, target=plan.task)
    assert refused.value.message_dict["task"] == [f"“{plan.task}” is already linked to this item."]
    # … but the same task may act on another item
    services.action_link(actor=cast.supervisor, item=plan.flagged, target=plan.task)


@pytest.mark.parametrize("who", ["hengpi_staff", "leader", "viewer", "outsider"])
def test_others_may_not_link_or_unlink(cast, plan, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.action_link(actor=user, item=plan.flagged, target=plan.goal)
    with pytest.raises(PermissionDenied):
        services.action_unlink(actor=user, action=plan.task_action)
    assert ItemAction.objects.filter(pk=plan.task_action.pk).exists()


def test_unlinking_is_on_the_trail(cast, plan):
    services.action_unlink(actor=cast.encheng_staff, action=plan.task_action)
    assert not ItemAction.objects.filter(pk=plan.task_action.pk).exists()
    assert entries(plan.task_action) == [AuditEntry.Action.DELETE]
