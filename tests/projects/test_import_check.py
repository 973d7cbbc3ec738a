"""The project import's dry run: rows read, settled against what is stored, every problem at its
sheet, row and column; nothing written."""

from __future__ import annotations

import datetime

import pytest

from jinwei.projects.importing.check import check_file
from jinwei.projects.models import InvestmentReport, Project, ProjectStageChange
from tests.indicators.import_helpers import csv_file, english, messages, xlsx
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


def check(cast, path, actor=None):
    return check_file(path, government=cast.enping, actor=actor or cast.investment)


def both(tmp_path, projects=(), reports=(), name="项目.xlsx"):
    return xlsx(
        tmp_path / name,
        ("重点项目", [PROJECT_HEADER, *projects]),
        ("月度报告", [REPORT_HEADER, *reports]),
    )


def where(outcome):
    return [(i.sheet, i.row, i.column, i.message) for i in outcome.sorted_issues()]


def test_a_new_project_is_read_with_its_names_dates_stages_and_plans(cast, tmp_path, places):
    park, link = places
    outcome = check(cast, both(tmp_path, [project()], [report()]))
    assert outcome.ok, where(outcome)
    row = outcome.projects[0]
    new = row.project
    assert row.action == "new" and new.pk is None
    assert (new.code, new.name, new.kind, new.stage) == (
        "XM-001",
        "职教园区一期",
        Project.Kind.PUBLIC_SERVICE,
        Project.Stage.UNDER_CONSTRUCTION,
    )
    assert (new.park, new.chain_link, new.lead_unit, new.leader, new.town) == (
        park,
        link,
        cast.encheng,
        cast.leader,
        cast.encheng,
    )
    assert new.total_investment == D("50000.00") and row.plan_changes == {2024: D("30000.00")}
    assert [(s.from_stage, s.to_stage, s.on) for s in row.steps] == [
        ("", "signed", datetime.date(2023, 12, 1)),
        ("signed", "started", datetime.date(2024, 2, 1)),
        ("started", "under_construction", datetime.date(2024, 2, 1)),
    ]
    assert outcome.reports[0].action == "new" and outcome.progress == {"XM-001": 45}
    assert Project.objects.count() == 0 and InvestmentReport.objects.count() == 0
    assert ProjectStageChange.objects.count() == 0


def test_a_stored_project_shows_only_what_changes(cast, tmp_path):
    stored = stored_project(cast, total_investment=D("50000"), stage="signed")
    InvestmentPlanFactory(project=stored, year=2024, amount=D("30000"))
    row = project(**{"总投资（万元）": "60,000", "2025年计划投资（万元）": 15000})
    outcome = check(cast, both(tmp_path, [row]))
    assert outcome.ok, where(outcome)
    settled = outcome.projects[0]
    assert settled.action == "changed" and settled.project == stored
    assert set(settled.changes) >= {"total_investment", "stage", "started_on", "park"}
    assert "name" not in settled.changes and "lead_unit" not in settled.changes
    assert settled.plan_changes == {2025: D("15000.00")}
    assert [s.to_stage for s in settled.steps] == ["started", "under_construction"]
    preview = settled.preview()
    assert "total investment (10,000 yuan): 50,000.00 → 60,000.00" in preview["changes"]
    assert "2025年计划投资（万元）: — → 15,000.00" in preview["changes"]


def test_an_identical_row_is_unchanged(cast, tmp_path):
    stored_project(cast, stage="signed", signed_on=datetime.date(2023, 12, 1))
    rows = [["项目编号", "项目名称", "项目阶段"], ["XM-001", "职教园区一期", "签约"]]
    path = xlsx(tmp_path / "a.xlsx", ("表", rows))
    outcome = check(cast, path)
    assert outcome.ok and outcome.projects[0].action == "unchanged"
    assert outcome.counts()["projects_unchanged"] == 1 and outcome.to_write() == 0


def test_bad_cells_are_placed_at_sheet_row_and_column(cast, tmp_path):
    rows = [
        project(**{"项目编号": "A", "牵头单位": "火星镇"}),
        project(**{"项目编号": "B", "项目类型": "房地产", "总投资（万元）": "很多"}),
        project(**{"项目编号": "C", "所在园区": "月球园", "产业链环节": "不存在"}),
        project(**{"项目编号": "D", "所在镇街": "统计局", "签约日期": "去年"}),
    ]
    outcome = check(cast, both(tmp_path, rows))
    assert where(outcome) == [
        ("重点项目", 2, "H", "“火星镇” is not a unit of 恩平市."),
        ("重点项目", 3, "C", "“房地产” is not one of: 产业项目、基础设施、公共服务."),
        ("重点项目", 3, "G", "“很多” is not an amount."),
        ("重点项目", 4, "D", "“月球园” is not a park of 恩平市."),
        ("重点项目", 4, "E", "“不存在” is not a link of an industry chain; write “chain / link”."),
        (
            "重点项目",
            5,
            "N",
            "“去年” is not a date (write 2024-08-31, 2024年8月31日 or 2024.8.31).",
        ),
        ("重点项目", 5, "R", "统计局 is not a town or subdistrict."),
    ]
    assert outcome.projects == [] and not outcome.ok


def test_a_new_project_needs_its_name_type_total_and_lead_unit(cast, tmp_path):
    rows = [["项目编号", "项目名称", "项目阶段"], ["N-1", "新项目", "签约"]]
    path = xlsx(tmp_path / "a.xlsx", ("表", rows))
    outcome = check(cast, path)
    assert messages(outcome) == [
        "The project “N-1” is new: “项目类型” is needed.",
        "The project “N-1” is new: “总投资（万元）” is needed.",
        "The project “N-1” is new: “牵头单位” is needed.",
    ]


def test_dates_must_agree_with_the_stage_and_each_other(cast, tmp_path):
    rows = [
        project(**{"项目编号": "A", "竣工日期": "2024-06-30"}),  # 在建 with a completion date
        project(**{"项目编号": "B", "开工日期": "2023-11-01"}),  # started before it was signed
        project(**{"项目编号": "C", "开工日期": "2024-10-01"}),  # still to come
        project(**{"项目编号": "D", "计划开工日期": "2025-01-01"}),  # after the planned end
    ]
    outcome = check(cast, both(tmp_path, rows))
    assert where(outcome) == [
        ("重点项目", 2, "P", "“竣工日期” is given, but the project is at the stage "
                            "Under construction."),
        ("重点项目", 3, "O", "“开工日期” 2023-11-01 is before “签约日期” 2023-12-01."),
        ("重点项目", 4, "O", "2024-10-01 is still to come: “开工日期” is the date it happened "
                            "(planned dates go in the planned columns)."),
        ("重点项目", 5, "L", "“计划竣工日期” 2024-08-31 is before “计划开工日期” 2025-01-01."),
    ]  # fmt: skip


def test_a_stage_does_not_go_back(cast, tmp_path):
    stored_project(cast, stage="completed", completed_on=datetime.date(2024, 5, 1))
    outcome = check(cast, both(tmp_path, [project(**{"项目阶段": "动工"})]))
    assert messages(outcome) == [
        "The project is already at the stage Completed; an import does not move it back to "
        "Construction started."
    ]


def test_a_step_before_the_last_stored_stage_change_is_refused(cast, tmp_path):
    stored = stored_project(cast, stage="started")
    ProjectStageChange.objects.create(
        project=stored, from_stage="signed", to_stage="started", on=datetime.date(2024, 6, 1)
    )
    row = project(**{"项目阶段": "竣工", "开工日期": "", "竣工日期": "2024-05-01"})
    outcome = check(cast, both(tmp_path, [row]))
    assert where(outcome) == [
        ("重点项目", 2, "P", "The stage Completed would be reached on 2024-05-01, before the stage "
                            "change before it (2024-06-01).")
    ]  # fmt: skip


def test_a_stage_without_its_date_warns_and_takes_the_date_before(cast, tmp_path):
    row = project(**{"项目阶段": "投产", "竣工日期": "2024-06-30"})
    outcome = check(cast, both(tmp_path, [row]))
    assert outcome.ok
    assert messages(outcome) == [
        "No “投产日期” for the stage In production: it is taken as 2024-06-30."
    ]
    assert outcome.projects[0].steps[-1].on == datetime.date(2024, 6, 30)


def test_codes_given_twice_and_reports_given_twice_are_errors(cast, tmp_path):
    path = both(tmp_path, [project(), project()], [report(), report()])
    outcome = check(cast, path)
    assert where(outcome) == [
        ("重点项目", 3, "A", "The code “XM-001” is also in row 2 of sheet 重点项目."),
        (
            "月度报告",
            3,
            "C",
            "The report of “XM-001” for 2024-08 is also in row 2 of sheet 月度报告.",
        ),
    ]


def test_reports_are_checked_against_their_project_and_month(cast, tmp_path):
    stored_project(cast)
    rows = [
        report(**{"项目编号": "NONE"}),
        report(**{"月份": "2024-10"}),
        report(**{"月份": "八月"}),
        report(**{"月份": "2024-07", "形象进度（%）": 101}),
        report(**{"月份": "2024-06", "本月完成投资（万元）": -5}),
        report(**{"月份": "2024-05", "形象进度（%）": ""}),
    ]
    outcome = check(cast, both(tmp_path, reports=rows))
    assert where(outcome) == [
        ("月度报告", 2, "A", "There is no project with the code “NONE” in 恩平市."),
        ("月度报告", 3, "C", "The month 2024-10 has not begun yet."),
        ("月度报告", 4, "C", "“八月” is not a month (write 2024-09 or 2024年9月)."),
        ("月度报告", 5, "E", "“101” is not a whole percentage from 0 to 100."),
        ("月度报告", 6, "D", "The amount -5 is negative."),
        ("月度报告", 7, "E", "“形象进度(%)” is empty."),  # the header as read (NFKC)
    ]


def test_a_stored_month_is_changed_and_falling_progress_warns(cast, tmp_path):
    stored = stored_project(cast, total_investment=D("2000"))
    InvestmentReportFactory(project=stored, period="2024-07", amount=D("900"), progress=50)
    old = InvestmentReportFactory(project=stored, period="2024-08", amount=D("100"), progress=55)
    rows = [report(**{"本月完成投资（万元）": 1200, "形象进度（%）": 45, "项目名称": "别的名字"})]
    outcome = check(cast, both(tmp_path, reports=rows))
    assert outcome.ok
    assert outcome.reports[0].report == old and set(outcome.reports[0].changes) == {
        "amount",
        "progress",
        "progress_text",
    }
    assert messages(outcome) == [
        "The project with the code “XM-001” is named “职教园区一期”, not “别的名字”.",
        "The investment completed so far, 2,100.00 (10,000 yuan), exceeds the total investment "
        "of 2,000.00.",
        "The physical progress falls from 50% (2024-07) to 45%.",
    ]
    assert outcome.progress == {"XM-001": 45}


def test_an_earlier_month_does_not_overwrite_the_latest_progress(cast, tmp_path):
    stored = stored_project(cast, progress=60)
    InvestmentReportFactory(project=stored, period="2024-08", progress=60)
    outcome = check(
        cast, both(tmp_path, reports=[report(**{"月份": "2024-03", "形象进度（%）": 10})])
    )
    assert outcome.ok and outcome.progress == {}


def test_unit_staff_report_only_on_their_units_projects(cast, tmp_path):
    stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    stored_project(cast, code="HP-1", lead_unit=cast.hengpi)
    rows = [report(**{"项目编号": "EC-1"}), report(**{"项目编号": "HP-1"})]
    path = both(tmp_path, reports=rows)
    outcome = check(cast, path, actor=cast.encheng_staff)
    assert where(outcome) == [
        (
            "月度报告",
            3,
            "A",
            "“HP-1” is led by 横陂镇: only its staff and the managers report on it.",
        )
    ]
    assert [r.code for r in outcome.reports] == ["EC-1"]
    assert check(cast, path, actor=cast.investment).ok


def test_unit_staff_cannot_import_projects(cast, tmp_path):
    outcome = check(cast, both(tmp_path, [project()]), actor=cast.encheng_staff)
    assert where(outcome) == [
        ("重点项目", 1, "", "Only investment staff and the supervising office import projects; "
                          "this sheet cannot be imported by you.")
    ]  # fmt: skip


def test_a_csv_of_reports_in_gb18030_and_amounts_in_yi(cast, tmp_path):
    stored_project(cast)
    header = ["项目编号", "月份", "本月完成投资（亿元）", "形象进度"]
    path = csv_file(
        tmp_path / "月报.csv", [header, ["XM-001", "2024年8月", "0.12", "45%"]], "gb18030"
    )
    outcome = check(cast, path)
    assert outcome.ok, where(outcome)
    assert outcome.reports[0].given == {"amount": D("1200.00"), "progress": 45}
    assert outcome.reports[0].period == "2024-08"


def test_unknown_columns_warn_and_a_sheet_of_neither_is_skipped(cast, tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        ("说明", [["项目说明", "联系人"], ["x", "y"]]),
        ("重点项目", [[*PROJECT_HEADER, "联系电话"], project()]),
    )
    outcome = check(cast, path)
    assert outcome.ok
    assert messages(outcome) == [
        "Sheet skipped: it has no column of projects or of monthly reports "
        "(项目编号、项目名称、项目类型、所在园区、产业链环节、投资方、总投资（万元）、牵头单位、挂点领导、"
        "项目阶段、计划开工日期、计划竣工日期、计划投产日期、签约日期、开工日期、竣工日期、投产日期、"
        "所在镇街、项目地址、地块、月份、本月完成投资（万元）、形象进度（%）、形象进度描述、存在问题).",
        "Column “联系电话” is not a column of the projects sheet and is not imported.",
    ]


def test_an_empty_file_and_an_unreadable_one(cast, tmp_path):
    assert messages(check(cast, both(tmp_path))) == [
        "The file holds no projects and no monthly reports to import."
    ]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert check(cast, broken).errors[0].code == "unreadable"
