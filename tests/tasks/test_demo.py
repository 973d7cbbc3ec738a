"""The goals and tasks demo: every state of the loop, some red, reports late and missed, the
steps on their days, scorecards with figures, and a second run that changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db.models import Count, F
from django.utils import timezone

from jinwei.accounts.demo import load_foundation
from jinwei.accounts.models import OrgUnit, User
from jinwei.audit.models import AuditEntry
from jinwei.indicators.demo import load_indicators
from jinwei.lib.periods import Frequency, Period
from jinwei.tasks import demo_data, scorecards, services
from jinwei.tasks.demo import load_tasks
from jinwei.tasks.models import (
    Attachment,
    ChangeRequest,
    Goal,
    ProgressReport,
    Task,
    TaskEvent,
)
from jinwei.tasks.timing import Colour, colour_q

pytestmark = pytest.mark.django_db


def test_the_demo(settings, tmp_path):
    """One load (it plays some 300 steps through the services), then every check on it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_foundation()
    load_indicators()
    created = load_tasks()
    assert created > 300
    check_every_state_and_every_kind_of_step()
    check_red_overdue_and_behind_on_reports()
    check_the_steps_carry_their_days()
    check_the_goals_tree()
    check_the_scorecards()
    check_the_reminder_cycle_ran()
    check_the_illustrative_people()
    check_2023_is_closed_and_scored()
    check_a_second_run_changes_nothing()


def snapshot() -> dict[str, int]:
    models = (Task, Goal, TaskEvent, ProgressReport, ChangeRequest, Attachment, User, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def check_a_second_run_changes_nothing() -> None:
    before = snapshot()
    versions = dict(Task.objects.values_list("code", "version"))
    assert load_tasks() == 0
    assert snapshot() == before
    assert dict(Task.objects.values_list("code", "version")) == versions


def check_every_state_and_every_kind_of_step() -> None:
    tasks = Task.objects.filter(government__code="440785")
    assert tasks.count() == len(demo_data.TASKS) + len(demo_data.PAST_TASKS)
    assert len(demo_data.TASKS) >= 40
    assert set(tasks.values_list("is_illustrative", flat=True)) == {True}
    states = Counter(tasks.values_list("state", flat=True))
    assert set(states) == set(Task.State.values)
    closed = tasks.filter(state=Task.State.CLOSED)
    assert all(t.score_timeliness is not None and t.score_quality is not None for t in closed)
    assert any(t.closed_late for t in closed) and any(not t.closed_late for t in closed)
    returned = TaskEvent.objects.filter(action=TaskEvent.Action.RETURN)
    assert returned.values("task").distinct().count() >= 2
    requests = Counter(ChangeRequest.objects.values_list("kind", "status"))
    assert requests[("postpone", "pending")] == 1
    assert requests[("postpone", "approved")] == requests[("postpone", "rejected")] == 1
    assert requests[("cancel", "approved")] == 1
    assert tasks.filter(parent__isnull=False).count() == 2
    lead_units = set(tasks.values_list("lead_unit__kind", flat=True))
    assert {OrgUnit.Kind.TOWN, OrgUnit.Kind.DEPARTMENT} <= lead_units
    assert Attachment.objects.filter(is_evidence=True).exists()


def check_red_overdue_and_behind_on_reports() -> None:
    today = timezone.localdate()
    tasks = Task.objects.all()
    rules = services.rules_for(tasks.first().government_id)
    counts = {c: tasks.filter(colour_q(c, today, rules)).count() for c in Colour if c}
    assert counts[Colour.RED] >= 5 and counts[Colour.YELLOW] >= 3 and counts[Colour.GREEN] >= 5
    assert tasks.filter(state__in=["in_progress", "assigned"], deadline__lt=today).count() >= 3
    assert tasks.filter(reports_missed__gt=0).count() >= 2
    assert tasks.filter(reports_late__gt=0).count() >= 3
    assert ProgressReport.objects.exclude(unit=F("task__lead_unit")).exists()  # co-units report
    overdue_acknowledgement = tasks.filter(state="assigned", acknowledge_by__lt=today)
    assert overdue_acknowledgement.count() == 2


def check_the_steps_carry_their_days() -> None:
    today = timezone.localdate()
    task = Task.objects.get(code="RW-006")  # assigned 300 days ago, closed 272 days ago
    days = [
        timezone.localtime(at).date()
        for at in task.events.order_by("at", "id").values_list("at", flat=True)
    ]
    assert days[0] == today - datetime.timedelta(days=300)
    assert days[-1] == today - datetime.timedelta(days=272) == task.closed_on
    assert days == sorted(days)
    assert timezone.localtime(task.assigned_at).date() == days[0]


def check_the_goals_tree() -> None:
    goals = Goal.objects.filter(government__code="440785")
    assert goals.count() == len(demo_data.GOALS)
    stages = goals.exclude(stage="").values_list("horizon", "end_date")
    assert (10, datetime.date(2032, 12, 31)) in set(stages)
    assert set(goals.values_list("kind", flat=True)) == {"goal", "principle", "direction"}
    linked = goals.annotate(n=Count("indicators")).filter(n__gt=0)
    assert linked.count() >= 10
    assert goals.get(title=demo_data.G_INVEST).indicators.filter(code="NEW_INVEST").exists()
    assert Task.objects.filter(goal__isnull=False).count() == Task.objects.count()


def check_the_scorecards() -> None:
    today = timezone.localdate()
    year = Period.of(Frequency.ANNUAL, today.year)
    government = Task.objects.first().government_id
    ranking = scorecards.rankings(government, year, today)
    scored_towns = [f for f in ranking.towns if f.points is not None]
    scored_departments = [f for f in ranking.departments if f.points is not None]
    assert len(scored_towns) >= 3 and len(scored_departments) >= 5
    assert any(f.overdue for f in ranking.towns + ranking.departments)
    assert any(f.average_score for f in ranking.departments)
    points = {f.rounded_points for f in scored_departments}
    assert len(points) > 2  # the units differ


def check_the_reminder_cycle_ran() -> None:
    from jinwei.supervision.models import Notification, SupervisionNotice

    assert Notification.objects.exists()
    levels = set(SupervisionNotice.objects.values_list("level", flat=True))
    assert len(levels) == 3  # blue, yellow and red notices for overdue work


def check_the_illustrative_people() -> None:
    people = User.objects.filter(username__startswith=demo_data.STAFF_PREFIX)
    assert people.count() >= 15
    assert not any(user.has_usable_password() for user in people)
    assert all(user.name.startswith("示例·") for user in people)


def check_2023_is_closed_and_scored() -> None:
    """The year the article looks back on has work to show: every 2023 task closed within the
    year, some on time and some late, in the units' scorecards of 2023."""
    past = Task.objects.filter(code__in=[spec.code for spec in demo_data.PAST_TASKS])
    assert past.count() == len(demo_data.PAST_TASKS)
    assert set(past.values_list("state", flat=True)) == {Task.State.CLOSED}
    assert all(t.closed_on.year == 2023 and t.start_date.year == 2023 for t in past)
    assert {t.closed_late for t in past} == {True, False}
    assert not TaskEvent.objects.filter(task__in=past, at__year__gte=2024).exists()
    government = past.first().government_id
    ranking = scorecards.rankings(government, Period.of(Frequency.ANNUAL, 2023), demo_data.PAST_DAY)
    figures = ranking.towns + ranking.departments
    assert sum(f.closed for f in figures) == len(demo_data.PAST_TASKS)
    assert sum(f.late for f in figures) == sum(t.closed_late for t in past) == 3
    assert sum(f.on_time for f in figures) == len(demo_data.PAST_TASKS) - 3
