"""Writes of the supervision app: the reminder cycle, reading notifications, channel settings."""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage
from jinwei.accounts.models import Region
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, tracked_create, tracked_update
from jinwei.supervision import delivery, reminders, selectors
from jinwei.supervision.models import NOTICE_LEVELS, ChannelSettings, Notification

Progress = Callable[[str], None]
SQLITE_CACHE_KIB = 256 * 1024


class UnknownGovernment(ValueError):
    pass


@dataclass
class CycleSummary:
    """What one run of the cycle did (in a dry run: would have created; nothing is sent)."""

    today: datetime.date
    dry_run: bool = False
    governments: int = 0
    tasks_checked: int = 0
    notifications: Counter[str] = field(default_factory=Counter)
    notices: Counter[str] = field(default_factory=Counter)
    missed_reports: int = 0
    delivered: delivery.Delivered = field(default_factory=delivery.Delivered)
    seconds: float = 0.0

    @property
    def notifications_total(self) -> int:
        return sum(self.notifications.values())

    @property
    def notices_total(self) -> int:
        return sum(self.notices.values())

    def lines(self) -> list[str]:
        kinds = ", ".join(
            f"{label} {self.notifications[value]}"
            for value, label in Notification.Kind.choices
            if self.notifications[value]
        )
        levels = ", ".join(f"{level.label} {self.notices[level]}" for level in NOTICE_LEVELS)
        sent = self.delivered
        lines = [
            _("Notifications created: %(count)s%(kinds)s")
            % {"count": self.notifications_total, "kinds": f" ({kinds})" if kinds else ""},
            _("Supervision notices issued: %(count)s (%(levels)s)")
            % {"count": self.notices_total, "levels": levels},
            _("Missed reports recorded: %(count)s") % {"count": self.missed_reports},
        ]
        if self.dry_run:
            lines.append(_("Dry run: nothing was saved and nothing was sent."))
            return lines
        lines += [
            _("E-mails sent: %(sent)s, of which daily digests: %(digests)s; failed: %(failed)s")
            % {
                "sent": sent.emails_sent,
                "digests": sent.digests_sent,
                "failed": sent.emails_failed,
            },
            _("Webhook posts: %(sent)s; failed: %(failed)s")
            % {"sent": sent.webhooks_sent, "failed": sent.webhooks_failed},
        ]
        return lines


def governments_to_check(government: Region | str | None) -> list[Region]:
    if isinstance(government, Region):
        return [government]
    if government:
        found = Region.objects.filter(code=government).first()
        if found is None:
            raise UnknownGovernment(
                _("No government has the code “%(code)s”.") % {"code": government}
            )
        return [found]
    return list(Region.objects.filter(units__isnull=False).distinct().order_by("code"))


def run_remind_cycle(
    today: datetime.date | None = None,
    government: Region | str | None = None,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
) -> CycleSummary:
    """Create the reminders and notices due `today`, then send what is unsent.

    Safe to repeat: a second run the same day creates and sends nothing new. Each government's
    creation runs in one transaction holding that government's row locked, so two overlapping
    runs (cron and a hand-started one) cannot number two notices alike. A dry run rolls the
    creation back and sends nothing.
    """
    started = time.monotonic()
    today = today or timezone.localdate()
    say = progress or (lambda message: None)
    summary = CycleSummary(today=today, dry_run=dry_run)
    governments = governments_to_check(government)
    caller_language = translation.get_language()  # for the progress lines; the stored texts and
    # the e-mails are in the site's language
    with translation.override(settings.LANGUAGE_CODE), _large_cache():
        for region in governments:
            created = _create_for(region, today, dry_run=dry_run)
            summary.governments += 1
            summary.tasks_checked += created.tasks_checked
            summary.notifications.update(created.notifications)
            summary.notices.update(created.notices)
            summary.missed_reports += created.missed_reports
            with translation.override(caller_language):
                say(
                    _(
                        "%(government)s: %(tasks)s active tasks checked, %(notifications)s "
                        "notifications, %(notices)s notices"
                    )
                    % {
                        "government": region.name,
                        "tasks": created.tasks_checked,
                        "notifications": sum(created.notifications.values()),
                        "notices": sum(created.notices.values()),
                    }
                )
        if not dry_run and governments:
            with translation.override(caller_language):
                say(_("Sending e-mails and webhook posts…"))
            channels = selectors.channels_for(region.pk for region in governments)
            delivery.deliver(channels, today, summary.delivered)
    summary.seconds = time.monotonic() - started
    return summary


@contextmanager
def _large_cache() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes a big first run writes into (the
    default 2 MB makes every insert into a large index a read from disk); restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _create_for(region: Region, today: datetime.date, *, dry_run: bool) -> reminders.Created:
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).values_list("pk").first()
        created = reminders.run_pass(region, today)
        if dry_run:
            transaction.set_rollback(True)
    return created


# --- reading notifications --------------------------------------------------------------------


def notification_mark_read(*, user: Any, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None if it is not theirs."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- channel settings -------------------------------------------------------------------------

HIDDEN_BEFORE = "••••••"
HIDDEN_AFTER = "●●●●●●"  # a different mask, so the trail shows that the secret changed


@transaction.atomic
def channel_settings_save(
    *,
    actor: Any,
    government: Region,
    changes: dict[str, Any],
    new_secret: str | None = None,
    expected_version: int | None = None,
) -> ChannelSettings:
    """Save a government's channels (admins and supervisors). The secret never enters the audit
    trail: its change is recorded with masked values."""
    if not can_manage(actor, government.pk):
        raise PermissionDenied
    changes = {k: v for k, v in changes.items() if k != "webhook_secret"}
    current = ChannelSettings.objects.filter(government=government).first()
    secret = new_secret if new_secret else (current.webhook_secret if current else "")
    probe = ChannelSettings(government=government, **changes)
    if probe.webhook_active and not probe.webhook_url:
        raise ValidationError({"webhook_url": _("Give the webhook URL, or turn the webhook off.")})
    if probe.webhook_active and not secret:
        raise ValidationError(
            {"webhook_secret": _("Give a secret to sign the posts, or turn the webhook off.")}
        )
    if current is None:
        current = tracked_create(actor=actor, obj=probe, note="channels")
    else:
        current = tracked_update(
            actor=actor, obj=current, changes=changes, expected_version=expected_version
        )
    if new_secret and new_secret != current.webhook_secret:
        before = HIDDEN_BEFORE if current.webhook_secret else ""
        current.webhook_secret = new_secret
        current.version += 1
        current.save(update_fields=["webhook_secret", "version", "updated_at"])
        record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            before={"webhook_secret": before},
            after={"webhook_secret": HIDDEN_AFTER},
            note=_("The webhook secret was changed."),
        )
    return current


def webhook_send_test(*, actor: Any, government: Region) -> None:
    """POST a test message with the saved settings; raises delivery.WebhookError on failure."""
    if not can_manage(actor, government.pk):
        raise PermissionDenied
    channel = selectors.channels_of(government.pk)
    if not channel.webhook_url:
        raise delivery.WebhookError(_("Save a webhook URL first."), retry_later=False)
    channel.government = government
    delivery.post(channel, delivery.ping_payload(channel, actor))
