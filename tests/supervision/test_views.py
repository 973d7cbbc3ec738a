"""The supervision pages: notifications, the notice list and the printable 督办单, the channels."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.supervision.models import ChannelSettings, Level, Notification, SupervisionNotice
from jinwei.supervision.services import run_remind_cycle
from jinwei.tasks.models import Task
from tests.supervision.conftest import DEADLINE, SECRET, webhook_on
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=offset)


@pytest.fixture
def escalated(world):
    """The task 10 days overdue: blue, yellow and red notices."""
    run_remind_cycle(today=day(10))
    return world


def htmx(client, url, **data):
    return client.post(url, data, HTTP_HX_REQUEST="true")


# --- notifications ----------------------------------------------------------------------------


def test_notifications_show_the_users_own_unread_first(escalated):
    eve = escalated.cast.encheng_staff
    mine = list(Notification.objects.filter(recipient=eve))
    assert mine
    older = Notification.objects.create(
        recipient=eve,
        government=escalated.cast.enping,
        task=escalated.task,
        kind=Notification.Kind.DEADLINE_SOON,
        message="已读的提醒",
        key="x:read",
        due_on=DEADLINE,
        days=0,
    )
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    response = escalated.cast.client_for(eve).get(reverse("supervision:notifications"))
    assert response.status_code == 200
    items = list(response.context["page"])
    assert [n.is_read for n in items] == [False] * len(mine) + [True]
    assert {n.recipient_id for n in items} == {eve.pk}
    assert "DB-001" in response.content.decode()


def test_mark_one_read_with_htmx(escalated):
    eve = escalated.cast.encheng_staff
    notification = Notification.objects.filter(recipient=eve).first()
    client = escalated.cast.client_for(eve)
    url = reverse("supervision:notification_read", args=[notification.pk])
    response = htmx(client, url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert 'id="notification-badge" class="notification-badge"' in html and "hx-swap-oob" in html
    assert url not in html  # no "mark as read" button any more
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_marks_someone_elses_notification(escalated):
    notification = Notification.objects.filter(recipient=escalated.cast.encheng_staff).first()
    client = escalated.cast.client_for(escalated.cast.hengpi_staff)
    url = reverse("supervision:notification_read", args=[notification.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(escalated):
    eve = escalated.cast.encheng_staff
    client = escalated.cast.client_for(eve)
    response = htmx(client, reverse("supervision:notifications_read_all"))
    assert response.status_code == 200
    assert 'id="notification-list"' in response.content.decode()
    assert not Notification.objects.filter(recipient=eve, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=escalated.head, read_at__isnull=True).exists()
    plain = client.post(reverse("supervision:notifications_read_all"))
    assert plain.status_code == 302


def test_notifications_page_queries_do_not_grow(world, django_assert_max_num_queries):
    eve = world.cast.encheng_staff
    client = world.cast.client_for(eve)

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            task = TaskFactory(
                lead_unit=world.cast.encheng,
                deadline=day(-i - 1),
                state=Task.State.IN_PROGRESS,
                report_cadence=Task.Cadence.NONE,
            )
            del task
        run_remind_cycle(today=day(0))

    add(3, 0)
    url = reverse("supervision:notifications")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    add(25, 3)
    assert Notification.objects.filter(recipient=eve).count() > 25
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- notices ----------------------------------------------------------------------------------


def notice_statuses(world, notice):
    cast = world.cast
    url = reverse("supervision:notice", args=[notice.pk])
    people = {
        "supervisor": cast.supervisor,
        "admin": cast.admin,
        "leader": cast.leader,
        "eve": cast.encheng_staff,
        "henry": world.head,
        "hank": cast.hengpi_staff,
        "tom": cast.statistician,
        "vic": cast.viewer,
        "otto": cast.outsider,
    }
    return {name: cast.client_for(user).get(url).status_code for name, user in people.items()}


def test_the_notice_is_shown_to_supervisors_leaders_and_the_addressed_unit_only(escalated):
    notice = SupervisionNotice.objects.get(level=Level.RED)
    assert notice_statuses(escalated, notice) == {
        "supervisor": 200,
        "admin": 200,
        "leader": 200,
        "eve": 200,
        "henry": 200,
        "hank": 403,  # another unit
        "tom": 403,
        "vic": 403,  # a viewer reads the drive, not the notices
        "otto": 404,  # another government
    }


def test_the_printable_notice(escalated):
    notice = SupervisionNotice.objects.get(level=Level.YELLOW)
    client = escalated.cast.client_for(escalated.cast.supervisor)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    assert "notice-sheet notice-yellow" in html
    assert "Supervision notice sheet" in html
    assert "Notice [2024] No. 2" in html
    assert "恩城街道" in html and "恩城主任" in html  # the unit and its head
    assert "DB-001" in html and "职教园区一期完工交付" in html
    assert "10 days" in html
    assert "市委督查室" in html  # the issuing office
    assert "data-print" in html and "<script>" not in html


def test_notice_list_filters_and_scopes(escalated):
    cast = escalated.cast
    url = reverse("supervision:notices")
    supervisor = cast.client_for(cast.supervisor)
    assert len(supervisor.get(url).context["page"].object_list) == 3
    red = supervisor.get(url, {"level": "red"}).context["page"].object_list
    assert [n.level for n in red] == [Level.RED]
    assert len(cast.client_for(cast.encheng_staff).get(url).context["page"].object_list) == 3
    assert len(cast.client_for(cast.hengpi_staff).get(url).context["page"].object_list) == 0
    assert len(cast.client_for(cast.outsider).get(url).context["page"].object_list) == 0
    assert cast.client_for(cast.viewer).get(url).status_code == 403
    partial = supervisor.get(url, {"level": "blue"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert len(partial.context["page"].object_list) == 1


# --- channel settings -------------------------------------------------------------------------


def test_only_admins_and_supervisors_set_the_channels(world):
    cast = world.cast
    url = reverse("supervision:settings")
    assert cast.client_for(cast.supervisor).get(url).status_code == 200
    assert cast.client_for(cast.admin).get(url).status_code == 200
    for user in (cast.encheng_staff, cast.leader, cast.viewer, cast.outsider):
        assert cast.client_for(user).get(url).status_code == 403
        assert cast.client_for(user).post(reverse("supervision:settings_test")).status_code == 403


def test_saving_the_channels_keeps_the_secret_out_of_the_audit_trail(world, hook):
    client = world.cast.client_for(world.cast.supervisor)
    url = reverse("supervision:settings")
    data = {
        "government": "440785",
        "email_enabled": "on",
        "webhook_active": "on",
        "webhook_url": hook.url,
        "new_secret": SECRET,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    channels = ChannelSettings.objects.get(government=world.cast.enping)
    assert channels.webhook_secret == SECRET and channels.webhook_ready
    trail = json.dumps(list(AuditEntry.objects.values("before", "after", "note")))
    assert SECRET not in trail
    assert "webhook_secret" in trail
    # saving again without a secret keeps it
    data.pop("new_secret")
    response = client.post(url, {**data, "version": channels.version, "email_enabled": ""})
    assert response.status_code == 302
    channels.refresh_from_db()
    assert channels.webhook_secret == SECRET and not channels.email_enabled
    assert SECRET not in client.get(url).content.decode()


def test_an_active_webhook_needs_a_url_and_a_secret(world):
    client = world.cast.client_for(world.cast.supervisor)
    response = client.post(reverse("supervision:settings"), {"webhook_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ChannelSettings.objects.exists()


def test_send_test_post(world, hook):
    webhook_on(world.cast.enping, hook.url)
    client = world.cast.client_for(world.cast.supervisor)
    response = htmx(client, reverse("supervision:settings_test"), government="440785")
    assert response.status_code == 200
    assert "message-success" in response.content.decode()
    post = hook.received[0]
    assert json.loads(post.body)["event"] == "supervision.test"
    signature = hmac.new(SECRET.encode(), post.body, hashlib.sha256).hexdigest()
    assert post.headers["X-Jinwei-Signature"] == signature
    hook.status = 500
    failed = htmx(client, reverse("supervision:settings_test"), government="440785")
    assert "message-error" in failed.content.decode() and "500" in failed.content.decode()
