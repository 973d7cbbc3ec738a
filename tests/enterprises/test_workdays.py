"""Working-day arithmetic on a government's holiday calendar, and the calendar's services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinwei.audit.models import AuditEntry
from jinwei.enterprises import holidays
from jinwei.enterprises.models import CalendarDay
from jinwei.enterprises.workdays import (
    WorkCalendar,
    add_working_days,
    is_weekend,
    weekdays_between,
    working_days_between,
)
from tests.enterprises.factories import CalendarDayFactory
from tests.enterprises.request_helpers import national_day

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def enping(cast):
    national_day(cast.enping)
    return cast.enping.pk


# --- across the 2024 National Day holiday -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 9, 27), 1, D(2024, 9, 29)),  # Friday → the Sunday worked (调休)
        (D(2024, 9, 29), 1, D(2024, 9, 30)),  # the worked Sunday → Monday
        (D(2024, 9, 30), 1, D(2024, 10, 8)),  # the last day before the holiday → first after
        (D(2024, 9, 30), 2, D(2024, 10, 9)),
        (D(2024, 10, 1), 1, D(2024, 10, 8)),  # counted from inside the holiday
        (D(2024, 10, 7), 1, D(2024, 10, 8)),
        (D(2024, 10, 11), 1, D(2024, 10, 12)),  # Friday → the Saturday worked
        (D(2024, 10, 12), 1, D(2024, 10, 14)),  # the worked Saturday → Monday (Sunday rests)
        (D(2024, 9, 27), 10, D(2024, 10, 16)),
        (D(2024, 9, 27), 0, D(2024, 9, 27)),
    ],
)
def test_it_counts_working_days_across_the_holiday(enping, start, n, expected):
    assert add_working_days(enping, start, n) == expected


def test_without_a_calendar_the_week_is_monday_to_friday(cast):
    assert add_working_days(cast.enping.pk, D(2024, 9, 27), 1) == D(2024, 9, 30)
    assert add_working_days(cast.enping.pk, D(2024, 9, 30), 1) == D(2024, 10, 1)
    assert add_working_days(cast.enping.pk, D(2024, 9, 28), 1) == D(2024, 9, 30)  # a Saturday


def test_another_governments_calendar_does_not_apply(cast):
    national_day(cast.taishan)
    assert add_working_days(cast.enping.pk, D(2024, 9, 30), 1) == D(2024, 10, 1)
    assert add_working_days(cast.taishan.pk, D(2024, 9, 30), 1) == D(2024, 10, 8)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2024, 9, 27), D(2024, 9, 27), 0),
        (D(2024, 9, 27), D(2024, 9, 29), 1),
        (D(2024, 9, 27), D(2024, 10, 7), 2),  # 29 Sep and 30 Sep; the holiday counts nothing
        (D(2024, 9, 27), D(2024, 10, 8), 3),
        (D(2024, 10, 8), D(2024, 9, 27), -3),
        (D(2024, 10, 11), D(2024, 10, 14), 2),  # the worked Saturday, then Monday
        (D(2024, 9, 1), D(2024, 10, 31), 41),  # 44 weekdays − 5 holiday weekdays + 2 worked
    ],
)
def test_it_counts_the_working_days_between_two_dates(enping, a, b, expected):
    assert working_days_between(enping, a, b) == expected


def test_the_two_functions_agree(enping):
    """The n-th working day after a date lies n working days after it, from any start."""
    start = D(2024, 9, 20)
    for offset in range(30):
        day = start + datetime.timedelta(days=offset)
        for n in (0, 1, 2, 5, 10):
            assert working_days_between(enping, day, add_working_days(enping, day, n)) == n


def test_weekdays_between_agrees_with_counting_day_by_day():
    start = D(2024, 1, 1)
    for length in range(0, 40):
        end = start + datetime.timedelta(days=length)
        days = (start + datetime.timedelta(days=i) for i in range(1, length + 1))
        assert weekdays_between(start, end) == sum(1 for d in days if not is_weekend(d))


def test_a_deadline_costs_one_query_however_far(enping, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(enping, D(2024, 1, 2), 250) > D(2024, 12, 1)
    with django_assert_num_queries(1):
        working_days_between(enping, D(2020, 1, 1), D(2030, 1, 1))


def test_a_very_long_holiday_loads_the_next_span(cast, django_assert_max_num_queries):
    """Two months closed (an exceptional calendar): the count carries on past the first span."""
    for offset in range(61):
        day = D(2024, 1, 1) + datetime.timedelta(days=offset)
        CalendarDayFactory(government=cast.enping, date=day, is_workday=False, name="停工")
    with django_assert_max_num_queries(3):
        assert add_working_days(cast.enping.pk, D(2023, 12, 29), 2) == D(2024, 3, 5)


def test_the_calendar_counts_outside_its_span_as_plain_weeks():
    calendar = WorkCalendar(D(2024, 10, 1), D(2024, 10, 7), {D(2024, 10, 1): False})
    assert calendar.add(D(2024, 10, 7), 1) is None  # past the span: the caller loads more
    assert calendar.between(D(2024, 9, 30), D(2024, 10, 2)) == 1


# --- the calendar's services ------------------------------------------------------------------


def test_investment_staff_mark_a_holiday_and_it_is_audited(cast):
    day = holidays.calendar_day_save(
        actor=cast.investment,
        government=cast.enping,
        date=D(2025, 1, 1),
        is_workday=False,
        name=" 元旦 ",
    )
    assert (day.name, day.is_workday) == ("元旦", False)
    assert AuditEntry.objects.filter(object_id=str(day.pk), action="create").exists()
    assert add_working_days(cast.enping.pk, D(2024, 12, 31), 1) == D(2025, 1, 2)


def test_saving_a_day_again_replaces_it(cast):
    holidays.calendar_day_save(
        actor=cast.supervisor, government=cast.enping, date=D(2024, 9, 29), is_workday=False
    )
    holidays.calendar_day_save(
        actor=cast.supervisor, government=cast.enping, date=D(2024, 9, 29), is_workday=True
    )
    assert list(CalendarDay.objects.values_list("date", "is_workday")) == [(D(2024, 9, 29), True)]


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer", "outsider", "statistician"])
def test_only_managers_keep_the_calendar(cast, role):
    with pytest.raises(PermissionDenied):
        holidays.calendar_day_save(
            actor=getattr(cast, role), government=cast.enping, date=D(2025, 1, 1), is_workday=False
        )
    day = CalendarDayFactory(government=cast.enping)
    with pytest.raises(PermissionDenied):
        holidays.calendar_day_delete(actor=getattr(cast, role), day=day)
    assert CalendarDay.objects.count() == 1


def test_a_weekday_cannot_be_marked_as_worked(cast):
    with pytest.raises(ValidationError) as error:
        holidays.calendar_day_save(
            actor=cast.investment, government=cast.enping, date=D(2024, 10, 8), is_workday=True
        )
    assert "2024-10-08" in str(error.value.message_dict["date"])


def test_removing_a_day_restores_the_plain_week(cast):
    day = CalendarDayFactory(government=cast.enping, date=D(2024, 10, 1))
    holidays.calendar_day_delete(actor=cast.admin, day=day)
    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(day.pk), action="delete").exists()


def test_it_imports_dates_and_ranges(cast):
    saved = holidays.calendar_import(
        actor=cast.investment,
        government=cast.enping,
        text="2024-10-01..2024-10-03, 2024-10-04~10-07\n2024-10-01",
        is_workday=False,
        name="国庆节",
    )
    assert [d.date for d in saved] == [D(2024, 10, day) for day in range(1, 8)]
    assert add_working_days(cast.enping.pk, D(2024, 9, 30), 1) == D(2024, 10, 8)


def test_an_import_with_a_bad_line_saves_nothing_and_names_the_line(cast):
    with pytest.raises(ValidationError) as error:
        holidays.calendar_import(
            actor=cast.investment,
            government=cast.enping,
            text="2024-10-01\n2024-13-01\n2024-10-09..2024-10-02",
            is_workday=False,
        )
    problems = error.value.message_dict["dates"]
    assert len(problems) == 2
    assert "2" in problems[0] and "2024-13-01" in problems[0]
    assert "3" in problems[1] and "2024-10-09..2024-10-02" in problems[1]
    assert not CalendarDay.objects.exists()


def test_an_import_of_worked_days_refuses_weekdays(cast):
    with pytest.raises(ValidationError) as error:
        holidays.calendar_import(
            actor=cast.investment,
            government=cast.enping,
            text="2024-09-29 2024-10-08",
            is_workday=True,
        )
    assert "2024-10-08" in str(error.value.message_dict["dates"])
    assert not CalendarDay.objects.exists()
