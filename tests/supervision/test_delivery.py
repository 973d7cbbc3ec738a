"""The sending half of `jinwei remind`: e-mails, the daily digest and the signed webhook."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import socket

import pytest
from django.core import mail

from jinwei.supervision import delivery
from jinwei.supervision.models import ChannelSettings, DigestLog, Level, Notification
from jinwei.supervision.services import run_remind_cycle
from jinwei.tasks.models import Task
from tests.supervision.conftest import DEADLINE, SECRET, webhook_on, with_email
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=offset)


def only_eve_in_encheng(world) -> None:
    """Leave eve alone in 恩城街道, so one notice makes exactly one notification."""
    world.head.memberships.all().delete()


def test_run_twice_sends_one_email_and_one_signed_webhook_post(world, hook):
    only_eve_in_encheng(world)
    eve = world.cast.encheng_staff
    with_email(eve)
    webhook_on(world.cast.enping, hook.url)
    first = run_remind_cycle(today=day(1))
    second = run_remind_cycle(today=day(1))
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [eve.email]
    assert len(hook.received) == 1
    assert (first.delivered.emails_sent, first.delivered.webhooks_sent) == (1, 1)
    assert (second.delivered.emails_sent, second.delivered.webhooks_sent) == (0, 0)
    notification = Notification.objects.get()
    assert notification.emailed_at is not None and notification.webhook_sent_at is not None

    post = hook.received[0]
    expected = hmac.new(SECRET.encode(), post.body, hashlib.sha256).hexdigest()
    assert post.headers["X-Jinwei-Signature"] == expected
    assert post.headers["Content-Type"].startswith("application/json")
    body = json.loads(post.body)
    assert body["event"] == "supervision.notice"
    assert body["level"] == "blue"
    assert body["task"]["code"] == "DB-001"
    assert body["task"]["title"] == "职教园区一期完工交付"
    assert body["task"]["url"] == f"/tasks/{world.task.pk}/"
    assert body["recipient"]["username"] == "eve"
    assert body["notice"]["url"].startswith("/supervision/notices/")


def test_a_failing_webhook_is_retried_by_the_next_cycle(world, hook):
    only_eve_in_encheng(world)
    webhook_on(world.cast.enping, hook.url)
    hook.status = 503
    failed = run_remind_cycle(today=day(1))
    assert failed.delivered.webhooks_failed == 1 and failed.delivered.webhooks_sent == 0
    assert Notification.objects.get().webhook_sent_at is None
    hook.status = 200
    retried = run_remind_cycle(today=day(1))
    assert retried.delivered.webhooks_sent == 1
    assert Notification.objects.get().webhook_sent_at is not None
    assert len(hook.received) == 2  # the failed attempt and the successful one
    assert hook.received[0].body == hook.received[1].body
    assert run_remind_cycle(today=day(1)).delivered.webhooks_sent == 0


def test_an_unreachable_webhook_is_not_fatal(world):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhook_on(world.cast.enping, f"http://127.0.0.1:{port}/hook")
    summary = run_remind_cycle(today=day(1))
    assert summary.notices_total == 1
    assert summary.delivered.webhooks_failed == 1  # stops at the first failure
    assert not Notification.objects.filter(webhook_sent_at__isnull=False).exists()


def test_an_inactive_webhook_posts_nothing(world, hook):
    channels = webhook_on(world.cast.enping, hook.url)
    ChannelSettings.objects.filter(pk=channels.pk).update(webhook_active=False)
    run_remind_cycle(today=day(1))
    assert hook.received == []


def test_no_email_when_the_government_turned_it_off(world):
    with_email(world.cast.encheng_staff)
    ChannelSettings.objects.create(government=world.cast.enping, email_enabled=False)
    run_remind_cycle(today=day(1))
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0


def test_users_without_an_address_get_no_email(world):
    run_remind_cycle(today=day(1))
    assert mail.outbox == []


def test_an_empty_digest_is_not_sent(world):
    """vic has an address, but nothing unread and no work: no digest, and no log of one."""
    with_email(world.cast.viewer)
    run_remind_cycle(today=day(-30))
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_the_digest_is_sent_once_a_day_and_lists_the_work(world):
    only_eve_in_encheng(world)
    eve = world.cast.encheng_staff
    with_email(eve)
    run_remind_cycle(today=day(-2))  # the deadline reminder
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "2024-06-08" in digest.subject
    assert "DB-001" in digest.body
    assert DigestLog.objects.filter(user=eve, date=day(-2)).count() == 1
    run_remind_cycle(today=day(-2))
    assert len(mail.outbox) == 1
    # the next day: still due soon (work to report), so a new digest
    run_remind_cycle(today=day(-1))
    assert len(mail.outbox) == 2
    assert DigestLog.objects.filter(user=eve).count() == 2


def test_a_new_reminder_after_the_digest_comes_as_its_own_email(world):
    only_eve_in_encheng(world)
    eve = world.cast.encheng_staff
    with_email(eve)
    run_remind_cycle(today=day(-2))
    assert len(mail.outbox) == 1  # digest, covering the deadline reminder
    Task.objects.filter(pk=world.task.pk).update(next_report_due=day(-1))
    summary = run_remind_cycle(today=day(-2))  # a report reminder appears the same day
    assert summary.delivered.digests_sent == 0 and summary.delivered.emails_sent == 1
    alert = mail.outbox[1]
    assert "DB-001" in alert.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_failed_email_is_retried(world, settings, monkeypatch):
    only_eve_in_encheng(world)
    with_email(world.cast.encheng_staff)

    def refuse(self, *args, **kwargs):
        raise OSError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.message.EmailMessage.send", refuse)
        failed = run_remind_cycle(today=day(1))
    assert failed.delivered.emails_failed == 1 and mail.outbox == []
    assert not DigestLog.objects.exists()
    retried = run_remind_cycle(today=day(1))
    assert retried.delivered.emails_sent == 1 and len(mail.outbox) == 1


def test_old_notifications_are_not_pushed(world, hook):
    only_eve_in_encheng(world)
    run_remind_cycle(today=day(1))
    Notification.objects.update(
        created_at=Notification.objects.get().created_at - delivery.DELIVERY_WINDOW
    )
    webhook_on(world.cast.enping, hook.url)
    run_remind_cycle(today=day(1))
    assert hook.received == []


def test_a_long_digest_lists_the_newest_and_covers_the_rest(world):
    """25 overdue tasks, 67 notices (eve is alone in her unit: every level reaches her): the
    digest lists 20 notifications and counts the rest; no alert e-mail follows for the ones it
    did not list, and nothing is sent again the same day."""
    only_eve_in_encheng(world)
    eve = world.cast.encheng_staff
    with_email(eve)
    Task.objects.filter(pk=world.task.pk).delete()
    for i in range(25):
        TaskFactory(
            lead_unit=world.cast.encheng,
            deadline=day(-1 - i),
            state=Task.State.IN_PROGRESS,
            report_cadence=Task.Cadence.NONE,
        )
    first = run_remind_cycle(today=day(0))
    assert first.notices[Level.BLUE] == 25
    assert Notification.objects.filter(recipient=eve).count() == first.notices_total == 67
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("\n- ") >= 20
    listed = Notification.objects.filter(recipient=eve, emailed_at__isnull=False).count()
    assert listed == 20
    again = run_remind_cycle(today=day(0))
    assert again.delivered.emails_sent == 0 and len(mail.outbox) == 1


def test_an_unreachable_mail_server_is_not_fatal(world, hook, settings):
    """With the production SMTP backend and no server listening, the cycle still creates its
    notifications and posts the webhook; the e-mails wait for the next cycle."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    only_eve_in_encheng(world)
    with_email(world.cast.encheng_staff)
    webhook_on(world.cast.enping, hook.url)
    summary = run_remind_cycle(today=day(1))
    assert summary.notifications_total == 1
    assert (summary.delivered.emails_sent, summary.delivered.webhooks_sent) == (0, 1)
    notification = Notification.objects.get()
    assert notification.emailed_at is None and notification.webhook_sent_at is not None
    assert not DigestLog.objects.exists()
