"""The ledger commit: drafts through the task services, all or nothing, recorded in the audit
trail; only the supervising office may import."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jinwei.audit.models import AuditEntry
from jinwei.tasks import ledger, services
from jinwei.tasks.models import CoUnit, Task, TaskEvent
from tests.indicators.import_helpers import english, xlsx
from tests.tasks.ledger_helpers import HEADER, _fixed_today, row

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__)


def ledger_file(tmp_path, *rows):
    return xlsx(tmp_path / "会议台账.xlsx", ("表1", [HEADER, *rows]))


def test_the_commit_creates_drafts_with_co_units_and_records_the_import(cast, tmp_path):
    path = ledger_file(
        tmp_path,
        row(**{"编号": "KH-1", "配合单位": "横陂镇（负责征地）、统计局", "责任领导": "alice"}),
        row(**{"任务名称": "春节招商不停歇", "牵头单位": "投资促进局"}),
    )
    outcome = ledger.commit_file(path, actor=cast.supervisor, government=cast.enping)
    tasks = list(Task.objects.order_by("code"))
    assert [(t.code, t.state, t.lead_unit) for t in tasks] == [
        ("KH-1", Task.State.DRAFT, cast.encheng),
        ("TZ2024-001", Task.State.DRAFT, cast.investment_bureau),
    ]
    assert outcome.task_ids == [tasks[0].pk, tasks[1].pk] and not outcome.assigned
    assert tasks[0].leader == cast.leader and tasks[0].original_deadline == tasks[0].deadline
    parts = CoUnit.objects.filter(task=tasks[0]).values_list("unit__name", "part")
    assert sorted(parts) == sorted([("统计局", ""), ("横陂镇", "负责征地")])
    created = AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE,
        object_id=str(tasks[0].pk),
        content_type__model="task",
        actor=cast.supervisor,
    ).get()
    assert "会议台账.xlsx" in created.note
    event = AuditEntry.objects.get(action=AuditEntry.Action.EVENT, after__kind="ledger_import")
    assert (event.actor, event.government, event.after["tasks"]) == (
        cast.supervisor,
        cast.enping,
        2,
    )
    assert event.after["file"] == "会议台账.xlsx" and event.after["codes"] == ["KH-1", "TZ2024-001"]


def test_one_bad_row_and_nothing_is_written(cast, tmp_path):
    path = ledger_file(tmp_path, row(), row(), row(**{"牵头单位": "不存在局"}))
    entries = AuditEntry.objects.count()
    with pytest.raises(ledger.LedgerRejected) as rejected:
        ledger.commit_file(path, actor=cast.supervisor, government=cast.enping)
    assert [i.row for i in rejected.value.outcome.errors] == [4]
    assert Task.objects.count() == 0 and CoUnit.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_a_row_the_services_refuse_rolls_back_the_rows_before_it(cast, tmp_path, monkeypatch):
    path = ledger_file(tmp_path, row(), row(**{"任务名称": "第二项"}), row())
    real = services.create_task

    def refuse_the_second(**kwargs):
        if kwargs["task"].title == "第二项":
            raise services.TaskActionRefused("拒绝")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_task", refuse_the_second)
    with pytest.raises(ledger.LedgerRejected) as rejected:
        ledger.commit_file(path, actor=cast.supervisor, government=cast.enping)
    [error] = rejected.value.outcome.errors
    assert (error.code, error.row, error.message) == ("refused", 3, "拒绝")
    assert rejected.value.outcome.task_ids == []
    assert Task.objects.count() == 0
    assert (
        not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE)
        .exclude(content_type__model__in=["region", "orgunit", "user", "membership"])
        .exists()
    )


def test_assign_all_on_commit(cast, tmp_path):
    path = ledger_file(tmp_path, row(), row())
    outcome = ledger.commit_file(path, actor=cast.supervisor, government=cast.enping, assign=True)
    assert outcome.assigned
    assert set(Task.objects.values_list("state", flat=True)) == {Task.State.ASSIGNED}
    assert (
        TaskEvent.objects.filter(action=TaskEvent.Action.ASSIGN, actor=cast.supervisor).count() == 2
    )


def test_assign_tasks_later_assigns_only_the_drafts(cast, tmp_path):
    outcome = ledger.commit_file(
        ledger_file(tmp_path, row(), row()), actor=cast.supervisor, government=cast.enping
    )
    first = Task.objects.get(pk=outcome.task_ids[0])
    services.perform(actor=cast.supervisor, task=first, action=TaskEvent.Action.ASSIGN)
    assert ledger.assign_tasks(actor=cast.supervisor, task_ids=outcome.task_ids) == 1
    assert set(Task.objects.values_list("state", flat=True)) == {Task.State.ASSIGNED}


@pytest.mark.parametrize("who", ["encheng_staff", "leader", "statistician", "viewer", "outsider"])
def test_only_the_supervising_office_imports(cast, tmp_path, who):
    path = ledger_file(tmp_path, row())
    with pytest.raises(PermissionDenied):
        ledger.commit_file(path, actor=getattr(cast, who), government=cast.enping)
    assert Task.objects.count() == 0


def test_an_admin_imports_too(cast, tmp_path):
    ledger.commit_file(ledger_file(tmp_path, row()), actor=cast.admin, government=cast.enping)
    assert Task.objects.get().lead_unit == cast.encheng
