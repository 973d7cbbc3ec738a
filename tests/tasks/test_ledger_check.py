"""The ledger check (dry run): every column and value form read, every kind of problem located by
file, sheet, row and column with the bad value, and nothing written."""

from __future__ import annotations

import datetime

import pytest

from jinwei.tasks import ledger
from jinwei.tasks.ledger_cells import name_and_part, parse_date, split_names
from jinwei.tasks.models import Task
from tests.factories import MembershipFactory, UserFactory
from tests.indicators.import_helpers import csv_file, english, xlsx
from tests.tasks.factories import TaskFactory
from tests.tasks.ledger_helpers import HEADER, TODAY, _fixed_today, goal, row

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__)
__all__ = ["goal"]


def check(cast, path):
    return ledger.check_file(path, government=cast.enping)


def problems(outcome):
    issues = outcome.sorted_issues()
    return [(i.severity, i.code, i.sheet, i.row, i.column, i.message) for i in issues]


def test_a_full_row_is_read_with_every_field(cast, goal, tmp_path):
    path = xlsx(
        tmp_path / "台账.xlsx",
        (
            "会议任务",
            [
                HEADER,
                row(
                    **{
                        "编号": "KJ-01",
                        "所属目标": "优化营商环境攻坚战",
                        "配合单位": "横陂镇（负责征地、拆迁）、统计局",
                        "责任领导": "黎市长",
                        "督办单位": "市委督查室",
                        "开始日期": datetime.date(2024, 3, 1),
                        "完成时限": "2024年8月31日",
                        "优先级": "高",
                        "预期成果": "交付使用",
                        "反馈频次": "每周",
                        "来源": "领导批示",
                    }
                ),
            ],
        ),
    )
    outcome = check(cast, path)
    assert outcome.ok, problems(outcome)
    [read] = outcome.rows
    assert (read.sheet, read.row, read.code, read.code_generated) == ("会议任务", 2, "KJ-01", False)
    assert read.lead_unit == cast.encheng and read.goal == goal and read.leader == cast.leader
    assert [(c.unit, c.part) for c in read.co_units] == [
        (cast.hengpi, "负责征地、拆迁"),
        (cast.stats_bureau, ""),
    ]
    assert read.supervising_unit == cast.supervision
    assert read.start_date == datetime.date(2024, 3, 1)
    assert read.deadline == datetime.date(2024, 8, 31)
    assert read.priority == Task.Priority.HIGH
    assert read.report_cadence == Task.Cadence.WEEKLY
    assert read.source_kind == Task.SourceKind.INSTRUCTION
    assert read.source_reference == "2024年开局工作会议"
    assert Task.objects.count() == 0  # a dry run writes nothing


def test_date_forms_and_defaults(cast, tmp_path):
    rows = [
        HEADER,
        row(**{"开始日期": "", "完成时限": "2024.8.31"}),
        row(**{"开始日期": "2024/3/1", "完成时限": 45535.0}),  # an Excel serial: 2024-08-31
        row(**{"开始日期": "20240301", "完成时限": "２０２４－０９－３０"}),
    ]
    outcome = check(cast, xlsx(tmp_path / "dates.xlsx", ("表1", rows)))
    assert outcome.ok, problems(outcome)
    dates = [(r.start_date, r.deadline) for r in outcome.rows]
    assert dates == [
        (TODAY, datetime.date(2024, 8, 31)),  # no start: the day of the import
        (datetime.date(2024, 3, 1), datetime.date(2024, 8, 31)),
        (datetime.date(2024, 3, 1), datetime.date(2024, 9, 30)),
    ]
    assert [r.report_cadence for r in outcome.rows] == [Task.Cadence.MONTHLY] * 3
    assert [r.priority for r in outcome.rows] == [Task.Priority.NORMAL] * 3


def test_codes_are_given_after_the_highest_in_use(cast, tmp_path):
    TaskFactory(lead_unit=cast.encheng, code="TZ2024-007")
    rows = [HEADER, row(), row(**{"编号": "TZ2024-009"}), row()]
    outcome = check(cast, xlsx(tmp_path / "codes.xlsx", ("表1", rows)))
    assert outcome.ok, problems(outcome)
    assert [(r.code, r.code_generated) for r in outcome.rows] == [
        ("TZ2024-010", True),
        ("TZ2024-009", False),
        ("TZ2024-011", True),
    ]


def test_cadence_words_and_report_dates(cast, tmp_path):
    rows = [
        HEADER,
        row(**{"反馈频次": "每季度"}),
        row(**{"反馈频次": "2024-05-31、2024-07-31"}),
        row(**{"反馈频次": "不定期"}),
        row(**{"反馈频次": "monthly"}),
    ]
    outcome = check(cast, xlsx(tmp_path / "cadence.xlsx", ("表1", rows)))
    assert outcome.ok, problems(outcome)
    assert [(r.report_cadence, r.report_dates) for r in outcome.rows] == [
        (Task.Cadence.DATES, ["2024-03-31", "2024-06-30"]),
        (Task.Cadence.DATES, ["2024-05-31", "2024-07-31"]),
        (Task.Cadence.NONE, []),
        (Task.Cadence.MONTHLY, []),
    ]


def test_a_gb18030_csv_with_a_title_row_and_notes(cast, tmp_path):
    rows = [
        ["恩平市2024年开局工作会议任务分解表"],
        HEADER,
        row(**{"牵头单位": "横陂", "配合单位": "恩城（配合宣传）"}),
        ["注：完成时限为最迟完成日期。"],
    ]
    path = csv_file(tmp_path / "任务.csv", rows, encoding="gb18030")
    assert "横陂".encode("gb18030") in path.read_bytes()
    outcome = check(cast, path)
    assert outcome.ok, problems(outcome)
    [read] = outcome.rows
    assert (read.row, read.lead_unit, read.co_units[0].unit) == (3, cast.hengpi, cast.encheng)
    assert read.co_units[0].part == "配合宣传"


def test_english_headers_in_a_utf8_csv_with_bom(cast, tmp_path):
    rows = [
        ["Code", "Title", "Lead unit", "Co-units", "Start date", "Deadline", "Priority"],
        ["E-1", "Spring drive", "投资促进局", "统计局", "2024-02-01", "2024-02-29", "low"],
    ]
    outcome = check(cast, csv_file(tmp_path / "en.csv", rows, encoding="utf-8-sig"))
    assert outcome.ok, problems(outcome)
    [read] = outcome.rows
    assert (read.code, read.lead_unit, read.priority) == ("E-1", cast.investment_bureau, 3)


def test_every_kind_of_problem_is_located_with_its_value(cast, tmp_path):
    TaskFactory(lead_unit=cast.encheng, code="OLD-1", title="已有任务")
    rows = [
        HEADER,
        row(**{"编号": "A-1", "牵头单位": "火星镇"}),  # 2: unknown lead unit
        row(**{"编号": "A-1"}),  # 3: fine by itself, but the code is used in row 2
        row(**{"编号": "OLD-1"}),  # 4: the code is in the database
        row(**{"开始日期": "2024-09-01", "完成时限": "2024-08-31"}),  # 5: deadline before start
        row(**{"任务名称": "", "完成时限": ""}),  # 6: two required values missing
        row(**{"完成时限": "八月底"}),  # 7: not a date
        row(**{"配合单位": "恩城街道"}),  # 8: the lead unit as a co-unit
        row(**{"配合单位": "横陂镇、月球局（负责）"}),  # 9: unknown co-unit
        row(**{"所属目标": "不存在的目标", "责任领导": "无名氏"}),  # 10: goal, leader
        row(**{"优先级": "特急", "反馈频次": "每半月"}),  # 11: priority (cadence not reached)
        row(**{"反馈频次": "每半月"}),  # 12: cadence
        row(**{"任务名称": "长" * 301}),  # 13: too long
    ]
    outcome = check(cast, xlsx(tmp_path / "bad.xlsx", ("表1", rows)))
    found = [(code, line, column) for _s, code, _sheet, line, column, _m in problems(outcome)]
    assert found == [
        ("bad_lead_unit", 2, "G"),
        ("duplicate_code", 3, "A"),
        ("duplicate_code", 4, "A"),
        ("deadline_before_start", 5, "L"),
        ("missing_value", 6, "B"),
        ("missing_value", 6, "L"),
        ("bad_deadline", 7, "L"),
        ("lead_is_co_unit", 8, "H"),
        ("bad_co_units", 9, "H"),
        ("bad_goal", 10, "F"),
        ("bad_leader", 10, "I"),
        ("bad_priority", 11, "M"),
        ("bad_report_cadence", 12, "O"),
        ("bad_title", 13, "B"),
    ]
    messages = {(i.row, i.column): i.message for i in outcome.issues}
    assert "火星镇" in messages[2, "G"] and "恩平市" in messages[2, "G"]
    assert "A-1" in messages[3, "A"] and "row 2" in messages[3, "A"]
    assert "已有任务" in messages[4, "A"]
    assert "2024-08-31" in messages[5, "L"] and "2024-09-01" in messages[5, "L"]
    assert "八月底" in messages[7, "L"]
    assert "月球局" in messages[9, "H"]
    assert "不存在的目标" in messages[10, "F"] and "无名氏" in messages[10, "I"]
    assert "特急" in messages[11, "M"] and "每半月" in messages[12, "O"]
    assert all(i.sheet == "表1" and i.severity == "error" for i in outcome.issues)
    assert not outcome.ok and outcome.counts()["errors"] == 14
    assert ledger.describe(outcome.sorted_issues()[0], "bad.xlsx").startswith(
        "bad.xlsx 表1!G2（牵头单位） [error] "
    )


def test_missing_and_unknown_columns(cast, tmp_path):
    rows = [["任务名称", "牵头单位", "备注", "序号"], ["任务", "恩城街道", "x", 1]]
    outcome = check(cast, xlsx(tmp_path / "cols.xlsx", ("表1", rows)))
    assert [(i.severity, i.code, i.column) for i in outcome.sorted_issues()] == [
        ("error", "missing_column", ""),
        ("warning", "unknown_column", "C"),
    ]
    assert "完成时限" in outcome.errors[0].message


def test_sheets_without_ledger_columns_and_help_sheets_are_skipped(cast, tmp_path):
    path = xlsx(
        tmp_path / "more.xlsx",
        ("任务", [HEADER, row()]),
        ("统计", [["地区", "数值"], ["恩平", 1]]),
        ("说明", [["# 填写说明"], ["第一行"]]),
    )
    outcome = check(cast, path)
    assert outcome.ok and len(outcome.rows) == 1
    assert [(i.severity, i.code, i.sheet) for i in outcome.issues] == [
        ("warning", "not_a_ledger", "统计")
    ]


def test_a_passed_deadline_is_a_warning(cast, tmp_path):
    rows = [HEADER, row(**{"开始日期": "2024-01-01", "完成时限": "2024-02-01"})]
    outcome = check(cast, xlsx(tmp_path / "late.xlsx", ("表1", rows)))
    assert outcome.ok
    assert [(i.severity, i.code) for i in outcome.issues] == [("warning", "deadline_passed")]


def test_an_empty_or_unreadable_file_is_an_error(cast, tmp_path):
    empty = check(cast, xlsx(tmp_path / "empty.xlsx", ("表1", [HEADER])))
    assert [i.code for i in empty.errors] == ["empty"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    assert [i.code for i in check(cast, broken).errors] == ["unreadable"]


def test_a_person_named_twice_prefers_the_leader(cast, tmp_path):
    MembershipFactory(user=UserFactory(username="namesake", name="黎市长"), unit=cast.hengpi)
    rows = [HEADER, row(**{"责任领导": "黎市长"})]
    outcome = check(cast, xlsx(tmp_path / "l.xlsx", ("表1", rows)))
    assert outcome.ok, problems(outcome)
    assert outcome.rows[0].leader == cast.leader


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-31", datetime.date(2024, 8, 31)),
        ("2024年8月31日", datetime.date(2024, 8, 31)),
        ("2024.8.31", datetime.date(2024, 8, 31)),
        ("2024-08-31 00:00:00", datetime.date(2024, 8, 31)),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_refuses_an_impossible_day():
    with pytest.raises(ledger.Bad, match="2024-02-30"):
        parse_date("2024-02-30")


def test_names_split_outside_brackets():
    assert split_names("恩城街道、横陂镇（负责征地，拆迁）,统计局；") == [
        "恩城街道",
        "横陂镇（负责征地，拆迁）",
        "统计局",
    ]
    assert name_and_part("横陂镇（负责征地）") == ("横陂镇", "负责征地")
    assert name_and_part("横陂镇") == ("横陂镇", "")
