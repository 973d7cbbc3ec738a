"""The ledger (台账) export: the filtered list as .xlsx, with co-units, colours and late flags,
in a number of queries that does not grow with the number of tasks."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jinwei.tasks import selectors
from jinwei.tasks.models import Task
from jinwei.tasks.timing import Colour, TimeStatus
from jinwei.tasks.views.work import ledger_columns
from tests.tasks.factories import GoalFactory
from tests.tasks.work_helpers import co_unit, days, green, make_task, overdue, red

pytestmark = pytest.mark.django_db
URL = reverse("tasks:export")


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[1]
    return [dict(zip(headers, row, strict=True)) for row in rows[2:]], rows[0][0]


def test_the_ledger_has_a_row_per_task_with_its_co_units_and_colour(cast):
    goal = GoalFactory(government=cast.enping, title="营商环境攻坚")
    task = overdue(
        cast.encheng, days_late=4, code="EP-001", title="优化营商环境攻坚战", goal=goal,
        leader=cast.leader, source_kind=Task.SourceKind.MEETING, source_reference="市委常委会",
    )  # fmt: skip
    co_unit(task, cast.hengpi, "负责征地")
    co_unit(task, cast.stats_bureau)
    rows, title = sheet_of(cast.client_for(cast.encheng_staff).get(URL))
    assert "恩平市" in title
    (row,) = rows
    headers = [c.header for c in ledger_columns()]
    values = [row[h] for h in headers]
    assert values[:6] == ["EP-001", "优化营商环境攻坚战", "营商环境攻坚", "恩城街道",
                          "横陂镇：负责征地；统计局", "黎市长"]  # fmt: skip
    assert values[7].date() == days(-4) and values[6].date() == days(-100)
    assert values[9] == str(Task.State.IN_PROGRESS.label)
    assert values[10] == 90
    assert values[11] == Colour.RED.label
    assert values[12] == TimeStatus.OVERDUE.label
    assert values[13] not in (None, "")  # late
    assert values[18] == "市委常委会"


def test_closed_tasks_carry_their_dates_and_scores(cast):
    make_task(
        cast.encheng, code="DONE", state=Task.State.CLOSED, deadline=days(-10), closed_on=days(-5),
        score_timeliness=70, score_quality=85, progress=100,
    )  # fmt: skip
    make_task(
        cast.encheng, code="OK", state=Task.State.CLOSED, deadline=days(-1), closed_on=days(-3)
    )
    rows, _title = sheet_of(cast.client_for(cast.supervisor).get(URL, {"state": "closed"}))
    by_code = {row[ledger_columns()[0].header]: list(row.values()) for row in rows}
    done = by_code["DONE"]
    assert done[11] in (None, "")  # no colour once closed
    assert done[12] == TimeStatus.CLOSED_LATE.label and done[13] not in (None, "")
    assert done[14].date() == days(-5) and done[15:17] == [70, 85]
    ok = by_code["OK"]
    assert ok[12] == TimeStatus.CLOSED_ON_TIME.label and ok[13] in (None, "")


def test_the_export_follows_the_filters_and_the_sort(cast):
    red(cast.encheng, code="B", deadline=days(50))
    red(cast.encheng, code="A", deadline=days(60))
    green(cast.encheng, code="G")
    red(cast.hengpi, code="H")
    client = cast.client_for(cast.encheng_staff)
    rows, _title = sheet_of(client.get(URL, {"unit": cast.encheng.pk, "colour": "red"}))
    code = ledger_columns()[0].header
    assert [row[code] for row in rows] == ["B", "A"]
    rows, _title = sheet_of(client.get(URL, {"colour": "red", "sort": "code"}))
    assert [row[code] for row in rows] == ["A", "B", "H"]


def test_outsiders_export_none_of_the_governments_tasks(cast):
    green(cast.encheng, code="EP")
    rows, title = sheet_of(cast.client_for(cast.outsider).get(URL, {"government": cast.enping.pk}))
    assert rows == [] and "台山市" in title


def _queries_for(cast, n, chunk):
    for i in range(n):
        task = green(cast.encheng, leader=cast.leader)
        co_unit(task, (cast.hengpi, cast.stats_bureau)[i % 2], "配合")
    client = cast.client_for(cast.encheng_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"unit": cast.encheng.pk})
    rows, _title = sheet_of(response)
    assert len(rows) == Task.objects.filter(lead_unit=cast.encheng).count()
    return len(queries)


def test_the_export_reads_tasks_in_chunks_with_one_query_for_their_co_units(cast, monkeypatch):
    """Per chunk of tasks: the chunk, and its co-units; nothing per task."""
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 20)
    few = _queries_for(cast, 5, 20)  # one chunk
    many = _queries_for(cast, 55, 20)  # 60 tasks: three chunks
    assert many - few <= 2 * 2
    assert few <= 16
