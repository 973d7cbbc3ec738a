from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.accounts.models import OrgUnit
from jinwei.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _post(client, unit: OrgUnit, **data):
    form = {"version": unit.version, "head": "", "phone": "", "address": "", "description": ""}
    form.update(data)
    return client.post(reverse("accounts:unit_edit", args=[unit.pk]), form)


def test_staff_change_their_own_unit(cast):
    response = _post(cast.client_for(cast.encheng_staff), cast.encheng, phone="0750-7777777")
    assert response.status_code == 302
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "0750-7777777"
    assert cast.encheng.version == 2
    entry = AuditEntry.objects.get(action="update", object_id=str(cast.encheng.pk))
    assert entry.actor == cast.encheng_staff
    assert entry.before == {"phone": ""} and entry.after == {"phone": "0750-7777777"}


def test_it_rejects_other_unit(cast):
    response = _post(cast.client_for(cast.hengpi_staff), cast.encheng, phone="0750-1111111")
    assert response.status_code == 403
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "" and cast.encheng.version == 1
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_stale_version_and_says_what_changed(cast):
    _post(
        cast.client_for(cast.supervisor),
        cast.encheng,
        phone="111",
        name="恩城街道",
        kind="town",
        order=0,
        is_active="on",
    )
    response = _post(
        cast.client_for(cast.encheng_staff), cast.encheng, phone="222"
    )  # still version 1
    assert response.status_code == 200
    text = response.content.decode()
    assert "111" in text and "督查员" not in text  # names the user by login, not the field value
    assert "sam" in text
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "111" and cast.encheng.version == 2
