"""The opportunities demo: the article's opportunities for 恩平市 with their items, linked to the
goals, tasks and projects of the other demos through the services as the demo users, several
items left unlinked (flagged), the plan's invented items marked illustrative, and a rerun that
changes nothing but recreates what was deleted."""

from __future__ import annotations

import pytest

from jinwei.accounts.demo import demo_government, load_foundation
from jinwei.accounts.models import User
from jinwei.audit.models import AuditEntry
from jinwei.indicators.demo import load_indicators
from jinwei.opportunities import demo_data, selectors
from jinwei.opportunities.demo import load_opportunities
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from jinwei.projects.demo import load_projects
from jinwei.tasks.demo import load_tasks

pytestmark = pytest.mark.django_db


def test_the_demo(settings, tmp_path):
    """One load, then every check on it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_foundation()
    load_indicators()
    load_tasks()
    load_projects()
    assert load_opportunities() > 60
    check_the_articles_opportunities()
    check_every_named_action_is_linked()
    check_several_items_are_flagged()
    check_it_was_written_by_the_demo_users()
    check_a_second_run_changes_nothing()
    check_a_rerun_recreates_what_was_deleted()


def views() -> dict[str, selectors.OpportunityView]:
    found = selectors.opportunities_with_items(government=demo_government())
    return {view.opportunity.title: view for view in found}


def check_the_articles_opportunities() -> None:
    found = views()
    assert list(found) == [spec.title for spec in demo_data.OPPORTUNITIES]
    bqw = found["百千万工程（头号工程）"]
    assert "进位类县" in bqw.opportunity.summary
    assert [v.item.title for v in bqw.items][:4] == [
        "一年开局起步",
        "三年初见成效",
        "五年显著变化",
        "十年根本改变",
    ]
    plan = found["珠江口西岸都市圈发展规划"]
    assert len(plan.items) == 16 and plan.opportunity.is_illustrative
    areas = {v.item.area for v in plan.items}
    assert {"transport", "industry", "ecology", "urban_rural"} <= areas
    assert not Opportunity.objects.exclude(title=plan.opportunity.title).filter(
        is_illustrative=True
    )
    bridges = found["深中通道、黄茅海跨海通道建成通车"]
    assert any("1.5小时经济生活圈" in v.item.title for v in bridges.items)
    nantou = found["中山市南头镇与恩平产业结对协作"]
    (park,) = nantou.items
    assert {str(a) for a in park.actions} >= {"RW-008 推进中山（恩平）智能家电产业园建设"}


def check_every_named_action_is_linked() -> None:
    found = views()
    for spec in demo_data.OPPORTUNITIES:
        view = found[spec.title]
        for item_spec, item_view in zip(spec.items, view.items, strict=True):
            wanted = len(item_spec.goals) + len(item_spec.tasks) + len(item_spec.projects)
            assert len(item_view.actions) == wanted, item_spec.title
    kinds = ItemAction.objects.values_list("goal", "task", "project")
    assert all(any(kind) for kind in kinds)
    assert ItemAction.objects.filter(goal__isnull=False).exists()
    assert ItemAction.objects.filter(task__isnull=False).exists()
    assert ItemAction.objects.filter(project__isnull=False).exists()


def check_several_items_are_flagged() -> None:
    flagged = [v.item.title for view in views().values() for v in view.flagged]
    assert len(flagged) >= 5
    assert "组建跨区域教育集团" in flagged
    supervisor = User.objects.get(username="supervisor")
    listed = selectors.opportunity_list(
        viewer=supervisor, government=demo_government(), only_flagged=True
    )
    titles = {o.title for o in listed}
    assert {"珠江口西岸都市圈发展规划", "蓬江、江海与恩平结对协同发展"} <= titles
    assert "百千万工程（头号工程）" not in titles


def check_it_was_written_by_the_demo_users() -> None:
    entries = AuditEntry.objects.filter(content_type__app_label="opportunities")
    assert not entries.filter(actor=None).exists()
    created = entries.filter(content_type__model="opportunity")
    assert set(created.values_list("actor__username", flat=True)) == {"supervisor"}
    item_authors = set(
        entries.filter(content_type__model="opportunityitem").values_list(
            "actor__username", flat=True
        )
    )
    assert {"supervisor", "demo-fagai", "demo-nongye"} <= item_authors


def snapshot() -> dict[str, int]:
    models = (Opportunity, OpportunityItem, ItemAction, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def check_a_second_run_changes_nothing() -> None:
    before = snapshot()
    assert load_opportunities() == 0
    assert snapshot() == before


def check_a_rerun_recreates_what_was_deleted() -> None:
    plan = Opportunity.objects.get(title="珠江口西岸都市圈发展规划")
    unlinked = ItemAction.objects.filter(item__opportunity=plan).first()
    assert unlinked is not None
    unlinked.delete()  # someone unlinked it: a rerun leaves that alone
    OpportunityItem.objects.filter(opportunity=plan, number=5).delete()
    Opportunity.objects.filter(title="省“双百行动”服务队").delete()
    assert load_opportunities() > 0
    fifth = OpportunityItem.objects.get(opportunity=plan, number=5)
    assert fifth.actions.count() == 3
    assert Opportunity.objects.get(title="省“双百行动”服务队").items.count() == 1
    assert not ItemAction.objects.filter(pk=unlinked.pk).exists()
