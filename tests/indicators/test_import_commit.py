"""Committing an import: all or nothing, idempotent, every change in the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from jinwei.audit.models import AuditEntry
from jinwei.indicators.importing import commit as commit_module
from jinwei.indicators.importing.commit import ImportRejected
from jinwei.indicators.importing.services import import_batch_commit, import_batch_create
from jinwei.indicators.models import ImportBatch, Indicator, Observation
from tests.indicators.factories import ObservationFactory, TargetFactory
from tests.indicators.import_helpers import LONG_HEADER, english, gdp, xlsx

pytestmark = pytest.mark.usefixtures(english.__name__)
D = Decimal
GOOD = [
    LONG_HEADER,
    ["GDP", "恩平", 2022, "230.1", "5.0", "江门统计年鉴"],
    ["GDP", "恩平", 2023, "251.3", "5.1", "江门统计年鉴"],
    ["GDP", "台山", 2023, "547.4", "4.2", "江门统计年鉴"],
]


def commit(cast, path, actor=None):
    actor = actor or cast.statistician
    batch = import_batch_create(actor=actor, government=cast.enping, path=path)
    return batch, import_batch_commit(actor=actor, batch=batch)


def snapshot():
    return sorted(
        Observation.objects.values_list("indicator_id", "region_id", "period", "value", "version")
    )


def test_it_saves_every_value_and_attributes_it_to_the_import(cast, tmp_path):
    gdp(cast)
    batch, outcome = commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", GOOD)))
    assert outcome.counts()["new"] == 3
    saved = Observation.objects.order_by("period", "region__code")
    assert [(o.region.name, o.period, o.value, o.growth_rate) for o in saved] == [
        ("恩平市", "2022", D("230.1"), D("5.0")),
        ("台山市", "2023", D("547.4"), D("4.2")),
        ("恩平市", "2023", D("251.3"), D("5.1")),
    ]
    first = saved[0]
    assert (first.batch, first.source, first.status) == (batch, "江门统计年鉴", "submitted")
    assert (first.version, first.submitted_at is not None, first.created_at is not None) == (
        1, True, True,
    )  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.committed_at is not None and batch.progress == 100
    (entry,) = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(batch))
    assert (entry.action, entry.actor, entry.object_id) == (
        "event",
        cast.statistician,
        str(batch.pk),
    )
    assert entry.after == {"new": 3, "changed": 0, "unchanged": 0, "file": "t.xlsx"}
    assert entry.note == "Import of t.xlsx: 3 new, 0 changed, 0 unchanged."


def test_one_bad_row_saves_nothing(cast, tmp_path):
    indicator = gdp(cast)
    ObservationFactory(indicator=indicator, period="2021", value=D("205.72"))
    before = snapshot()
    rows = [*GOOD, ["GDP", "开平", 2023, "1", "", ""]]
    with pytest.raises(ImportRejected) as rejected:
        commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", rows)))
    assert [i.message for i in rejected.value.outcome.errors] == ["Unknown region or unit “开平”."]
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="event").exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.problems[0]["row"] == 5 and batch.counts["errors"] == 1


def test_an_import_interrupted_mid_commit_leaves_the_database_unchanged(
    cast, tmp_path, monkeypatch
):
    indicator = gdp(cast)
    ObservationFactory(indicator=indicator, period="2022", value=D(1))
    before, entries = snapshot(), AuditEntry.objects.count()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit_module, "audit_changes", crash)  # after the inserts and updates
    with pytest.raises(RuntimeError):
        commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", GOOD)))
    assert snapshot() == before
    assert AuditEntry.objects.count() == entries
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert "disk full" in batch.progress_note


def test_an_interruption_between_insert_batches_leaves_nothing(cast, tmp_path, monkeypatch):
    gdp(cast)
    monkeypatch.setattr(commit_module, "INSERT_BATCH", 1)
    calls = []
    real = commit_module._insert_rows

    def insert_then_crash(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        real(*args)

    monkeypatch.setattr(commit_module, "_insert_rows", insert_then_crash)
    with pytest.raises(RuntimeError):
        commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", GOOD)))
    assert Observation.objects.count() == 0


def test_importing_the_same_file_again_changes_nothing(cast, tmp_path):
    gdp(cast)
    path = xlsx(tmp_path / "t.xlsx", ("表1", GOOD))
    commit(cast, path)
    before = list(Observation.objects.values_list("id", "version", "updated_at", "batch_id"))
    updates = AuditEntry.objects.filter(action="update").count()
    _batch, again = commit(cast, path)
    assert again.counts()["new"] == again.counts()["changed"] == 0
    assert again.counts()["unchanged"] == 3
    assert (
        list(Observation.objects.values_list("id", "version", "updated_at", "batch_id")) == before
    )
    assert AuditEntry.objects.filter(action="update").count() == updates


def test_a_changed_value_becomes_a_revision_in_the_audit_trail(cast, tmp_path):
    indicator = gdp(cast)
    old = ObservationFactory(indicator=indicator, period="2023", value=D("250"), source="快报")
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, "251.3", "", "年报"]]
    batch, outcome = commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", rows)))
    assert outcome.counts()["changed"] == 1
    old.refresh_from_db()
    assert (old.value, old.source, old.version, old.batch) == (D("251.3"), "年报", 2, batch)
    (entry,) = AuditEntry.objects.filter(action="update", object_id=str(old.pk))
    assert entry.actor == cast.statistician and entry.object_version == 2
    assert entry.content_type == ContentType.objects.get_for_model(Observation)
    assert entry.before == {"value": "250.000000", "source": "快报", "status": "draft"} | {
        "batch_id": None
    }
    assert entry.after == {
        "value": "251.300000", "source": "年报", "status": "submitted", "batch_id": batch.pk,
    }  # fmt: skip
    assert entry.note == "import of t.xlsx"
    assert entry.object_repr == "地区生产总值 · 恩平市 · 2023"


def test_a_growth_rate_left_empty_keeps_the_stored_one(cast, tmp_path):
    indicator = gdp(cast)
    old = ObservationFactory(indicator=indicator, period="2023", value=D(1), growth_rate=D("5.5"))
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, "2", "", ""]]
    commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", rows)))
    old.refresh_from_db()
    assert (old.value, old.growth_rate) == (D(2), D("5.5"))


def test_a_statisticians_import_in_red_is_saved_with_the_explanation_due(cast, tmp_path):
    indicator = gdp(cast, owner_unit=cast.encheng, value_kind=Indicator.ValueKind.CUMULATIVE,
                    frequency=Indicator.Frequency.MONTHLY)  # fmt: skip
    TargetFactory(indicator=indicator, year=2024, value=D(100))
    rows = [
        LONG_HEADER,
        ["GDP", "恩平", "2024-06", 10, "", ""],
        ["GDP", "恩平", "2024-03", 20, "", ""],
    ]
    commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", rows)))
    due = dict(Observation.objects.values_list("period", "explanation_due"))
    assert due == {"2024-06": True, "2024-03": False}


def test_unit_staff_cannot_save_another_units_indicator(cast, tmp_path):
    gdp(cast)
    with pytest.raises(ImportRejected) as rejected:
        commit(cast, xlsx(tmp_path / "t.xlsx", ("表1", GOOD)), actor=cast.encheng_staff)
    assert {i.code for i in rejected.value.outcome.errors} == {"not_allowed"}
    assert Observation.objects.count() == 0
