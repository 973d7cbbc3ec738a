"""Statistics of enterprise requests on fixed data: counts, working-day times, on-time rates and
satisfaction, by unit and by category, in a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinwei.enterprises.request_stats import Record, request_statistics, summarise
from jinwei.tasks.models import Task
from tests.enterprises.factories import EnterpriseFactory, ServiceRequestFactory
from tests.enterprises.request_helpers import national_day
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 12, 31)


def _task(unit, state, closed_on=None):
    return TaskFactory(
        lead_unit=unit,
        state=state,
        closed_on=closed_on,
        start_date=D(2024, 10, 8),
        deadline=D(2024, 10, 22),
    )


@pytest.fixture
def data(cast):
    """Five requests around the 2024 National Day holiday (see each line's working days)."""
    national_day(cast.enping)
    enterprise = EnterpriseFactory(government=cast.enping)

    def request(**fields):
        return ServiceRequestFactory(enterprise=enterprise, **fields)

    # 恩城: answered in 1 and 3 working days (the second late), resolved in 3 and 15 (late)
    request(
        assigned_unit=cast.encheng,
        category="approval",
        received_on=D(2024, 9, 27),
        response_due=D(2024, 9, 30),
        resolution_due=D(2024, 10, 16),
        responded_on=D(2024, 9, 29),
        resolved_on=D(2024, 10, 8),
        satisfaction=5,
    )
    request(
        assigned_unit=cast.encheng,
        category="land",
        received_on=D(2024, 9, 30),
        response_due=D(2024, 10, 9),
        resolution_due=D(2024, 10, 21),
        responded_on=D(2024, 10, 10),
        resolved_on=D(2024, 10, 25),
        satisfaction=3,
    )
    # 横陂: one never answered nor resolved (both past due); one answered in 1 working day and
    # closed on the task's page in 6 (10-9, 10, 11, 12 worked, 14, 15)
    request(
        assigned_unit=cast.hengpi,
        category="approval",
        received_on=D(2024, 10, 8),
        response_due=D(2024, 10, 10),
        resolution_due=D(2024, 10, 22),
        task=_task(cast.hengpi, Task.State.IN_PROGRESS),
    )
    request(
        assigned_unit=cast.hengpi,
        category="approval",
        received_on=D(2024, 10, 8),
        response_due=D(2024, 10, 10),
        resolution_due=D(2024, 10, 22),
        responded_on=D(2024, 10, 9),
        task=_task(cast.hengpi, Task.State.CLOSED, closed_on=D(2024, 10, 15)),
    )
    # never assigned, past both deadlines
    request(
        category="finance",
        received_on=D(2024, 10, 14),
        response_due=D(2024, 10, 16),
        resolution_due=D(2024, 10, 28),
    )
    # received outside the period: left out
    request(
        assigned_unit=cast.encheng,
        received_on=D(2024, 11, 4),
        response_due=D(2024, 11, 6),
        resolution_due=D(2024, 11, 18),
    )
    return cast


def _stats(cast, today=TODAY, viewer=None):
    return request_statistics(
        viewer=viewer or cast.leader,
        government=cast.enping,
        start=D(2024, 9, 1),
        end=D(2024, 10, 31),
        today=today,
    )


def test_it_measures_each_unit(data):
    stats = _stats(data)
    encheng, hengpi, unassigned = stats.by_unit
    assert (encheng.label, encheng.count, encheng.responded, encheng.resolved) == (
        "恩城街道",
        2,
        2,
        2,
    )
    assert (encheng.response_mean, encheng.response_median) == (2.0, 2.0)
    assert (encheng.resolution_mean, encheng.resolution_median) == (9.0, 9.0)
    assert (encheng.response_on_time, encheng.resolution_on_time) == (50.0, 50.0)
    assert (encheng.rated, encheng.satisfaction_mean) == (2, 4.0)

    assert (hengpi.label, hengpi.count, hengpi.responded, hengpi.resolved) == ("横陂镇", 2, 1, 1)
    assert (hengpi.response_mean, hengpi.resolution_mean) == (1.0, 6.0)
    assert (hengpi.response_on_time, hengpi.resolution_on_time) == (50.0, 50.0)
    assert (hengpi.rated, hengpi.satisfaction_mean) == (0, None)

    assert (unassigned.count, unassigned.responded, unassigned.response_mean) == (1, 0, None)
    assert (unassigned.response_on_time, unassigned.resolution_on_time) == (0.0, 0.0)


def test_it_measures_each_category_and_the_total(data):
    stats = _stats(data)
    assert [(f.count, f.responded, f.resolved) for f in stats.by_category] == [
        (1, 1, 1),  # land
        (3, 2, 2),  # approvals
        (1, 0, 0),  # financing
    ]
    approvals = stats.by_category[1]
    assert (approvals.response_median, approvals.resolution_mean) == (1.0, 4.5)
    total = stats.total
    assert (total.count, total.responded, total.resolved, total.rated) == (5, 3, 3, 2)
    assert total.response_mean == pytest.approx(5 / 3)
    assert (total.response_median, total.resolution_mean, total.resolution_median) == (1, 8, 6)
    assert (total.response_on_time, total.resolution_on_time) == (40.0, 40.0)
    assert total.satisfaction_mean == 4.0


def test_requests_still_within_their_time_count_neither_way(data):
    stats = _stats(data, today=D(2024, 10, 15))
    unassigned = stats.by_unit[-1]
    assert (unassigned.response_on_time, unassigned.resolution_on_time) == (None, None)
    hengpi = stats.by_unit[1]
    assert hengpi.resolution_on_time == 100.0  # the open one is not due until 22 October


def test_a_cancelled_request_counts_only_its_answer(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    ServiceRequestFactory(
        enterprise=enterprise,
        assigned_unit=cast.hengpi,
        received_on=D(2024, 9, 2),
        task=_task(cast.hengpi, Task.State.CANCELLED),
    )
    total = _stats(cast).total
    assert total.count == 1
    assert (total.response_on_time, total.resolution_on_time) == (None, None)


def test_outsiders_get_no_figures_of_the_government(data):
    stats = _stats(data, viewer=data.outsider)
    assert stats.total.count == 0
    assert stats.by_unit == stats.by_category == []


def test_summarise_is_plain_arithmetic():
    def between(a, b):
        return (b - a).days

    records = [
        Record(None, "land", D(2024, 1, 1), D(2024, 1, 3), D(2024, 1, 10), D(2024, 1, 2), None, 2),
        Record(None, "land", D(2024, 1, 1), D(2024, 1, 3), D(2024, 1, 10), D(2024, 1, 5), None, 4),
    ]
    figures = summarise("x", records, between, D(2024, 1, 6))
    assert (figures.response_mean, figures.response_on_time) == (2.5, 50.0)
    assert (figures.resolution_on_time, figures.satisfaction_mean) == (None, 3.0)


def _query_count(cast):
    with CaptureQueriesContext(connection) as queries:
        _stats(cast)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_requests(data, django_assert_max_num_queries):
    _stats(data)  # the viewer's grants are loaded once, then kept on the user
    few = _query_count(data)
    enterprise = EnterpriseFactory(government=data.enping)
    for unit in (data.encheng, data.hengpi, data.stats_bureau) * 10:
        ServiceRequestFactory(
            enterprise=enterprise,
            assigned_unit=unit,
            received_on=D(2024, 9, 2),
            responded_on=D(2024, 9, 3),
            task=_task(unit, Task.State.CLOSED, closed_on=D(2024, 10, 9)),
        )
    with django_assert_max_num_queries(3):
        stats = _stats(data)
    assert stats.total.count == 35
    assert _query_count(data) == few
