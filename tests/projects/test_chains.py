"""Chains and their links: a parent in the same chain and never below the link itself, deletes
that would lose something refused, and the chain tree — counts of enterprises, projects and
leads per link, statuses empty / thin / covered, segments and gaps — in a fixed number of
queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.projects import parks
from jinwei.projects.models import ChainLink, IndustryChain
from jinwei.projects.parks import LinkStatus
from tests.enterprises.factories import EnterpriseFactory
from tests.investment.factories import LeadFactory
from tests.projects.factories import ChainLinkFactory, IndustryChainFactory, ProjectFactory

pytestmark = pytest.mark.django_db
Segment = ChainLink.Segment


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def chain(cast):
    return IndustryChainFactory(government=cast.enping, name="数控机床")


def link(chain, name, segment=Segment.MIDSTREAM, parent=None, least=2):
    return ChainLinkFactory(
        chain=chain, name=name, segment=segment, parent=parent, min_enterprises=least
    )


def enterprises_on(link_, count):
    EnterpriseFactory.create_batch(count, government=link_.chain.government, chain_link=link_)


# --- chains ---------------------------------------------------------------------------------


def test_investment_staff_create_and_rename_chains(cast):
    chain = parks.chain_create(
        actor=cast.investment, chain=IndustryChain(government=cast.enping, name="新材料")
    )
    renamed = parks.chain_update(
        actor=cast.supervisor, chain=chain, changes={"name": "新材料产业链"}, expected_version=1
    )
    assert renamed.name == "新材料产业链"
    assert AuditEntry.objects.filter(object_id=str(chain.pk)).count() == 2


@pytest.mark.parametrize("role", ["hengpi_staff", "leader", "viewer", "outsider"])
def test_others_may_not_create_chains(cast, role):
    with pytest.raises(PermissionDenied):
        parks.chain_create(
            actor=getattr(cast, role), chain=IndustryChain(government=cast.enping, name="新材料")
        )


# --- links ----------------------------------------------------------------------------------


def test_a_link_is_created_under_a_parent_of_the_same_chain(cast, chain):
    top = parks.link_create(
        actor=cast.investment,
        link=ChainLink(chain=chain, name="数控系统", segment=Segment.UPSTREAM),
    )
    sub = parks.link_create(
        actor=cast.investment,
        link=ChainLink(chain=chain, parent=top, name="伺服电机", segment=Segment.UPSTREAM),
    )
    assert sub.parent == top
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 2


def test_a_parent_from_another_chain_is_refused(cast, chain):
    other = link(IndustryChainFactory(government=cast.enping, name="新材料"), "树脂")
    with pytest.raises(ValidationError) as raised:
        parks.link_create(
            actor=cast.investment,
            link=ChainLink(chain=chain, parent=other, name="刀具", segment=Segment.UPSTREAM),
        )
    assert raised.value.message_dict["parent"] == [
        "The parent link “树脂” belongs to another chain."
    ]
    assert not chain.links.exists()


def test_a_link_cannot_move_under_itself_or_its_sub_links(cast, chain):
    top = link(chain, "数控系统")
    middle = link(chain, "驱动", parent=top)
    bottom = link(chain, "伺服电机", parent=middle)
    for new_parent in (top, bottom):
        with pytest.raises(ValidationError) as raised:
            parks.link_update(
                actor=cast.investment,
                link=top,
                changes={"parent": new_parent},
                expected_version=top.version,
            )
        assert "under itself or under one of its own sub-links" in str(raised.value)
    top.refresh_from_db()
    assert top.parent is None
    # moving a sub-link up is fine
    parks.link_update(
        actor=cast.investment, link=bottom, changes={"parent": top}, expected_version=None
    )
    bottom.refresh_from_db()
    assert bottom.parent == top


def test_a_link_cannot_move_to_another_chain(cast, chain):
    moved = link(chain, "刀具")
    other = IndustryChainFactory(government=cast.enping)
    with pytest.raises(ValidationError):
        parks.link_update(
            actor=cast.investment, link=moved, changes={"chain": other}, expected_version=None
        )


def test_staff_may_not_change_links(cast, chain):
    existing = link(chain, "刀具")
    with pytest.raises(PermissionDenied):
        parks.link_create(
            actor=cast.encheng_staff, link=ChainLink(chain=chain, name="x", segment="upstream")
        )
    with pytest.raises(PermissionDenied):
        parks.link_delete(actor=cast.encheng_staff, link=existing, expected_version=None)
    assert ChainLink.objects.filter(pk=existing.pk).exists()


def test_an_empty_link_is_deleted_with_an_audit_entry(cast, chain):
    gone = link(chain, "刀具")
    parks.link_delete(actor=cast.investment, link=gone, expected_version=gone.version)
    assert not ChainLink.objects.filter(pk=gone.pk).exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.DELETE).object_repr.endswith("刀具")


def test_deleting_a_link_with_sub_links_is_refused(cast, chain):
    top = link(chain, "数控系统")
    link(chain, "伺服电机", parent=top)
    with pytest.raises(ValidationError) as raised:
        parks.link_delete(actor=cast.investment, link=top, expected_version=None)
    assert raised.value.messages == ["“数控系统” has sub-links; move or delete them first."]
    assert chain.links.count() == 2


def test_deleting_a_link_with_something_on_it_is_refused(cast, chain):
    busy = link(chain, "整机")
    enterprises_on(busy, 2)
    LeadFactory(owner_unit=cast.investment_bureau, chain_link=busy)
    with pytest.raises(ValidationError) as raised:
        parks.link_delete(actor=cast.investment, link=busy, expected_version=None)
    assert "enterprises (2), projects (0) or leads (1)" in raised.value.messages[0]
    assert ChainLink.objects.filter(pk=busy.pk).exists()


# --- the tree -------------------------------------------------------------------------------


def test_the_tree_counts_what_is_on_each_link(cast, chain):
    top = link(chain, "数控系统", Segment.UPSTREAM)
    sub = link(chain, "伺服电机", Segment.UPSTREAM, parent=top)
    assembly = link(chain, "整机装配", Segment.MIDSTREAM)
    enterprises_on(sub, 3)
    enterprises_on(assembly, 1)
    ProjectFactory(lead_unit=cast.encheng, chain_link=assembly)
    ProjectFactory(lead_unit=cast.encheng, chain_link=assembly)
    LeadFactory(owner_unit=cast.investment_bureau, chain_link=top)
    LeadFactory(owner_unit=cast.investment_bureau, chain_link=top)
    LeadFactory(
        owner_unit=cast.investment_bureau, chain_link=top, dropped_on=datetime.date(2024, 5, 1)
    )
    # another chain's enterprise is not counted
    enterprises_on(link(IndustryChainFactory(government=cast.enping), "别的"), 4)

    tree = parks.chain_tree(chain)
    nodes = {node.link.name: node for node in tree.nodes()}
    assert (nodes["数控系统"].enterprise_count, nodes["数控系统"].total_enterprises) == (0, 3)
    assert nodes["伺服电机"].enterprise_count == 3
    assert (nodes["整机装配"].enterprise_count, nodes["整机装配"].project_count) == (1, 2)
    assert nodes["数控系统"].lead_count == 2  # the dropped lead is not pursued any more
    assert [n.link.name for n in tree.roots] == ["数控系统", "整机装配"]
    assert nodes["伺服电机"].depth == 1
    assert tree.enterprise_count == 4


def test_statuses_follow_each_link_s_threshold(cast, chain):
    empty = link(chain, "空", least=2)
    thin = link(chain, "薄", least=3)
    covered = link(chain, "足", least=2)
    exactly_one = link(chain, "一家就够", least=1)
    enterprises_on(thin, 2)
    enterprises_on(covered, 2)
    enterprises_on(exactly_one, 1)
    tree = parks.chain_tree(chain)
    status = {node.link.pk: node.status for node in tree.nodes()}
    assert status[empty.pk] == LinkStatus.EMPTY
    assert status[thin.pk] == LinkStatus.THIN
    assert status[covered.pk] == LinkStatus.COVERED
    assert status[exactly_one.pk] == LinkStatus.COVERED
    assert [n.link.name for n in tree.gaps()] == ["空", "薄"]
    assert tree.status_counts() == {"empty": 1, "thin": 1, "covered": 2}


def test_a_parent_is_covered_by_its_sub_links(cast, chain):
    top = link(chain, "数控系统", least=2)
    left = link(chain, "伺服电机", parent=top, least=1)
    right = link(chain, "数控装置", parent=top, least=1)
    enterprises_on(left, 1)
    enterprises_on(right, 1)
    by_id = parks.chain_tree(chain).by_id
    assert by_id[top.pk].status == LinkStatus.COVERED
    assert by_id[top.pk].total_enterprises == 2


def test_segments_group_the_top_level_links_in_chain_order(cast, chain):
    link(chain, "整机", Segment.MIDSTREAM)
    link(chain, "刀具", Segment.UPSTREAM)
    link(chain, "售后", Segment.DOWNSTREAM)
    segments = parks.chain_tree(chain).segments()
    assert [(value, [n.link.name for n in roots]) for value, _label, roots in segments] == [
        ("upstream", ["刀具"]),
        ("midstream", ["整机"]),
        ("downstream", ["售后"]),
    ]


def test_with_enterprises_the_tree_names_them_on_their_link(cast, chain):
    target = link(chain, "刀具")
    EnterpriseFactory(government=cast.enping, chain_link=target, name="乙刀具厂")
    EnterpriseFactory(government=cast.enping, chain_link=target, name="甲刀具厂")
    node = parks.chain_tree(chain, with_enterprises=True).by_id[target.pk]
    assert sorted(e["name"] for e in node.enterprises) == ["乙刀具厂", "甲刀具厂"]


def _queries(chain) -> int:
    with CaptureQueriesContext(connection) as captured:
        tree = parks.chain_tree(chain, with_enterprises=True)
        tree.gaps()
    return len(captured)


def test_the_tree_costs_two_queries_however_large(cast, chain):
    def grow(count):
        for i in range(count):
            top = link(chain, f"上游{i}", Segment.UPSTREAM)
            sub = link(chain, f"部件{i}", parent=top)
            enterprises_on(sub, 2)
            ProjectFactory(lead_unit=cast.encheng, chain_link=sub)
            LeadFactory(owner_unit=cast.investment_bureau, chain_link=top)

    grow(1)
    assert _queries(chain) == 2
    grow(15)
    assert _queries(chain) == 2


def test_chain_list_summarises_every_chain_in_two_queries(cast, chain):
    enterprises_on(link(chain, "刀具"), 2)
    link(chain, "整机")
    second = IndustryChainFactory(government=cast.enping, name="新材料")
    IndustryChainFactory(government=cast.taishan, name="台山链")
    parks.chain_list(viewer=cast.viewer, government=cast.enping)  # loads the grants
    with CaptureQueriesContext(connection) as captured:
        summaries = parks.chain_list(viewer=cast.viewer, government=cast.enping)
    assert len(captured) == 2
    assert [s.chain for s in summaries] == [chain, second]
    assert summaries[0].link_count == 2
    assert summaries[0].status_rows() == [
        ("empty", "Empty", 1),
        ("thin", "Thin", 0),
        ("covered", "Covered", 1),
    ]
