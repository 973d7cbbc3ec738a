"""The honours and practices services: who may record, change and delete; what is refused; the
audit trail; the evidence file kept under a random name with its original one beside it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.honors import services
from jinwei.honors.models import Category, Honour, Level, Practice
from tests.factories import OrgUnitFactory
from tests.honors.factories import HonourFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def pdf(name: str = "证书.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF" + b"0" * (size - 4), content_type="application/pdf")


def new_honour(cast, **fields) -> Honour:
    values = {
        "government": cast.enping,
        "title": "省健康县",
        "level": Level.PROVINCIAL,
        "year": 2022,
        "issuer": "广东省爱国卫生运动委员会",
        "category": Category.HEALTH,
        "unit": cast.encheng,
        **fields,
    }
    return Honour(**values)


@pytest.fixture
def encheng_honour(cast) -> Honour:
    return HonourFactory(government=cast.enping, unit=cast.encheng, title="恩城荣誉")


@pytest.fixture
def encheng_practice(cast) -> Practice:
    return PracticeFactory(government=cast.enping, unit=cast.encheng, title="恩城经验")


# --- recording -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_supervising_office_records_honours_with_an_audit_entry(cast, role):
    honour = services.honour_create(actor=getattr(cast, role), honour=new_honour(cast))
    entry = AuditEntry.objects.get(object_id=str(honour.pk), action=AuditEntry.Action.CREATE)
    assert entry.actor == getattr(cast, role)
    assert entry.government_id == cast.enping.pk
    assert entry.after["title"] == "省健康县" and entry.after["evidence"] == ""


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer", "statistician", "outsider"])
def test_others_may_not_record_an_honour_or_a_practice(cast, role):
    user = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        services.honour_create(actor=user, honour=new_honour(cast))
    practice = Practice(
        government=cast.enping,
        title="气象旅游",
        recognised_by="上级",
        level=Level.PROVINCIAL,
        recognised_on=datetime.date(2024, 1, 20),
    )
    with pytest.raises(PermissionDenied):
        services.practice_create(actor=user, practice=practice)
    assert not Honour.objects.exists() and not Practice.objects.exists()


def test_the_unit_must_belong_to_the_government(cast):
    elsewhere = OrgUnitFactory(government=cast.taishan, name="台山市农业农村局")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.honour_create(actor=cast.supervisor, honour=new_honour(cast, unit=elsewhere))
    assert error.value.message_dict["unit"] == ["Choose a unit of 恩平市."]


def test_the_date_must_lie_in_the_year(cast):
    honour = new_honour(cast, year=2023, awarded_on=datetime.date(2024, 1, 5))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.honour_create(actor=cast.supervisor, honour=honour)
    assert error.value.message_dict["awarded_on"] == [
        "The date 2024-01-05 does not lie in the year 2023."
    ]


def test_the_same_title_twice_in_one_year_is_refused_but_not_in_the_next(cast):
    services.honour_create(actor=cast.supervisor, honour=new_honour(cast, title="国家表扬奖补"))
    services.honour_create(
        actor=cast.supervisor, honour=new_honour(cast, title="国家表扬奖补", year=2023)
    )
    with pytest.raises(ValidationError):
        services.honour_create(actor=cast.supervisor, honour=new_honour(cast, title="国家表扬奖补"))
    assert Honour.objects.filter(title="国家表扬奖补").count() == 2


# --- changing ------------------------------------------------------------------------------------


def test_the_units_staff_change_their_units_honour(cast, encheng_honour):
    saved = services.honour_update(
        actor=cast.encheng_staff,
        honour=encheng_honour,
        changes={"description": "恩城街道牵头创建"},
        expected_version=encheng_honour.version,
    )
    assert saved.description == "恩城街道牵头创建" and saved.version == 2
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.after == {"description": "恩城街道牵头创建"}


@pytest.mark.parametrize("role", ["hengpi_staff", "leader", "viewer", "outsider"])
def test_others_may_not_change_or_delete_an_encheng_honour(cast, encheng_honour, role):
    user = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        services.honour_update(
            actor=user, honour=encheng_honour, changes={"title": "改"}, expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.honour_delete(actor=user, honour=encheng_honour, expected_version=1)
    encheng_honour.refresh_from_db()
    assert encheng_honour.version == 1


@pytest.mark.parametrize("role", ["hengpi_staff", "viewer", "outsider"])
def test_others_may_not_change_or_delete_an_encheng_practice(cast, encheng_practice, role):
    user = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        services.practice_update(
            actor=user, practice=encheng_practice, changes={"title": "改"}, expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.practice_delete(actor=user, practice=encheng_practice, expected_version=1)
    assert Practice.objects.filter(pk=encheng_practice.pk, version=1).exists()


def test_staff_may_not_hand_their_honour_to_another_unit(cast, encheng_honour):
    with pytest.raises(PermissionDenied):
        services.honour_update(
            actor=cast.encheng_staff,
            honour=encheng_honour,
            changes={"unit": cast.hengpi},
            expected_version=1,
        )
    saved = services.honour_update(
        actor=cast.supervisor,
        honour=encheng_honour,
        changes={"unit": cast.hengpi},
        expected_version=1,
    )
    assert saved.unit == cast.hengpi


def test_rights_are_judged_on_the_stored_row_not_the_object_in_hand(cast, encheng_honour):
    """A form writes the submitted values onto the object before the service sees it."""
    encheng_honour.unit = cast.hengpi
    with pytest.raises(PermissionDenied):
        services.honour_update(
            actor=cast.hengpi_staff,
            honour=encheng_honour,
            changes={"unit": cast.hengpi, "title": "改"},
            expected_version=1,
        )


def test_a_stale_change_is_refused(cast, encheng_honour):
    services.honour_update(
        actor=cast.supervisor, honour=encheng_honour, changes={"title": "新"}, expected_version=1
    )
    with pytest.raises(StaleVersionError):
        services.honour_update(
            actor=cast.encheng_staff,
            honour=encheng_honour,
            changes={"title": "旧"},
            expected_version=1,
        )


def test_the_government_and_the_evidence_are_not_changed_through_changes(cast, encheng_honour):
    with pytest.raises(ValidationError):
        services.honour_update(
            actor=cast.supervisor,
            honour=encheng_honour,
            changes={"government": cast.taishan},
            expected_version=1,
        )
    with pytest.raises(ValidationError):
        services.honour_update(
            actor=cast.supervisor,
            honour=encheng_honour,
            changes={"evidence_name": "假.pdf"},
            expected_version=1,
        )


def test_the_units_staff_delete_their_practice_and_the_trail_keeps_it(cast, encheng_practice):
    services.practice_delete(
        actor=cast.encheng_staff, practice=encheng_practice, expected_version=1
    )
    assert not Practice.objects.exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert entry.before["title"] == "恩城经验" and entry.actor == cast.encheng_staff


def test_a_practice_without_a_unit_is_changed_by_the_supervising_office_only(cast):
    practice = PracticeFactory(government=cast.enping, unit=None)
    with pytest.raises(PermissionDenied):
        services.practice_update(
            actor=cast.encheng_staff, practice=practice, changes={"title": "改"}, expected_version=1
        )
    saved = services.practice_update(
        actor=cast.admin, practice=practice, changes={"promotion": "在全国推广"}, expected_version=1
    )
    assert saved.promotion == "在全国推广"


# --- the evidence file ---------------------------------------------------------------------------


def test_the_evidence_is_stored_under_a_random_name_and_keeps_its_own(cast):
    honour = services.honour_create(
        actor=cast.supervisor, honour=new_honour(cast), evidence=pdf("省健康县证书.PDF")
    )
    assert honour.evidence_name == "省健康县证书.PDF"
    assert honour.evidence.name.startswith("honors/evidence/")
    assert honour.evidence.name.endswith(".pdf") and "证书" not in honour.evidence.name
    with honour.evidence.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    entry = AuditEntry.objects.get(object_id=str(honour.pk))
    assert entry.after["evidence"] == honour.evidence.name
    assert entry.after["evidence_name"] == "省健康县证书.PDF"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("证书.exe", b"MZ"),
            "“证书.exe” cannot be used as evidence: choose a file of type "
            ".pdf, .jpg, .jpeg, .png, .ofd, .docx.",
        ),
        (SimpleUploadedFile("证书.png", b""), "“证书.png” is empty."),
    ],
)
def test_a_wrong_evidence_file_is_refused_with_its_name(cast, upload, message):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.honour_create(actor=cast.supervisor, honour=new_honour(cast), evidence=upload)
    assert error.value.message_dict["evidence"] == [message]
    assert not Honour.objects.exists()


def test_an_evidence_file_over_the_limit_is_refused(cast, settings):
    settings.JINWEI_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = pdf("扫描件.pdf", size=1024 * 1024 + 200 * 1024)
    with translation.override("en"):
        problem = services.evidence_problem(big)
    assert problem == "“扫描件.pdf” is 1.2 MB; an evidence file may be at most 1 MB."


def test_a_new_evidence_file_replaces_the_old_one_after_commit(
    cast, encheng_honour, django_capture_on_commit_callbacks
):
    first = services.honour_update(
        actor=cast.encheng_staff,
        honour=encheng_honour,
        changes={},
        expected_version=1,
        evidence=pdf(),
    )
    old = first.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.honour_update(
            actor=cast.encheng_staff,
            honour=first,
            changes={},
            expected_version=first.version,
            evidence=SimpleUploadedFile("通知.docx", b"PK docx"),
        )
    assert second.evidence_name == "通知.docx" and second.evidence.name != old
    assert not second.evidence.storage.exists(old)
    assert second.evidence.storage.exists(second.evidence.name)


def test_the_evidence_file_can_be_removed_and_goes_with_a_deleted_honour(
    cast, encheng_honour, django_capture_on_commit_callbacks
):
    with_file = services.honour_update(
        actor=cast.supervisor, honour=encheng_honour, changes={}, expected_version=1, evidence=pdf()
    )
    name = with_file.evidence.name
    storage = with_file.evidence.storage
    with django_capture_on_commit_callbacks(execute=True):
        without = services.honour_update(
            actor=cast.supervisor,
            honour=with_file,
            changes={},
            expected_version=with_file.version,
            remove_evidence=True,
        )
    assert not without.evidence and without.evidence_name == ""
    assert not storage.exists(name)
    again = services.honour_update(
        actor=cast.supervisor,
        honour=without,
        changes={},
        expected_version=without.version,
        evidence=pdf(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.honour_delete(actor=cast.supervisor, honour=again, expected_version=again.version)
    assert not storage.exists(again.evidence.name)
