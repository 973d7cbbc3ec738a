from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jinwei.accounts.models import OrgUnit
from jinwei.audit.models import AuditEntry
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def _unit_url(unit: OrgUnit) -> str:
    return f"/api/v1/units/{unit.pk}"


def _patch(client: Client, unit: OrgUnit, **body: Any) -> Any:
    return client.patch(_unit_url(unit), body, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/regions"),
        ("get", "/api/v1/units"),
        ("get", "/api/v1/openapi.json"),
        ("patch", "/api/v1/units/1"),
    ],
)
def test_it_answers_anonymous_callers_with_401_json(cast, method, url):
    response = getattr(Client(), method)(url, {}, content_type="application/json")
    assert response.status_code == 401  # not a redirect to the login page
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_me_lists_memberships_with_unit_and_role(cast):
    response = cast.client_for(cast.encheng_staff).get("/api/v1/me")
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "eve"
    assert data["name"] == "恩城办事员"
    assert [
        (m["unit"]["name"], m["unit"]["government_code"], m["role"]) for m in data["memberships"]
    ] == [("恩城街道", "440785", "staff")]


def test_regions_lists_every_region_with_its_parent_code(cast):
    response = cast.client_for(cast.outsider).get("/api/v1/regions")
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()}
    assert set(rows) == {"440000", "440700", "440781", "440785"}
    assert rows["440785"] == {
        "code": "440785",
        "name": "恩平市",
        "short_name": "",
        "level": "county",
        "parent_code": "440700",
    }
    assert rows["440000"]["parent_code"] is None


def test_region_detail_finds_by_code_or_answers_404(cast):
    client = cast.client_for(cast.viewer)
    assert client.get("/api/v1/regions/440700").json()["name"] == "江门市"
    missing = client.get("/api/v1/regions/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"]


def test_session_lists_the_units_of_the_callers_government(cast):
    response = cast.client_for(cast.encheng_staff).get("/api/v1/units")
    assert response.status_code == 200
    rows = response.json()
    names = {row["name"] for row in rows}
    assert {"恩城街道", "横陂镇", "统计局", "市委督查室"} <= names
    assert "台山市统计局" not in names
    assert all(row["version"] == 1 for row in rows)
    editable = {row["name"]: row["editable_fields"] for row in rows}
    assert editable["恩城街道"] == ["head", "phone", "address", "description"]
    assert editable["横陂镇"] == []


def test_unit_list_filters_by_kind(cast):
    client = cast.client_for(cast.supervisor)
    towns = client.get("/api/v1/units", {"kind": "town"}).json()
    assert sorted(row["name"] for row in towns) == ["恩城街道", "横陂镇"]
    assert client.get("/api/v1/units", {"kind": "planet"}).status_code == 422


def test_unit_list_query_count_does_not_grow_with_units(cast, django_assert_max_num_queries):
    OrgUnitFactory.create_batch(40, government=cast.enping, region=cast.enping)
    client = cast.client_for(cast.supervisor)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/units")
    assert len(response.json()) == 46
    assert {row["region_code"] for row in response.json()} == {None, "440785"}


def test_unit_detail_includes_the_version(cast):
    response = cast.client_for(cast.leader).get(_unit_url(cast.encheng))
    assert response.status_code == 200
    assert response.json()["name"] == "恩城街道"
    assert response.json()["version"] == 1
    assert response.json()["editable_fields"] == []


def test_outsider_gets_404_for_a_unit_of_another_government(cast):
    client = cast.client_for(cast.outsider)
    assert client.get(_unit_url(cast.encheng)).status_code == 404
    response = _patch(client, cast.encheng, version=1, phone="0750-1")
    assert response.status_code == 404
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "" and cast.encheng.version == 1


def test_staff_change_their_own_unit(cast):
    response = _patch(
        cast.client_for(cast.encheng_staff), cast.encheng, version=1, phone="0750-7777777"
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "0750-7777777"
    assert response.json()["version"] == 2
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "0750-7777777" and cast.encheng.version == 2
    entry = AuditEntry.objects.get(action="update", object_id=str(cast.encheng.pk))
    assert entry.actor == cast.encheng_staff
    assert entry.before == {"phone": ""} and entry.after == {"phone": "0750-7777777"}


def test_it_rejects_other_unit(cast):
    response = _patch(
        cast.client_for(cast.hengpi_staff), cast.encheng, version=1, phone="0750-1111111"
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "" and cast.encheng.version == 1
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("user", ["leader", "viewer"])
def test_readers_may_not_change_units(cast, user):
    response = _patch(cast.client_for(getattr(cast, user)), cast.leadership, version=1, phone="1")
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_staff_may_not_change_the_supervisors_fields(cast):
    response = _patch(
        cast.client_for(cast.encheng_staff), cast.encheng, version=1, name="恩城", phone="1"
    )
    assert response.status_code == 403
    assert "name" in response.json()["detail"]
    cast.encheng.refresh_from_db()
    assert cast.encheng.name == "恩城街道" and cast.encheng.phone == ""
    assert not AuditEntry.objects.exists()


def test_staff_may_send_back_supervisor_fields_unchanged(cast):
    client = cast.client_for(cast.encheng_staff)
    body = client.get(_unit_url(cast.encheng)).json()
    body = {k: body[k] for k in ("version", "name", "kind", "order", "is_active", "head")}
    response = client.patch(
        _unit_url(cast.encheng), {**body, "head": "林主任"}, content_type="application/json"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="update")
    assert entry.after == {"head": "林主任"}


def test_supervisor_changes_every_field(cast):
    response = _patch(
        cast.client_for(cast.supervisor),
        cast.hengpi,
        version=1,
        name="横陂镇人民政府",
        short_name="横陂",
        kind="department",
        order=3,
        is_active=False,
    )
    assert response.status_code == 200
    cast.hengpi.refresh_from_db()
    assert (cast.hengpi.name, cast.hengpi.short_name, cast.hengpi.kind) == (
        "横陂镇人民政府",
        "横陂",
        "department",
    )
    assert cast.hengpi.order == 3 and cast.hengpi.is_active is False
    entry = AuditEntry.objects.get(action="update")
    assert entry.before["kind"] == "town" and entry.after["kind"] == "department"


def test_it_refuses_a_stale_version_and_lists_the_change(cast):
    assert (
        _patch(cast.client_for(cast.supervisor), cast.encheng, version=1, phone="111").status_code
        == 200
    )
    response = _patch(cast.client_for(cast.encheng_staff), cast.encheng, version=1, phone="222")
    assert response.status_code == 409
    data = response.json()
    assert data["current_version"] == 2
    assert "111" in data["detail"]
    [change] = data["changes"]
    assert {k: change[k] for k in ("field", "before", "after", "by")} == {
        "field": "phone",
        "before": "",
        "after": "111",
        "by": "sam",
    }
    assert change["label"] and change["at"]
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "111" and cast.encheng.version == 2
    assert AuditEntry.objects.count() == 1


def test_validation_errors_name_the_field(cast):
    client = cast.client_for(cast.supervisor)
    too_long = _patch(client, cast.encheng, version=1, phone="1" * 51)
    assert too_long.status_code == 422
    assert [e["loc"][-1] for e in too_long.json()["detail"]] == ["phone"]
    taken = _patch(client, cast.encheng, version=1, name="横陂镇")
    assert taken.status_code == 422
    assert [e["loc"][-1] for e in taken.json()["detail"]] == ["name"]
    null = _patch(client, cast.encheng, version=1, head=None)
    assert null.status_code == 422
    assert null.json()["detail"][0]["loc"][-1] == "head"
    unknown = _patch(client, cast.encheng, version=1, government=cast.taishan.pk)
    assert unknown.status_code == 422
    assert _patch(client, cast.encheng, phone="1").status_code == 422  # no version
    cast.encheng.refresh_from_db()
    assert cast.encheng.version == 1
    assert not AuditEntry.objects.exists()


def test_session_patch_needs_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.encheng_staff)
    refused = _patch(client, cast.encheng, version=1, phone="1")
    assert refused.status_code == 403
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "" and not AuditEntry.objects.exists()

    client.get("/accounts/me/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        _unit_url(cast.encheng),
        {"version": 1, "phone": "1"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200


def test_openapi_lists_the_paths(cast):
    response = cast.client_for(cast.viewer).get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert {
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
    } <= set(spec["paths"])
    assert set(spec["paths"]["/api/v1/units/{unit_id}"]) == {"get", "patch"}
    assert "409" in spec["paths"]["/api/v1/units/{unit_id}"]["patch"]["responses"]


def test_interactive_docs_are_off(cast):
    # ninja's docs page loads Swagger UI from a CDN, which an offline site cannot reach
    assert cast.client_for(cast.viewer).get("/api/v1/docs").status_code == 404
