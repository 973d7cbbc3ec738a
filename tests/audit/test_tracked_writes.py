"""The tracked write services: create, change and delete leave who/when/before/after entries."""

from __future__ import annotations

import pytest
from django.db import transaction

from jinwei.accounts.models import Membership, OrgUnit, Role
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import (
    StaleVersionError,
    tracked_create,
    tracked_delete,
    tracked_update,
)

pytestmark = pytest.mark.django_db


def test_create_records_the_values_after(cast):
    unit = tracked_create(
        actor=cast.supervisor,
        obj=OrgUnit(government=cast.enping, name="圣堂镇", kind=OrgUnit.Kind.TOWN, order=3),
    )
    entry = AuditEntry.objects.get(action="create")
    assert entry.actor == cast.supervisor and entry.actor_name == "sam"
    assert entry.object_id == str(unit.pk) and entry.object_repr == "圣堂镇"
    assert entry.government_id == cast.enping.pk
    assert entry.before == {}
    assert entry.after["name"] == "圣堂镇" and entry.after["order"] == 3
    assert entry.after["government_id"] == cast.enping.pk
    assert "version" not in entry.after


def test_change_records_only_the_changed_fields_before_and_after(cast):
    unit = tracked_update(
        actor=cast.encheng_staff,
        obj=cast.encheng,
        changes={"head": "示例·李主任", "phone": ""},
        expected_version=1,
    )
    assert unit.version == 2
    entry = AuditEntry.objects.get(action="update")
    assert entry.before == {"head": ""} and entry.after == {"head": "示例·李主任"}
    assert entry.object_version == 2
    assert entry.changed_fields == ["head"]


def test_a_change_that_changes_nothing_writes_nothing(cast):
    unit = tracked_update(
        actor=cast.supervisor, obj=cast.encheng, changes={"name": "恩城街道"}, expected_version=1
    )
    assert unit.version == 1
    assert not AuditEntry.objects.exists()


def test_delete_records_the_values_before(cast):
    membership = Membership.objects.get(user=cast.hengpi_staff)
    pk = membership.pk
    tracked_delete(actor=cast.admin, obj=membership, expected_version=1)
    assert not Membership.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="delete")
    assert entry.object_id == str(pk)
    assert entry.before["role"] == Role.STAFF and entry.before["unit_id"] == cast.hengpi.pk
    assert entry.after == {}


def test_stale_change_is_refused_with_what_changed(cast):
    tracked_update(
        actor=cast.supervisor, obj=cast.encheng, changes={"phone": "1"}, expected_version=1
    )
    with pytest.raises(StaleVersionError) as caught:
        tracked_update(
            actor=cast.encheng_staff, obj=cast.encheng, changes={"phone": "2"}, expected_version=1
        )
    error = caught.value
    assert error.expected == 1 and error.obj.version == 2
    [change] = error.changes
    assert (change.field, change.before, change.after, change.actor_name) == (
        "phone",
        "",
        "1",
        "sam",
    )
    assert "sam" in error.message and "1" in error.message
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "1"


def test_stale_delete_is_refused(cast):
    tracked_update(
        actor=cast.supervisor, obj=cast.encheng, changes={"phone": "1"}, expected_version=1
    )
    with pytest.raises(StaleVersionError):
        tracked_delete(actor=cast.admin, obj=cast.encheng, expected_version=1)
    assert OrgUnit.objects.filter(pk=cast.encheng.pk).exists()


def test_invalid_change_writes_neither_row_nor_entry(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tracked_update(
            actor=cast.admin, obj=cast.encheng, changes={"kind": "nonsense"}, expected_version=1
        )
    cast.encheng.refresh_from_db()
    assert cast.encheng.kind == OrgUnit.Kind.TOWN and cast.encheng.version == 1
    assert not AuditEntry.objects.exists()


def test_entry_is_rolled_back_with_the_change(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        tracked_update(
            actor=cast.admin, obj=cast.encheng, changes={"phone": "9"}, expected_version=1
        )
        raise RuntimeError("the caller's transaction fails later")
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == ""
    assert not AuditEntry.objects.exists()


def test_stale_refusal_names_related_objects_not_ids(cast):
    membership = Membership.objects.get(user=cast.hengpi_staff)
    tracked_update(
        actor=cast.admin, obj=membership, changes={"unit": cast.encheng}, expected_version=1
    )
    with pytest.raises(StaleVersionError) as caught:
        tracked_update(actor=cast.admin, obj=membership, changes={"title": "x"}, expected_version=1)
    [change] = caught.value.changes
    assert (change.before, change.after) == ("横陂镇", "恩城街道")


def test_a_file_field_is_recorded_by_its_stored_name(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jinwei.honors.models import Honour, Level

    honour = Honour(
        government=cast.enping, title="省健康县", level=Level.PROVINCIAL, year=2023, issuer="省"
    )
    honour.evidence.save("证书.pdf", SimpleUploadedFile("证书.pdf", b"%PDF-1.4"), save=False)
    tracked_create(actor=cast.supervisor, obj=honour)
    entry = AuditEntry.objects.get(action="create", object_id=str(honour.pk))
    assert entry.after["evidence"] == honour.evidence.name
    assert entry.after["evidence"].startswith("honors/evidence/")
