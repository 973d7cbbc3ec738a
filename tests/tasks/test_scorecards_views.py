"""The scorecard pages: the rankings, sorting, the export, a unit's page, who sees what, and
query counts that do not grow with the number of tasks."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jinwei.accounts.models import OrgUnit
from jinwei.tasks.models import Task
from tests.factories import OrgUnitFactory
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
State = Task.State
YEAR = {"year": "2024"}


def closed(unit, deadline, on, scores=(90, 90)):
    return TaskFactory(
        lead_unit=unit,
        deadline=deadline,
        state=State.CLOSED,
        closed_on=on,
        score_timeliness=scores[0],
        score_quality=scores[1],
        reports_on_time=2,
    )


MARCH_FIRST = D(2024, 3, 1)


def overdue(unit, deadline=MARCH_FIRST):
    return TaskFactory(lead_unit=unit, deadline=deadline, state=State.IN_PROGRESS)


@pytest.fixture
def results(cast):
    """恩城 closes on time; 横陂 late, with an overdue task; 统计局 perfect; 投资促进局 nothing."""
    closed(cast.encheng, D(2024, 5, 31), D(2024, 5, 30))
    closed(cast.hengpi, D(2024, 5, 31), D(2024, 6, 15), scores=(60, 70))
    overdue(cast.hengpi)
    closed(cast.stats_bureau, D(2024, 4, 30), D(2024, 4, 1), scores=(100, 100))
    closed(OrgUnitFactory(government=cast.taishan, kind=OrgUnit.Kind.TOWN), D(2024, 5, 1), None)


def rows(response, name):
    tables = {n: r for n, _heading, r in response.context["tables"]}
    return [[str(cell) for _column, cell in cells] for cells, _own in tables[name]]


def test_the_rankings_of_towns_and_departments(cast, results):
    client = cast.client_for(cast.hengpi_staff)
    response = client.get(reverse("tasks:scorecards"), YEAR)
    assert response.status_code == 200
    towns = rows(response, "towns")
    assert [(r[0], r[1]) for r in towns] == [("1", "恩城街道"), ("2", "横陂镇")]
    assert towns[1][2:6] == ["2", "1", "0.0", "1"]  # owned, closed, on-time rate, overdue
    departments = rows(response, "departments")
    assert [(r[0], r[1]) for r in departments] == [("1", "统计局"), ("None", "投资促进局")]
    html = response.content.decode()
    assert 'class="own-region"' in html  # hank's own town stands out
    for weight in ("40", "30", "20", "10"):
        assert f"<strong>{weight}</strong>" in html


def test_rankings_sort_by_any_column(cast, results):
    client = cast.client_for(cast.viewer)
    by_overdue = client.get(reverse("tasks:scorecards"), {**YEAR, "sort": "overdue", "dir": "desc"})
    assert [r[1] for r in rows(by_overdue, "towns")] == ["横陂镇", "恩城街道"]
    by_name = client.get(reverse("tasks:scorecards"), {**YEAR, "sort": "unit", "dir": "asc"})
    assert [r[1] for r in rows(by_name, "towns")] == ["恩城街道", "横陂镇"]
    by_points = client.get(reverse("tasks:scorecards"), {**YEAR, "sort": "points", "dir": "asc"})
    assert [r[1] for r in rows(by_points, "departments")] == ["统计局", "投资促进局"]  # None last
    nonsense = client.get(reverse("tasks:scorecards"), {**YEAR, "sort": "x", "dir": "y"})
    assert [r[1] for r in rows(nonsense, "towns")] == ["恩城街道", "横陂镇"]


def test_a_quarter_or_a_month_can_be_chosen(cast, results):
    client = cast.client_for(cast.viewer)
    april = client.get(reverse("tasks:scorecards"), {"year": "2024", "part": "04"})
    assert str(april.context["period"]) == "2024-04"
    departments = rows(april, "departments")
    assert departments[0][1:3] == ["统计局", "1"]
    q1 = client.get(reverse("tasks:scorecards"), {"year": "2024", "part": "Q1"})
    assert str(q1.context["period"]) == "2024Q1"
    assert [r[2] for r in rows(q1, "towns")] == ["1", "0"]  # 横陂's task due on 1 March
    bad = client.get(reverse("tasks:scorecards"), {"year": "1900", "part": "Q9"})
    assert bad.status_code == 200
    assert bad.context["period"].year == timezone.localdate().year


def test_export_has_both_rankings_and_the_weights(cast, results):
    client = cast.client_for(cast.leader)
    response = client.get(reverse("tasks:scorecards_export"), YEAR)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.worksheets) == 3
    towns = book.worksheets[0]
    assert towns["B3"].value == "恩城街道" and towns["A3"].value == 1
    assert towns["B4"].value == "横陂镇" and towns["F4"].value == 1  # overdue
    weights = book.worksheets[2]
    assert [weights.cell(row=r, column=2).value for r in range(3, 7)] == [40, 30, 20, 10]


def test_a_units_scorecard_with_its_trend_and_tasks(cast, results):
    red = overdue(cast.hengpi, deadline=D(2024, 6, 1))
    client = cast.client_for(cast.encheng_staff)  # another town reads it too
    response = client.get(reverse("tasks:unit_scorecard", args=[cast.hengpi.pk]), YEAR)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.owned, figures.closed, figures.rank) == (3, 1, 2)
    assert len(response.context["trend"]) == 8
    html = response.content.decode()
    assert red.code in html and 'data-chart="trend-figure"' in html
    assert "unsafe-inline" in response.headers["Content-Security-Policy"]
    years = client.get(
        reverse("tasks:unit_scorecard", args=[cast.hengpi.pk]), {**YEAR, "trend": "years"}
    )
    assert [f.period.year for f in years.context["trend"]][-1] == 2024


def test_outsiders_do_not_see_another_governments_scorecards(cast, results):
    client = cast.client_for(cast.outsider)
    assert client.get(reverse("tasks:unit_scorecard", args=[cast.hengpi.pk])).status_code == 404
    page = client.get(reverse("tasks:scorecards"), {"government": cast.enping.code})
    assert page.status_code == 404
    export = client.get(reverse("tasks:scorecards_export"), {"government": cast.enping.code})
    assert export.status_code == 404
    own = client.get(reverse("tasks:scorecards"))  # 台山's own rankings
    assert own.status_code == 200 and "恩城街道" not in own.content.decode()


def many_tasks(cast, count):
    """Tasks in every state across the units, fields set directly (no need for the loop)."""
    units = [cast.encheng, cast.hengpi, cast.stats_bureau, cast.investment_bureau]
    for i in range(count):
        state = [State.IN_PROGRESS, State.CLOSED, State.ASSIGNED, State.DRAFT][i % 4]
        deadline = D(2024, 1 + i % 12, 10)
        TaskFactory(
            lead_unit=units[i % 4],
            deadline=deadline,
            state=state,
            closed_on=deadline + datetime.timedelta(days=i % 7 - 3)
            if state == State.CLOSED
            else None,
            score_timeliness=80 if state == State.CLOSED else None,
            score_quality=70 if state == State.CLOSED else None,
            reports_on_time=i % 3,
            reports_missed=i % 2,
        )


@pytest.mark.parametrize(
    ("url_name", "unit"), [("tasks:scorecards", None), ("tasks:unit_scorecard", "hengpi")]
)
def test_query_count_does_not_grow_with_the_tasks(
    cast, url_name, unit, django_assert_max_num_queries
):
    args = [getattr(cast, unit).pk] if unit else []
    url = reverse(url_name, args=args)
    client = cast.client_for(cast.hengpi_staff)
    many_tasks(cast, 5)
    client.get(url, YEAR)  # sessions and grants warmed up alike
    with django_assert_max_num_queries(12) as few:
        assert client.get(url, YEAR).status_code == 200
    many_tasks(cast, 50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, YEAR).status_code == 200
