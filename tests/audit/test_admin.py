"""Changes made in the Django admin are audited and refused when stale; the trail is read-only."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jinwei.accounts.models import OrgUnit
from jinwei.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save(update_fields=["is_staff", "is_superuser"])
    return cast.client_for(cast.admin)


def _unit_form(unit: OrgUnit, **changes):
    data = {
        "government": unit.government_id,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "region": "",
        "order": unit.order,
        "head": unit.head,
        "phone": unit.phone,
        "address": unit.address,
        "description": unit.description,
        "is_active": "on",
        "loaded_version": unit.version,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_change_is_audited(cast, admin_client_):
    url = reverse("admin:accounts_orgunit_change", args=[cast.encheng.pk])
    response = admin_client_.post(url, _unit_form(cast.encheng, head="示例·王主任"))
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.encheng.refresh_from_db()
    assert cast.encheng.head == "示例·王主任" and cast.encheng.version == 2
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == cast.admin and entry.after == {"head": "示例·王主任"}


def test_admin_stale_change_is_refused(cast, admin_client_):
    url = reverse("admin:accounts_orgunit_change", args=[cast.encheng.pk])
    admin_client_.post(url, _unit_form(cast.encheng, head="A"))
    response = admin_client_.post(url, _unit_form(cast.encheng, head="B", loaded_version=1))
    assert response.status_code == 200
    content = response.content.decode()
    assert "→ A（ada，" in content  # the refusal names what changed meanwhile and who changed it
    cast.encheng.refresh_from_db()
    assert cast.encheng.head == "A"


def test_admin_delete_is_audited(cast, admin_client_):
    unit = OrgUnit.objects.create(government=cast.enping, name="临时单位", kind="department")
    url = reverse("admin:accounts_orgunit_delete", args=[unit.pk])
    response = admin_client_.post(url, {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="delete")
    assert entry.before["name"] == "临时单位"


def test_audit_entries_cannot_be_changed_or_deleted_in_the_admin(cast, admin_client_):
    entry = AuditEntry.objects.create(
        at="2024-01-01T00:00:00Z",
        action="event",
        content_type=ContentType.objects.get_for_model(OrgUnit),
        object_id="1",
        object_repr="x",
    )
    assert admin_client_.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        admin_client_.post(
            reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
