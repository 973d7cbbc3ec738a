"""The creating half of `jinwei remind`: reminders, missed reports and the escalation ladder."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from jinwei.accounts.models import Role
from jinwei.supervision.models import Level, Notification, SupervisionNotice
from jinwei.supervision.services import run_remind_cycle
from jinwei.tasks.models import CoUnit, Task, TaskRules
from tests.factories import MembershipFactory, UserFactory
from tests.supervision.conftest import DEADLINE
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def day(offset: int) -> datetime.date:
    """A day relative to the task's deadline (2024-06-10)."""
    return DEADLINE + datetime.timedelta(days=offset)


def run(offset: int, **kwargs):
    return run_remind_cycle(today=day(offset), **kwargs)


def notices(task: Task) -> list[tuple[str, int, datetime.date]]:
    return list(
        SupervisionNotice.objects.filter(task=task)
        .order_by("serial")
        .values_list("level", "serial", "issued_on")
    )


def test_running_twice_creates_one_notice_and_one_notification(world):
    first = run(1)
    second = run(1)
    assert first.notices == {Level.BLUE: 1}
    assert first.notifications == {Kind.NOTICE: 2}  # eve and henry both work in 恩城街道
    assert second.notices_total == 0 and second.notifications_total == 0
    assert SupervisionNotice.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.NOTICE).count() == 2


def test_escalation_follows_the_rules_day_by_day(world):
    cast, head = world.cast, world.head
    issued = {}
    for offset in range(0, 9):
        summary = run(offset)
        for level, count in summary.notices.items():
            assert count == 1
            issued[level] = day(offset)
    # blue from the first day overdue, yellow after 3 days, red after 7 (TaskRules defaults)
    assert issued == {Level.BLUE: day(1), Level.YELLOW: day(3), Level.RED: day(7)}
    assert notices(world.task) == [
        (Level.BLUE, 1, day(1)),
        (Level.YELLOW, 2, day(3)),
        (Level.RED, 3, day(7)),
    ]
    by_level = {
        level: sorted(
            Notification.objects.filter(kind=Kind.NOTICE, level=level).values_list(
                "recipient__username", flat=True
            )
        )
        for level in (Level.BLUE, Level.YELLOW, Level.RED)
    }
    assert by_level == {
        Level.BLUE: sorted([cast.encheng_staff.username, head.username]),
        Level.YELLOW: [head.username],  # the unit's head
        Level.RED: [cast.leader.username],  # the responsible leader
    }


def test_the_days_come_from_the_governments_rules(world):
    TaskRules.objects.create(
        government=world.cast.enping, escalate_head_days=2, escalate_leader_days=4
    )
    assert run(1).notices == {Level.BLUE: 1}
    assert run(2).notices == {Level.YELLOW: 1}
    assert run(3).notices_total == 0
    assert run(4).notices == {Level.RED: 1}


def test_a_late_first_run_issues_every_level_in_order_without_skipping(world):
    summary = run(20)
    assert summary.notices == {Level.BLUE: 1, Level.YELLOW: 1, Level.RED: 1}
    assert [(level, serial) for level, serial, _ in notices(world.task)] == [
        (Level.BLUE, 1),
        (Level.YELLOW, 2),
        (Level.RED, 3),
    ]
    notice = SupervisionNotice.objects.get(level=Level.RED)
    assert notice.days_overdue == 20
    with translation.override("en"):
        assert notice.number == "Notice [2024] No. 3"  # 督办〔2024〕3号
    assert notice.leader == world.cast.leader
    assert notice.issuing_unit == world.cast.supervision


def test_a_postponed_task_that_runs_late_again_is_escalated_again(world):
    run(8)
    assert SupervisionNotice.objects.count() == 3
    Task.objects.filter(pk=world.task.pk).update(deadline=day(20))
    assert run(19).notices_total == 0
    assert run(21).notices == {Level.BLUE: 1}
    assert SupervisionNotice.objects.filter(deadline=day(20)).count() == 1


def test_closed_cancelled_and_waiting_tasks_are_not_escalated(world):
    for state in (Task.State.CLOSED, Task.State.CANCELLED, Task.State.COMPLETION_REQUESTED):
        Task.objects.filter(pk=world.task.pk).update(state=state)
        assert run(10).notices_total == 0


def test_red_without_a_leader_goes_to_the_head(world):
    Task.objects.filter(pk=world.task.pk).update(leader=None)
    run(10)
    red = Notification.objects.filter(level=Level.RED).values_list("recipient", flat=True)
    assert list(red) == [world.head.pk]


def test_notice_numbers_run_on_per_government_and_year(world):
    other = TaskFactory(
        lead_unit=world.cast.hengpi,
        deadline=day(-1),
        state=Task.State.IN_PROGRESS,
        report_cadence=Task.Cadence.NONE,
    )
    run(1)
    numbers = dict(SupervisionNotice.objects.values_list("task_id", "serial"))
    assert sorted(numbers.values()) == [1, 2]
    assert numbers[other.pk] == 1  # the older deadline first


def test_deadline_reminder_once_before_the_deadline(world):
    assert run(-4).notifications_total == 0  # remind_before_days is 3
    summary = run(-3)
    assert summary.notifications == {Kind.DEADLINE_SOON: 2}
    assert run(-2).notifications_total == 0
    assert run(0).notifications_total == 0
    message = Notification.objects.filter(recipient=world.cast.encheng_staff).get().message
    assert "DB-001" in message and "2024-06-10" in message


def test_report_reminder_reaches_the_co_units(world):
    cast = world.cast
    CoUnit.objects.create(task=world.task, unit=cast.hengpi, part="配套道路")
    Task.objects.filter(pk=world.task.pk).update(next_report_due=day(-5))
    summary = run(-7)
    assert summary.notifications == {Kind.REPORT_SOON: 3}
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"eve", "henry", "hank"}
    assert run(-6).notifications_total == 0


def test_missed_report_is_notified_and_counted_once(world):
    Task.objects.filter(pk=world.task.pk).update(
        report_cadence=Task.Cadence.MONTHLY, next_report_due=day(-9)
    )
    first = run(-5)
    assert first.missed_reports == 1
    assert first.notifications[Kind.REPORT_MISSED] == 2
    task = Task.objects.get(pk=world.task.pk)
    assert task.reports_missed == 1
    assert task.next_report_due is None or task.next_report_due > day(-5)
    again = run(-5)
    assert again.missed_reports == 0 and again.notifications_total == 0
    assert Task.objects.get(pk=world.task.pk).reports_missed == 1


def test_acknowledgement_overdue_is_notified_once_per_date(world):
    Task.objects.filter(pk=world.task.pk).update(state=Task.State.ASSIGNED, acknowledge_by=day(-20))
    assert run(-20).notifications_total == 0
    assert run(-19).notifications == {Kind.ACKNOWLEDGE_OVERDUE: 2}
    assert run(-18).notifications_total == 0


def test_dry_run_saves_nothing(world):
    Task.objects.filter(pk=world.task.pk).update(next_report_due=day(-2))
    summary = run(10, dry_run=True)
    assert summary.notices_total == 3 and summary.notifications_total > 0
    assert summary.missed_reports == 1
    assert not SupervisionNotice.objects.exists()
    assert not Notification.objects.exists()
    assert Task.objects.get(pk=world.task.pk).reports_missed == 0


def test_one_government_only(world):
    summary = run(1, government=world.cast.taishan.code)
    assert summary.notices_total == 0 and summary.governments == 1
    assert run(1, government="440785").notices_total == 1


def test_someone_who_joins_later_does_not_get_old_reminders(world):
    run(-3)
    newcomer = UserFactory(username="nina")
    MembershipFactory(user=newcomer, unit=world.cast.encheng, role=Role.STAFF)
    assert run(-3).notifications_total == 0
    assert not Notification.objects.filter(recipient=newcomer).exists()
    assert run(1).notifications == {Kind.NOTICE: 3}  # a new event reaches everyone in the unit


def test_admin_pages_of_the_records_are_read_only(world, client):
    run(10)
    client.force_login(world.cast.admin)
    world.cast.admin.is_staff = world.cast.admin.is_superuser = True
    world.cast.admin.save(update_fields=["is_staff", "is_superuser"])
    notice = SupervisionNotice.objects.first()
    for name in ("supervisionnotice", "notification", "digestlog", "channelsettings"):
        assert client.get(reverse(f"admin:supervision_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:supervision_supervisionnotice_add")).status_code == 403
    page = client.get(reverse("admin:supervision_supervisionnotice_change", args=[notice.pk]))
    assert page.status_code == 200 and b'name="reason"' not in page.content
