"""Peer groups: the services and the pages that create and edit them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.rankings import groups as services
from jinwei.rankings.models import PeerGroup
from tests.factories import RegionFactory
from tests.rankings.peer_groups import children_group

pytestmark = pytest.mark.django_db


# --- services ------------------------------------------------------------------------------


def test_a_supervisor_creates_a_group_of_a_parents_children_audited(cast):
    group = services.peer_group_create(
        actor=cast.supervisor, government=cast.enping, name="江门市县级单位", parent=cast.jiangmen
    )
    assert (group.government, group.parent, list(group.members.all())) == (
        cast.enping,
        cast.jiangmen,
        [],
    )
    entry = AuditEntry.objects.get(object_id=str(group.pk), action=AuditEntry.Action.CREATE)
    assert entry.actor == cast.supervisor
    assert entry.after["parent_id"] == cast.jiangmen.pk


def test_an_admin_creates_a_custom_group_with_its_members_in_the_trail(cast):
    county = RegionFactory(code="441781", name="阳春市")
    group = services.peer_group_create(
        actor=cast.admin,
        government=cast.enping,
        name="进位类县",
        members=[cast.enping, county],
        description="省进位类县（示例）",
    )
    assert set(group.members.all()) == {cast.enping, county}
    entry = AuditEntry.objects.get(object_id=str(group.pk), action=AuditEntry.Action.CREATE)
    assert sorted(entry.after["members"]) == sorted([cast.enping.pk, county.pk])


@pytest.mark.parametrize("role", ["leader", "statistician", "encheng_staff", "viewer", "outsider"])
def test_only_supervisors_and_admins_create_groups(cast, role):
    with pytest.raises(PermissionDenied):
        services.peer_group_create(
            actor=getattr(cast, role), government=cast.enping, name="组", parent=cast.jiangmen
        )
    assert not PeerGroup.objects.exists()


def test_a_group_needs_a_parent_or_members_but_not_both(cast):
    with pytest.raises(ValidationError):
        services.peer_group_create(actor=cast.supervisor, government=cast.enping, name="空")
    with pytest.raises(ValidationError):
        services.peer_group_create(
            actor=cast.supervisor,
            government=cast.enping,
            name="两者",
            parent=cast.jiangmen,
            members=[cast.enping],
        )
    assert not PeerGroup.objects.exists()


def test_names_are_unique_within_a_government(cast):
    children_group(cast, name="江门")
    with pytest.raises(ValidationError):
        services.peer_group_create(
            actor=cast.supervisor, government=cast.enping, name="江门", parent=cast.jiangmen
        )


def test_an_update_switches_to_members_and_is_audited(cast):
    group = children_group(cast)
    updated = services.peer_group_update(
        actor=cast.supervisor,
        group=group,
        changes={"parent": None, "members": [cast.enping, cast.taishan]},
        expected_version=group.version,
    )
    assert updated.parent is None
    assert set(updated.members.all()) == {cast.enping, cast.taishan}
    assert updated.version == group.version + 1
    entry = AuditEntry.objects.get(object_id=str(group.pk), action=AuditEntry.Action.UPDATE)
    assert entry.before["parent_id"] == cast.jiangmen.pk
    assert sorted(entry.after["members"]) == sorted([cast.enping.pk, cast.taishan.pk])


def test_an_update_may_not_leave_the_group_empty(cast):
    group = children_group(cast)
    with pytest.raises(ValidationError):
        services.peer_group_update(
            actor=cast.supervisor, group=group, changes={"parent": None}, expected_version=1
        )
    group.refresh_from_db()
    assert group.parent == cast.jiangmen


def test_a_leader_may_not_update_and_nothing_changes(cast):
    group = children_group(cast)
    with pytest.raises(PermissionDenied):
        services.peer_group_update(
            actor=cast.leader, group=group, changes={"name": "改名"}, expected_version=1
        )
    group.refresh_from_db()
    assert group.name == "江门市县级单位"


# --- pages ---------------------------------------------------------------------------------


def test_everyone_in_the_government_reads_the_list(cast):
    group = children_group(cast)
    for user in (cast.leader, cast.encheng_staff, cast.viewer, cast.supervisor):
        response = cast.client_for(user).get(reverse("rankings:group_list"))
        assert response.status_code == 200
        assert [g.pk for g, _editable in response.context["rows"]] == [group.pk]


def test_the_list_offers_edits_to_supervisors_only(cast):
    children_group(cast)
    staff = cast.client_for(cast.encheng_staff).get(reverse("rankings:group_list"))
    supervisor = cast.client_for(cast.supervisor).get(reverse("rankings:group_list"))
    assert [editable for _g, editable in staff.context["rows"]] == [False]
    assert not staff.context["may_create"]
    assert [editable for _g, editable in supervisor.context["rows"]] == [True]
    assert supervisor.context["may_create"]


def test_an_outsider_sees_no_group_of_another_government(cast):
    group = children_group(cast)
    client = cast.client_for(cast.outsider)
    response = client.get(reverse("rankings:group_list"))
    assert response.context["rows"] == []
    assert client.get(reverse("rankings:group_edit", args=[group.pk])).status_code == 404
    assert client.get(reverse("rankings:league", args=[group.pk])).status_code == 404


def test_a_supervisor_creates_a_group_on_the_page(cast):
    client = cast.client_for(cast.supervisor)
    assert client.get(reverse("rankings:group_create")).status_code == 200
    response = client.post(
        reverse("rankings:group_create"),
        {"government": cast.enping.pk, "name": "江门市县级单位", "parent": cast.jiangmen.pk},
    )
    group = PeerGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rankings:league", args=[group.pk])
    assert (group.government, group.parent) == (cast.enping, cast.jiangmen)
    assert AuditEntry.objects.filter(object_id=str(group.pk), actor=cast.supervisor).exists()


def test_the_form_refuses_a_group_without_regions(cast):
    client = cast.client_for(cast.admin)
    response = client.post(
        reverse("rankings:group_create"), {"government": cast.enping.pk, "name": "空"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not PeerGroup.objects.exists()


@pytest.mark.parametrize("role", ["leader", "statistician", "encheng_staff", "viewer"])
def test_others_in_the_government_may_not_create_groups(cast, role):
    client = cast.client_for(getattr(cast, role))
    assert client.get(reverse("rankings:group_create")).status_code == 403
    response = client.post(
        reverse("rankings:group_create"),
        {"government": cast.enping.pk, "name": "组", "parent": cast.jiangmen.pk},
    )
    assert response.status_code == 403
    assert not PeerGroup.objects.exists()


def test_a_supervisor_of_another_government_may_not_create_one_for_enping(cast):
    client = cast.client_for(cast.outsider)
    assert client.get(reverse("rankings:group_create")).status_code == 403


def test_a_supervisor_edits_the_members_on_the_page(cast):
    group = children_group(cast)
    client = cast.client_for(cast.supervisor)
    url = reverse("rankings:group_edit", args=[group.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "对标县",
            "members": [cast.enping.pk, cast.taishan.pk],
            "description": "",
            "version": group.version,
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.parent) == ("对标县", None)
    assert set(group.members.all()) == {cast.enping, cast.taishan}


def test_a_stale_edit_is_refused(cast):
    group = children_group(cast)
    services.peer_group_update(
        actor=cast.admin, group=group, changes={"name": "新名"}, expected_version=1
    )
    response = cast.client_for(cast.supervisor).post(
        reverse("rankings:group_edit", args=[group.pk]),
        {"name": "另一个名", "parent": cast.jiangmen.pk, "version": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    group.refresh_from_db()
    assert group.name == "新名"


@pytest.mark.parametrize("role", ["leader", "statistician", "encheng_staff", "viewer"])
def test_others_in_the_government_may_not_edit_and_nothing_is_written(cast, role):
    group = children_group(cast)
    client = cast.client_for(getattr(cast, role))
    url = reverse("rankings:group_edit", args=[group.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "改名", "parent": cast.jiangmen.pk, "version": 1})
    assert response.status_code == 403
    group.refresh_from_db()
    assert (group.name, group.version) == ("江门市县级单位", 1)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


# --- the admin -----------------------------------------------------------------------------


@pytest.fixture
def admin_client_(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save(update_fields=["is_staff", "is_superuser"])
    return cast.client_for(cast.admin)


@pytest.mark.parametrize(
    "model", ["peergroup", "evaluationscheme", "schemeindicator", "evaluationrun"]
)
def test_the_admin_lists_the_rankings_models(admin_client_, model):
    response = admin_client_.get(reverse(f"admin:rankings_{model}_changelist"))
    assert response.status_code == 200


def test_evaluation_runs_are_read_only_in_the_admin(admin_client_):
    assert admin_client_.get(reverse("admin:rankings_evaluationrun_add")).status_code == 403


def test_a_group_added_in_the_admin_is_audited_with_its_members(cast, admin_client_):
    response = admin_client_.post(
        reverse("admin:rankings_peergroup_add"),
        {
            "government": cast.enping.pk,
            "name": "对标县",
            "members": [cast.enping.pk, cast.taishan.pk],
            "description": "",
        },
    )
    assert response.status_code == 302
    group = PeerGroup.objects.get()
    assert set(group.members.all()) == {cast.enping, cast.taishan}
    entry = AuditEntry.objects.get(object_id=str(group.pk), action=AuditEntry.Action.CREATE)
    assert entry.note == "admin"
    assert sorted(entry.after["members"]) == sorted([cast.enping.pk, cast.taishan.pk])
    change = reverse("admin:rankings_peergroup_change", args=[group.pk])
    response = admin_client_.post(
        change,
        {
            "government": cast.enping.pk,
            "name": "对标县",
            "members": [cast.enping.pk],
            "description": "",
            "loaded_version": 1,
        },
    )
    assert response.status_code == 302
    update = AuditEntry.objects.get(object_id=str(group.pk), action=AuditEntry.Action.UPDATE)
    assert update.after["members"] == [cast.enping.pk]
