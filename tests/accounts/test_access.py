"""Who may read and change what, role by role, through the unit pages and the audit pages.

admin and supervisor change every unit of their government (the full form); leader and viewer
read everything and change nothing; statistician, investment and unit staff change their own
unit's profile only; staff of another government see nothing of Enping (404).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from jinwei.accounts import services
from jinwei.accounts.models import OrgUnit, Role
from jinwei.audit.models import AuditEntry
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MANAGERS = ["admin", "supervisor"]
READERS = ["leader", "viewer"]
OWN_UNIT = {
    "statistician": "stats_bureau",
    "investment": "investment_bureau",
    "encheng_staff": "encheng",
    "hengpi_staff": "hengpi",
}
ENPING_ROLES = [*MANAGERS, *READERS, *OWN_UNIT]
UNITS = ["encheng", "hengpi", "stats_bureau", "investment_bureau", "supervision"]
PROFILE_FIELDS = {"version", "head", "phone", "address", "description"}


def _detail(unit: OrgUnit) -> str:
    return reverse("accounts:unit_detail", args=[unit.pk])


def _edit(unit: OrgUnit) -> str:
    return reverse("accounts:unit_edit", args=[unit.pk])


def _post(client: Client, unit: OrgUnit, **data: Any) -> Any:
    form = {"version": unit.version, "head": "", "phone": "", "address": "", "description": ""}
    form.update(data)
    return client.post(_edit(unit), form)


def _full_post(client: Client, unit: OrgUnit, **data: Any) -> Any:
    full = {"name": unit.name, "kind": unit.kind, "order": unit.order, "is_active": "on"}
    return _post(client, unit, **{**full, **data})


def _assert_untouched(unit: OrgUnit, name: str) -> None:
    unit.refresh_from_db()
    assert unit.name == name and unit.phone == "" and unit.version == 1
    assert not AuditEntry.objects.filter(object_id=str(unit.pk), action="update").exists()


# --- reading ---


@pytest.mark.parametrize("role", ENPING_ROLES)
@pytest.mark.parametrize("unit", UNITS)
def test_everyone_in_the_government_reads_every_unit(cast: Any, role: str, unit: str) -> None:
    response = cast.client_for(getattr(cast, role)).get(_detail(getattr(cast, unit)))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ENPING_ROLES)
def test_the_edit_button_shows_only_to_those_who_may_edit(cast: Any, role: str) -> None:
    response = cast.client_for(getattr(cast, role)).get(_detail(cast.encheng))
    may = role in MANAGERS or OWN_UNIT.get(role) == "encheng"
    assert response.context["may_change"] is may
    assert (_edit(cast.encheng) in response.content.decode()) is may


# --- admin and supervisor: any unit of their government, every field ---


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("unit", UNITS)
def test_managers_change_any_unit_with_the_full_form(cast: Any, role: str, unit: str) -> None:
    user, target = getattr(cast, role), getattr(cast, unit)
    client = cast.client_for(user)
    form = client.get(_edit(target)).context["form"]
    assert {"name", "kind", "order", "is_active"} <= set(form.fields)
    response = _full_post(client, target, name="新名称", kind="department", phone="0750-7000000")
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.kind, target.phone) == ("新名称", "department", "0750-7000000")
    entry = AuditEntry.objects.get(action="update", object_id=str(target.pk))
    assert entry.actor == user
    assert entry.after["name"] == "新名称"


# --- leader and viewer: read, never change ---


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("unit", ["encheng", "leadership"])
def test_readers_may_not_edit(cast: Any, role: str, unit: str) -> None:
    target = getattr(cast, unit)
    name = target.name
    client = cast.client_for(getattr(cast, role))
    assert client.get(_edit(target)).status_code == 403
    assert _full_post(client, target, name="改名", phone="110").status_code == 403
    _assert_untouched(target, name)


# --- statistician, investment, unit staff: their own unit's profile ---


@pytest.mark.parametrize("role", list(OWN_UNIT))
def test_unit_staff_change_their_own_units_profile(cast: Any, role: str) -> None:
    user, own = getattr(cast, role), getattr(cast, OWN_UNIT[role])
    name, kind = own.name, own.kind
    client = cast.client_for(user)
    assert set(client.get(_edit(own)).context["form"].fields) == PROFILE_FIELDS
    response = _full_post(client, own, name="篡改", kind="leadership", phone="0750-7111111")
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.phone == "0750-7111111"
    assert (own.name, own.kind) == (name, kind)  # not theirs to change: silently not in the form
    entry = AuditEntry.objects.get(action="update", object_id=str(own.pk))
    assert entry.actor == user and set(entry.after) == {"phone"}


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (role, unit)
        for role in OWN_UNIT
        for unit in ["encheng", "investment_bureau", "supervision"]
        if OWN_UNIT[role] != unit
    ],
)
def test_unit_staff_may_not_change_another_unit(cast: Any, role: str, unit: str) -> None:
    target = getattr(cast, unit)
    name = target.name
    client = cast.client_for(getattr(cast, role))
    assert client.get(_edit(target)).status_code == 403
    assert _post(client, target, phone="0750-1111111").status_code == 403
    _assert_untouched(target, name)


def test_it_rejects_other_unit(cast: Any) -> None:
    """横陂镇's staff cannot change 恩城街道: 403, nothing written, no audit entry."""
    client = cast.client_for(cast.hengpi_staff)
    response = _post(client, cast.encheng, phone="0750-1111111", head="横陂人")
    assert response.status_code == 403
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "" and cast.encheng.head == "" and cast.encheng.version == 1
    assert not AuditEntry.objects.exists()


# --- another government: nothing of Enping is visible ---


@pytest.mark.parametrize("unit", UNITS)
def test_an_outsider_gets_404_for_enpings_units(cast: Any, unit: str) -> None:
    target = getattr(cast, unit)
    name = target.name
    client = cast.client_for(cast.outsider)
    assert client.get(_detail(target)).status_code == 404
    assert client.get(_edit(target)).status_code == 404
    assert _full_post(client, target, name="台山", phone="0750-5555555").status_code == 404
    _assert_untouched(target, name)


def test_enpings_admin_gets_404_for_another_governments_unit(cast: Any) -> None:
    taishan_unit = OrgUnit.objects.get(government=cast.taishan)
    client = cast.client_for(cast.admin)
    assert client.get(_detail(taishan_unit)).status_code == 404
    assert client.get(_edit(taishan_unit)).status_code == 404


def test_a_missing_unit_is_404(cast: Any) -> None:
    assert (
        cast.client_for(cast.admin).get(reverse("accounts:unit_detail", args=[999999])).status_code
        == 404
    )


# --- the audit log: admins only ---


def test_the_audit_log_is_open_to_admins(cast: Any) -> None:
    assert cast.client_for(cast.admin).get(reverse("audit:log")).status_code == 200


@pytest.mark.parametrize("role", [r for r in ENPING_ROLES if r != "admin"] + ["outsider"])
def test_the_audit_log_is_closed_to_everyone_else(cast: Any, role: str) -> None:
    assert cast.client_for(getattr(cast, role)).get(reverse("audit:log")).status_code == 403


def test_the_audit_log_shows_only_the_admins_government(cast: Any) -> None:
    taishan_unit = OrgUnit.objects.get(government=cast.taishan)
    services.unit_update(
        actor=cast.outsider, unit=taishan_unit, expected_version=1, changes={"phone": "台山电话"}
    )
    services.unit_update(
        actor=cast.supervisor, unit=cast.encheng, expected_version=1, changes={"phone": "恩城电话"}
    )
    text = cast.client_for(cast.admin).get(reverse("audit:log")).content.decode()
    assert "恩城电话" in text
    assert "台山电话" not in text


# --- an object's history: whoever may view the object ---


def _history(obj: Any) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("audit:history", args=[content_type.pk, str(obj.pk)])


@pytest.fixture
def changed_unit(cast: Any) -> OrgUnit:
    return services.unit_update(
        actor=cast.supervisor, unit=cast.encheng, expected_version=1, changes={"phone": "7654321"}
    )


@pytest.mark.parametrize("role", ENPING_ROLES)
def test_everyone_who_may_view_a_unit_sees_its_history(
    cast: Any, changed_unit: OrgUnit, role: str
) -> None:
    response = cast.client_for(getattr(cast, role)).get(_history(changed_unit))
    assert response.status_code == 200
    assert "7654321" in response.content.decode()


def test_an_outsider_gets_404_for_the_history(cast: Any, changed_unit: OrgUnit) -> None:
    response = cast.client_for(cast.outsider).get(_history(changed_unit))
    assert response.status_code == 404
    assert "7654321" not in response.content.decode()


@pytest.fixture
def deleted_membership(cast: Any) -> tuple[int, str]:
    membership = cast.viewer.memberships.get()
    services.membership_delete(
        actor=cast.admin, membership=membership, expected_version=membership.version
    )
    content_type = ContentType.objects.get_for_model(membership)
    return content_type.pk, str(membership.pk)


def test_a_deleted_objects_history_is_for_its_governments_admins(
    cast: Any, deleted_membership: tuple[int, str]
) -> None:
    url = reverse("audit:history", args=deleted_membership)
    assert cast.client_for(cast.admin).get(url).status_code == 200
    for user in (cast.supervisor, cast.leader, cast.encheng_staff, cast.outsider):
        assert cast.client_for(user).get(url).status_code == 404


def test_another_governments_admin_gets_404_for_a_deleted_objects_history(
    cast: Any, deleted_membership: tuple[int, str]
) -> None:
    taishan_admin = UserFactory(username="tara")
    MembershipFactory(
        user=taishan_admin, unit=OrgUnit.objects.get(government=cast.taishan), role=Role.ADMIN
    )
    url = reverse("audit:history", args=deleted_membership)
    assert cast.client_for(taishan_admin).get(url).status_code == 404


def test_a_history_url_with_a_malformed_id_is_404(cast: Any) -> None:
    content_type = ContentType.objects.get_for_model(OrgUnit)
    url = reverse("audit:history", args=[content_type.pk, "not-a-number"])
    assert cast.client_for(cast.admin).get(url).status_code == 404


def test_a_government_reader_reads_its_government_only_and_changes_nothing(cast):
    from jinwei.accounts.access import GovernmentReader, can_change, can_manage, can_view

    reader = GovernmentReader(cast.enping.pk)
    assert can_view(reader, cast.encheng)
    assert not can_change(reader, cast.encheng)
    assert not can_manage(reader, cast.enping.pk)
    taishan_unit = OrgUnit.objects.filter(government=cast.taishan).first()
    assert taishan_unit is not None and not can_view(reader, taishan_unit)
