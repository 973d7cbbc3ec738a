"""Supervision (督办): in-app notifications, supervision notices, daily digests and the channels.

The reminder cycle (`jinwei remind`, services.run_remind_cycle) writes these rows; nothing here is
typed by hand except a government's channel settings. Every row carries a natural key that the
database keeps unique, so running the cycle again never creates or sends anything twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership
from jinwei.tasks.models import Task


class Level(models.TextChoices):
    """How urgent: plain information, or the colour of the escalation ladder."""

    INFO = "info", _("Reminder")
    BLUE = "blue", _("Blue level")
    YELLOW = "yellow", _("Yellow level")
    RED = "red", _("Red level")


NOTICE_LEVELS = (Level.BLUE, Level.YELLOW, Level.RED)  # the ladder, lowest first


def notice_number(year: int, serial: int) -> str:
    return str(_("Notice [%(year)s] No. %(serial)s") % {"year": year, "serial": serial})


class SupervisionNotice(models.Model):
    """督办单: a formal notice about an overdue task, numbered per government and year.

    Blue goes to the lead unit, yellow to its head, red to the responsible leader. One notice per
    task, level and deadline: a postponed task that runs late again is escalated again.
    """

    class AddressedTo(models.TextChoices):
        UNIT = "unit", _("The lead unit")
        HEAD = "head", _("The head of the lead unit")
        LEADER = "leader", _("The responsible leader")

    # The foreign keys lean on the composite indexes below (a large first run issues tens of
    # thousands of notices at once, and every index costs on each).
    government = models.ForeignKey(
        Region,
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="supervision_notices",
        db_index=False,
    )
    level = models.CharField(
        _("notice level"), max_length=6, choices=[(lv.value, lv.label) for lv in NOTICE_LEVELS]
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    deadline = models.DateField(_("deadline"))
    issued_on = models.DateField(_("issued on"))
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    addressed_to = models.CharField(_("addressed to"), max_length=6, choices=AddressedTo.choices)
    addressed_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("addressed unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    issuing_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("issuing office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_on", "-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "level", "deadline"], name="notice_once_per_level_and_deadline"
            ),
            models.UniqueConstraint(
                fields=["government", "year", "serial"], name="notice_unique_number"
            ),
        ]
        indexes = [
            models.Index(fields=["government", "level", "-issued_on"], name="notice_gov_level"),
            models.Index(fields=["addressed_unit", "-issued_on"], name="notice_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.task.code}"

    @property
    def number(self) -> str:
        """The document number, e.g. 督办〔2024〕12号."""
        return notice_number(self.year, self.serial)

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.addressed_unit_id)


class Notification(models.Model):
    """An in-app notification to one person; also the unit of e-mail and webhook delivery.

    `key` names the event, kind then date then task (`deadline_soon:2024-06-30:12`: the reminder
    of task 12's deadline of 30 June), and is unique per recipient, so the cycle can never create
    the same reminder twice. `emailed_at`
    and `webhook_sent_at` are set only when that delivery succeeded.
    """

    class Kind(models.TextChoices):
        DEADLINE_SOON = "deadline_soon", _("Deadline approaching")
        REPORT_SOON = "report_soon", _("Progress report due")
        ACKNOWLEDGE_OVERDUE = "acknowledge_overdue", _("Acknowledgement overdue")
        REPORT_MISSED = "report_missed", _("Progress report missed")
        NOTICE = "notice", _("Supervision notice")

    # Few indexes, most of them filled in order: a large first run inserts hundreds of thousands
    # of rows. The cycle finds the events already told in the unique (key, recipient) index
    # alone (keys start with kind and date); (recipient, -id) serves the person's inbox, and its
    # part for the unread ones the badge and the digest.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    government = models.ForeignKey(
        Region,
        verbose_name=_("government"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    notice = models.ForeignKey(
        SupervisionNotice,
        verbose_name=_("supervision notice"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("urgency"), max_length=6, choices=Level.choices, default=Level.INFO)
    message = models.TextField(_("message"))
    key = models.CharField(_("key"), max_length=120)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    days = models.IntegerField(_("days"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    webhook_sent_at = models.DateTimeField(_("posted to the webhook at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient", "-id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["government", "created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_mail_pending",
            ),
            models.Index(
                fields=["government", "created_at"],
                condition=Q(webhook_sent_at__isnull=True),
                name="notification_hook_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()} · {self.key}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class DigestLog(models.Model):
    """One daily digest e-mail sent to a user: the row that stops a second one that day.

    `covered_to` is the newest notification when it was written: the digest listed the newest
    of the person's unread ones and counted the others, so the alert e-mails that follow leave
    alone everything up to it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    notifications = models.PositiveIntegerField(_("notifications"), default=0)
    tasks = models.PositiveIntegerField(_("tasks"), default=0)
    covered_to = models.PositiveBigIntegerField(_("covers notifications up to"), default=0)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-date", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.date}"


webhook_url_validator = URLValidator(schemes=["http", "https"])


class ChannelSettings(TrackedModel):
    """How a government's reminders leave the platform besides the in-app list."""

    government = models.OneToOneField(
        Region,
        verbose_name=_("government"),
        on_delete=models.CASCADE,
        related_name="supervision_channels",
    )
    email_enabled = models.BooleanField(
        _("send e-mails"),
        default=True,
        help_text=_("Reminders and the daily digest, to users who have an e-mail address."),
    )
    webhook_active = models.BooleanField(_("post to the webhook"), default=False)
    webhook_url = models.URLField(
        _("webhook URL"),
        max_length=500,
        blank=True,
        validators=[webhook_url_validator],
        help_text=_("The messaging platform's address that receives a JSON POST per reminder."),
    )
    webhook_secret = models.CharField(
        _("webhook secret"),
        max_length=200,
        blank=True,
        help_text=_("Signs each POST: header X-Jinwei-Signature is the HMAC-SHA256 of the body."),
    )

    class Meta:
        verbose_name = _("notification channels")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return str(_("Notification channels of %(government)s") % {"government": self.government})

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)

    @property
    def webhook_ready(self) -> bool:
        return self.webhook_active and bool(self.webhook_url)
