"""The sending half of the reminder cycle: the daily digest, e-mails, and the webhook.

Each notification is e-mailed at most once and posted at most once: its `emailed_at` and
`webhook_sent_at` are set only after the send succeeded, and only unsent ones are picked up. A
failure is logged and not fatal; the next cycle tries again. Notifications older than
`DELIVERY_WINDOW` are no longer pushed (they stay in the in-app list), so turning a channel on
does not flood anyone with old reminders.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.models import User
from jinwei.supervision import emails
from jinwei.supervision.digests import Digest, Unread, digests_for
from jinwei.supervision.models import ChannelSettings, DigestLog, Notification
from jinwei.supervision.texts import notice_title

logger = logging.getLogger(__name__)

DELIVERY_WINDOW = datetime.timedelta(days=7)
WEBHOOK_TIMEOUT_SECONDS = 5
WEBHOOK_PER_CYCLE = 500  # per government; the rest waits for the next cycle
EMAIL_LINES = 20  # lines of an alert e-mail; the count says how many there are
MAIL_TIMEOUT_SECONDS = 20
SIGNATURE_HEADER = "X-Jinwei-Signature"


@dataclass
class Delivered:
    emails_sent: int = 0
    emails_failed: int = 0
    digests_sent: int = 0
    webhooks_sent: int = 0
    webhooks_failed: int = 0


def site_url() -> str:
    """The public address of the site for links in e-mails (JINWEI_SITE_URL); empty: paths only."""
    return str(getattr(settings, "JINWEI_SITE_URL", "")).rstrip("/")


def task_path(task_id: int) -> str:
    return reverse("tasks:detail", kwargs={"task_id": task_id})


def notice_path(notice_id: int) -> str:
    return reverse("supervision:notice", kwargs={"notice_id": notice_id})


def deliver(
    channels: dict[int, ChannelSettings], today: datetime.date, delivered: Delivered
) -> None:
    """Digests, then e-mails for what the digests did not cover, then the webhook."""
    now = timezone.now()
    mailing = [gov for gov, c in channels.items() if c.email_enabled]
    if mailing:
        users = mail_recipients(mailing)
        try:
            send_digests(users, mailing, today, now, delivered)
            send_alert_emails(users, mailing, now, delivered)
        except StopSending:
            pass  # logged; everything unsent stays pending
    for channel in channels.values():
        if channel.webhook_ready:
            post_pending(channel, now, delivered)


# --- e-mail -----------------------------------------------------------------------------------


def mail_recipients(government_ids: Sequence[int]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__unit__government_id__in=government_ids)
        .exclude(email="")
        .distinct()
        .order_by("id")
    )


def send_digests(
    users: list[User],
    government_ids: Sequence[int],
    today: datetime.date,
    now: datetime.datetime,
    done: Delivered,
) -> None:
    """One digest per user per day, never an empty one."""
    sent_today = set(
        DigestLog.objects.filter(date=today, user__in=users).values_list("user_id", flat=True)
    )
    users = [user for user in users if user.pk not in sent_today]
    newest = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    digests = digests_for(users, government_ids, today)
    sent: list[int] = []
    try:
        with mail_session() as connection:
            for user in users:
                digest = digests[user.pk]
                if digest.is_empty:
                    continue
                body = emails.digest_text(digest, today, site_url())
                subject = _("[jinwei] Your supervision digest for %(date)s") % {
                    "date": today.isoformat()
                }
                if _send(connection, user, subject, body, done):
                    sent.append(user.pk)
                    done.digests_sent += 1
    finally:
        _digested(sent, today, digests, newest, now)


def _digested(
    user_ids: list[int],
    today: datetime.date,
    digests: dict[int, Digest],
    newest: int,
    now: datetime.datetime,
) -> None:
    """Log the digests sent. The notifications a digest lists count as e-mailed; the others it
    only counts ("… and 300 more") are covered by its log entry (`covered_to`), which the alert
    e-mails start after."""
    DigestLog.objects.bulk_create(
        [
            DigestLog(
                user_id=user_id,
                date=today,
                notifications=digests[user_id].unread_count,
                tasks=digests[user_id].task_count,
                covered_to=newest,
            )
            for user_id in user_ids
        ]
    )
    listed = [n.pk for user_id in user_ids for n in digests[user_id].unread]
    for start in range(0, len(listed), 5000):
        Notification.objects.filter(pk__in=listed[start : start + 5000]).update(emailed_at=now)


def send_alert_emails(
    users: list[User], government_ids: Sequence[int], now: datetime.datetime, done: Delivered
) -> None:
    """One e-mail per person with their new, unread notifications: not e-mailed yet, and newer
    than their last digest. One small query per person, along their inbox index from the last
    digest on."""
    covered = dict(
        DigestLog.objects.filter(user__in=users)
        .order_by()
        .values("user_id")
        .annotate(top=Max("covered_to"))
        .values_list("user_id", "top")
    )
    with mail_session() as connection:
        for user in users:
            pending = Notification.objects.filter(
                recipient=user,
                pk__gt=covered.get(user.pk, 0),
                government_id__in=government_ids,
                emailed_at__isnull=True,
                read_at__isnull=True,
                created_at__gte=now - DELIVERY_WINDOW,
            )
            rows = list(pending.order_by("id").values_list("id", "message", "task_id"))
            if not rows:
                continue
            lines = [Unread(*row) for row in rows[:EMAIL_LINES]]
            body = emails.alerts_text(user, lines, len(rows), site_url())
            subject = _("[jinwei] %(count)s new supervision reminders") % {"count": len(rows)}
            if _send(connection, user, subject, body, done):
                pending.filter(pk__lte=rows[-1][0]).update(emailed_at=now)


class StopSending(Exception):
    """The mail server is unreachable or refuses us: the rest waits for the next cycle."""


def _send(connection: Any, user: User, subject: str, body: str, done: Delivered) -> bool:
    """Send one e-mail; False when this address was refused, StopSending when the server fails."""
    message = EmailMessage(subject=subject, body=body, to=[user.email], connection=connection)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        logger.warning("E-mail to %s was refused", user.email)
        done.emails_failed += 1
        return False
    except Exception as error:  # network errors, SMTP failures: retry next cycle
        logger.warning("E-mail to %s failed: %s", user.email, error)
        done.emails_failed += 1
        raise StopSending from error
    done.emails_sent += 1
    return True


@contextmanager
def mail_session() -> Iterator[Any]:
    """An open connection to the mail server; StopSending when it cannot be reached, so the
    cycle goes on (webhook, next governments) and the e-mails wait for the next one."""
    connection = get_connection(
        timeout=getattr(settings, "EMAIL_TIMEOUT", None) or MAIL_TIMEOUT_SECONDS
    )
    try:
        connection.open()
    except Exception as error:  # refused, unknown host, TLS or login failure
        logger.warning("The mail server could not be reached: %s", error)
        raise StopSending from error
    try:
        yield connection
    finally:
        connection.close()


# --- webhook ----------------------------------------------------------------------------------


class WebhookError(Exception):
    def __init__(self, message: str, *, retry_later: bool) -> None:
        super().__init__(message)
        self.retry_later = retry_later  # the endpoint is down: stop this cycle's posts


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(notification: Notification) -> dict[str, Any]:
    task, notice, user = notification.task, notification.notice, notification.recipient
    data: dict[str, Any] = {
        "event": f"supervision.{notification.kind}",
        "id": notification.pk,
        "kind": notification.kind,
        "level": notification.level,
        "message": notification.message,
        "created_at": notification.created_at.isoformat(),
        "government": {
            "code": notification.government.code,
            "name": notification.government.name,
        },
        "recipient": {
            "username": user.username,
            "name": str(user),
            "email": user.email,
            "phone": user.phone,
        },
        "task": None,
        "notice": None,
    }
    if task is not None:
        data["task"] = {
            "code": task.code,
            "title": task.title,
            "deadline": task.deadline.isoformat(),
            "url": task_path(task.pk),
        }
    if notice is not None:
        data["notice"] = {
            "number": notice.number,
            "level": notice.level,
            "title": notice_title(notice.level),
            "days_overdue": notice.days_overdue,
            "url": notice_path(notice.pk),
        }
    return data


def encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def post(channel: ChannelSettings, data: dict[str, Any]) -> None:
    """POST one JSON body, signed; raises WebhookError when the endpoint did not take it."""
    url = channel.webhook_url
    if not url.lower().startswith(("http://", "https://")):
        message = _("The webhook URL must start with http:// or https://.")
        raise WebhookError(message, retry_later=True)
    body = encode(data)
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "jinwei-supervision",
            SIGNATURE_HEADER: sign(channel.webhook_secret, body),
            "X-Jinwei-Event": str(data.get("event", "")),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        raise WebhookError(
            _("The webhook answered %(status)s.") % {"status": error.code},
            retry_later=error.code >= 500 or error.code == 429,
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise WebhookError(
            _("The webhook could not be reached: %(reason)s") % {"reason": reason},
            retry_later=True,
        ) from error
    if not 200 <= status < 300:
        raise WebhookError(
            _("The webhook answered %(status)s.") % {"status": status}, retry_later=status >= 500
        )


def post_pending(channel: ChannelSettings, now: datetime.datetime, done: Delivered) -> None:
    """Post this government's unsent notifications, oldest first, until the endpoint fails."""
    pending = (
        Notification.objects.filter(
            government_id=channel.government_id,
            webhook_sent_at__isnull=True,
            created_at__gte=now - DELIVERY_WINDOW,
        )
        .select_related("government", "recipient", "task", "notice")
        .order_by("id")[:WEBHOOK_PER_CYCLE]
    )
    for notification in pending:
        try:
            post(channel, payload(notification))
        except WebhookError as error:
            done.webhooks_failed += 1
            logger.warning(
                "Webhook post of notification %s failed: %s", notification.pk, error, exc_info=False
            )
            if error.retry_later:
                return
            continue
        Notification.objects.filter(pk=notification.pk).update(webhook_sent_at=timezone.now())
        done.webhooks_sent += 1


def ping_payload(channel: ChannelSettings, actor: Any) -> dict[str, Any]:
    return {
        "event": "supervision.test",
        "message": _("Test message from jinwei: the webhook is set up."),
        "government": {"code": channel.government.code, "name": channel.government.name},
        "sent_by": getattr(actor, "username", ""),
        "created_at": timezone.now().isoformat(),
    }
