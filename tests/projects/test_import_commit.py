"""The project import's commit: projects, plans, stage steps and monthly reports written through
the audit services, the latest progress copied to the project, all or nothing; rights."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from jinwei.audit.models import AuditEntry
from jinwei.projects.importing.commit import ImportRejected, commit_file
from jinwei.projects.models import InvestmentPlan, InvestmentReport, Project, ProjectStageChange
from tests.indicators.import_helpers import english, xlsx
from tests.projects.factories import InvestmentPlanFactory, InvestmentReportFactory
from tests.projects.import_helpers import (
    PROJECT_HEADER,
    REPORT_HEADER,
    D,
    _fixed_today,
    places,
    project,
    report,
    stored_project,
)

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__, places.__name__)


def both(tmp_path, projects=(), reports=()):
    return xlsx(
        tmp_path / "项目台账.xlsx",
        ("重点项目", [PROJECT_HEADER, *projects]),
        ("月度报告", [REPORT_HEADER, *reports]),
    )


def commit(cast, path, actor):
    return commit_file(path, actor=actor, government=cast.enping)


def test_the_commit_creates_projects_plans_steps_and_reports(cast, tmp_path):
    rows = [project(), project(**{"项目编号": "XM-002", "项目名称": "灯光制造基地"})]
    reports = [report(**{"月份": "2024-07", "形象进度（%）": 30}), report()]
    outcome = commit(cast, both(tmp_path, rows, reports), cast.investment)
    first = Project.objects.get(code="XM-001")
    assert (first.stage, first.progress, first.lead_unit) == (
        "under_construction",
        45,
        cast.encheng,
    )
    assert Project.objects.filter(code="XM-002", progress=0).exists()
    assert list(InvestmentPlan.objects.filter(project=first).values_list("year", "amount")) == [
        (2024, D("30000.00"))
    ]
    steps = ProjectStageChange.objects.filter(project=first).order_by("id")
    assert [(s.from_stage, s.to_stage, s.on, s.actor) for s in steps] == [
        ("", "signed", datetime.date(2023, 12, 1), cast.investment),
        ("signed", "started", datetime.date(2024, 2, 1), cast.investment),
        ("started", "under_construction", datetime.date(2024, 2, 1), cast.investment),
    ]
    saved = InvestmentReport.objects.filter(project=first).order_by("period")
    assert [(r.period, r.amount, r.progress, r.reported_by) for r in saved] == [
        ("2024-07", D("1200.00"), 30, cast.investment),
        ("2024-08", D("1200.00"), 45, cast.investment),
    ]
    created = AuditEntry.objects.filter(action="create", content_type__model="project")
    assert created.count() == 2 and "项目台账.xlsx" in created.first().note
    assert (
        AuditEntry.objects.filter(action="create", content_type__model="investmentreport").count()
        == 2
    )
    event = AuditEntry.objects.get(action="event", after__kind="projects_import")
    assert (event.actor, event.government) == (cast.investment, cast.enping)
    assert {k: event.after[k] for k in ("projects_new", "reports_new", "file")} == {
        "projects_new": 2,
        "reports_new": 2,
        "file": "项目台账.xlsx",
    }
    assert outcome.written == {"projects_written": 2, "reports_written": 2}


def test_the_commit_updates_a_stored_project_and_month(cast, tmp_path):
    stored = stored_project(cast, stage="signed", total_investment=D("50000"))
    InvestmentPlanFactory(project=stored, year=2024, amount=D("10000"))
    month = InvestmentReportFactory(project=stored, period="2024-08", amount=D("1"), progress=5)
    row = project(**{"总投资（万元）": 60000})
    commit(cast, both(tmp_path, [row], [report()]), cast.supervisor)
    stored.refresh_from_db()
    month.refresh_from_db()
    assert (stored.total_investment, stored.stage, stored.progress) == (
        D("60000.00"),
        "under_construction",
        45,
    )
    assert stored.version > 1
    assert InvestmentPlan.objects.get(project=stored, year=2024).amount == D("30000.00")
    assert [s.to_stage for s in ProjectStageChange.objects.filter(project=stored)] == [
        "started",
        "under_construction",
    ]
    assert (month.amount, month.progress, month.reported_by) == (D("1200.00"), 45, cast.supervisor)
    changes = AuditEntry.objects.filter(action="update", content_type__model="project")
    assert changes.get(after__has_key="total_investment").before["total_investment"] == "50000.00"
    stages = changes.filter(after__has_key="stage").order_by("id")
    assert [entry.after["stage"] for entry in stages] == ["started", "under_construction"]
    assert changes.get(after__has_key="progress").after == {"progress": 45}


def test_a_completed_project_is_at_100_and_its_reports_do_not_lower_it(cast, tmp_path):
    stored = stored_project(
        cast, stage="under_construction", started_on=datetime.date(2024, 2, 1), progress=80
    )
    row = project(**{"项目阶段": "竣工", "竣工日期": "2024-08-15"})
    outcome = commit(
        cast, both(tmp_path, [row], [report(**{"形象进度（%）": 90})]), cast.investment
    )
    stored.refresh_from_db()
    assert (stored.stage, stored.completed_on, stored.progress) == (
        "completed",
        datetime.date(2024, 8, 15),
        100,
    )
    assert outcome.progress == {} and InvestmentReport.objects.get().progress == 90
    step = ProjectStageChange.objects.get(project=stored)
    assert (step.from_stage, step.to_stage, step.actor) == (
        "under_construction",
        "completed",
        cast.investment,
    )


def test_one_bad_row_and_nothing_is_written(cast, tmp_path):
    stored = stored_project(cast, code="OLD-1")
    rows = [project(), project(**{"项目编号": "XM-002", "牵头单位": "不存在局"})]
    reports = [report(**{"项目编号": "OLD-1"}), report()]
    entries = AuditEntry.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        commit(cast, both(tmp_path, rows, reports), cast.investment)
    assert [(i.sheet, i.row, i.column) for i in rejected.value.outcome.errors] == [
        ("重点项目", 3, "H")
    ]
    assert Project.objects.count() == 1 and InvestmentReport.objects.count() == 0
    assert ProjectStageChange.objects.count() == 0 and InvestmentPlan.objects.count() == 0
    stored.refresh_from_db()
    assert stored.progress == 0 and AuditEntry.objects.count() == entries


def test_a_row_the_model_refuses_rolls_everything_back(cast, tmp_path, monkeypatch):
    """The model's own validation runs on saving (full_clean): a refusal there, after rows were
    written, undoes them and is reported at the row."""
    from django.core.exceptions import ValidationError

    original = Project.full_clean

    def refuse_second(self, *args, **kwargs):
        if self.code == "XM-002":
            raise ValidationError({"name": ["Refused by the model."]})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Project, "full_clean", refuse_second)
    rows = [project(), project(**{"项目编号": "XM-002"})]
    with pytest.raises(ImportRejected) as rejected:
        commit(cast, both(tmp_path, rows, [report()]), cast.investment)
    problem = rejected.value.outcome.errors[0]
    assert (problem.row, problem.column, problem.message) == (3, "B", "Refused by the model.")
    assert Project.objects.count() == 0 and AuditEntry.objects.filter(action="create").count() == 0


def test_unit_staff_commit_reports_on_their_units_projects(cast, tmp_path):
    mine = stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    path = both(tmp_path, reports=[report(**{"项目编号": "EC-1"})])
    commit(cast, path, cast.encheng_staff)
    mine.refresh_from_db()
    assert mine.progress == 45 and InvestmentReport.objects.get().reported_by == cast.encheng_staff


def test_other_units_staff_are_refused_row_by_row(cast, tmp_path):
    stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    with pytest.raises(ImportRejected) as rejected:
        commit(cast, both(tmp_path, reports=[report(**{"项目编号": "EC-1"})]), cast.hengpi_staff)
    assert rejected.value.outcome.errors[0].code == "not_your_project"
    assert InvestmentReport.objects.count() == 0


@pytest.mark.parametrize("who", ["viewer", "leader", "outsider"])
def test_those_who_may_not_import_are_denied(cast, tmp_path, who):
    stored_project(cast)
    with pytest.raises(PermissionDenied):
        commit(cast, both(tmp_path, reports=[report()]), getattr(cast, who))
    assert InvestmentReport.objects.count() == 0
