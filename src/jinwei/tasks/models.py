"""Goals, tasks and their closed loop: assignment, progress reports, change requests, scoring.

A task's colour and time status are never typed: `timing.py` computes them. To let the database
filter by colour, each task stores the two dates on which it would turn yellow and red for being
behind schedule (`yellow_from`, `red_from`); they depend only on the task's own dates, its progress
and the government's rules, and `services.py` recomputes them whenever one of those changes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership

percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


class TaskRules(TrackedModel):
    """One government's rules for colours, acknowledgement, reminders and escalation."""

    government = models.OneToOneField(
        Region, verbose_name=_("government"), on_delete=models.CASCADE, related_name="task_rules"
    )
    yellow_behind_points = models.PositiveSmallIntegerField(
        _("yellow when behind by more than (points)"), default=10
    )
    red_behind_points = models.PositiveSmallIntegerField(
        _("red when behind by more than (points)"), default=30
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (and yellow) within (days)"), default=7
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("days to acknowledge an assigned task"), default=3
    )
    remind_before_days = models.PositiveSmallIntegerField(
        _("remind this many days before a deadline or report date"), default=3
    )
    escalate_head_days = models.PositiveSmallIntegerField(
        _("days overdue before the unit head is notified"), default=3
    )
    escalate_leader_days = models.PositiveSmallIntegerField(
        _("days overdue before the responsible leader is notified"), default=7
    )

    class Meta:
        verbose_name = _("task rules")
        verbose_name_plural = _("task rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_behind_points__lte=models.F("red_behind_points")),
                name="taskrules_yellow_before_red",
            ),
            models.CheckConstraint(
                condition=Q(escalate_head_days__lte=models.F("escalate_leader_days")),
                name="taskrules_head_before_leader",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Task rules of %(government)s") % {"government": self.government})

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class Goal(TrackedModel):
    """A node of the goals tree: a staged goal, a principle or a strategic direction."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Goal")
        PRINCIPLE = "principle", _("Principle")
        DIRECTION = "direction", _("Direction")

    class Horizon(models.IntegerChoices):
        ONE = 1, _("1 year")
        THREE = 3, _("3 years")
        FIVE = 5, _("5 years")
        TEN = 10, _("10 years")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="goals"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GOAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    horizon = models.PositiveSmallIntegerField(
        _("horizon"), choices=Horizon.choices, null=True, blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=50, blank=True, help_text=_("e.g. 一年开局起步, 三年初见成效")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("indicators that measure it"),
        blank=True,
        related_name="goals",
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["government", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="goal_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class Task(TrackedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class SourceKind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        DOCUMENT = "document", _("Document")
        INSTRUCTION = "instruction", _("Leader's instruction")
        OTHER = "other", _("Other")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        NORMAL = 2, _("Normal")
        LOW = 3, _("Low")

    class Cadence(models.TextChoices):
        NONE = "none", _("No regular reports")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        DATES = "dates", _("On given dates")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source_kind = models.CharField(
        _("source"), max_length=12, choices=SourceKind.choices, default=SourceKind.MEETING
    )
    source_reference = models.CharField(
        _("source reference"), max_length=200, blank=True, help_text=_("Meeting, document number…")
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subtasks",
    )
    lead_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_tasks",
    )
    supervising_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("supervising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
    )
    start_date = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(
        _("original deadline"), null=True, blank=True, editable=False
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    expected_results = models.TextField(_("expected results"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=percent_validators, editable=False
    )
    report_cadence = models.CharField(
        _("report cadence"), max_length=8, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    report_dates = models.JSONField(
        _("report dates"), default=list, blank=True, help_text=_("For cadence 'on given dates'.")
    )
    next_report_due = models.DateField(_("next report due"), null=True, blank=True, editable=False)
    reports_on_time = models.PositiveIntegerField(_("reports on time"), default=0, editable=False)
    reports_late = models.PositiveIntegerField(_("reports late"), default=0, editable=False)
    reports_missed = models.PositiveIntegerField(_("reports missed"), default=0, editable=False)
    yellow_from = models.DateField(editable=False, null=True)
    red_from = models.DateField(editable=False, null=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True, editable=False)
    acknowledge_by = models.DateField(_("acknowledge by"), null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"), null=True, blank=True, editable=False
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    score_timeliness = models.PositiveSmallIntegerField(
        _("timeliness score"), null=True, blank=True, validators=percent_validators
    )
    score_quality = models.PositiveSmallIntegerField(
        _("quality score"), null=True, blank=True, validators=percent_validators
    )
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo data not from a published source.")
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="task_unique_code"),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("deadline")), name="task_dates_ordered"
            ),
        ]
        indexes = [
            # colour filters (stored yellow/red days) and counts read this index only
            models.Index(
                fields=["government", "state", "deadline", "red_from", "yellow_from", "lead_unit"],
                name="task_state_colour",
            ),
            # covers every column the unit scorecards aggregate, so they read the index only
            models.Index(
                fields=[
                    "lead_unit",
                    "state",
                    "deadline",
                    "closed_on",
                    "reports_on_time",
                    "reports_late",
                    "reports_missed",
                    "score_timeliness",
                    "score_quality",
                ],
                name="task_unit_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.lead_unit_id)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def closed_late(self) -> bool:
        return self.closed_on is not None and self.closed_on > self.deadline

    @property
    def days_late(self) -> int:
        if self.closed_on is not None:
            return max(0, (self.closed_on - self.deadline).days)
        return 0

    @property
    def average_score(self) -> float | None:
        if self.score_timeliness is None or self.score_quality is None:
            return None
        return (self.score_timeliness + self.score_quality) / 2


ACTIVE_STATES = (
    Task.State.ASSIGNED,
    Task.State.IN_PROGRESS,
    Task.State.COMPLETION_REQUESTED,
)


class CoUnit(TrackedModel):
    """A co-unit (配合单位) of a task with its own part of the work."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="co_units"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="co_tasks"
    )
    part = models.TextField(_("its part"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=percent_validators, editable=False
    )

    class Meta:
        verbose_name = _("co-unit")
        verbose_name_plural = _("co-units")
        ordering = ["task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="counit_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.task.government_id, unit_id=self.unit_id)


class Milestone(TrackedModel):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("planned date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task milestone")
        verbose_name_plural = _("task milestones")
        ordering = ["task", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.title}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.task.government_id, unit_id=self.task.lead_unit_id)

    @property
    def is_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_date


class TaskEvent(models.Model):
    """One step of the closed loop: who moved the task from which state to which, when and why."""

    class Action(models.TextChoices):
        ASSIGN = "assign", _("Assign")
        ACKNOWLEDGE = "acknowledge", _("Acknowledge")
        REQUEST_COMPLETION = "request_completion", _("Request completion")
        RETURN = "return", _("Return")
        CLOSE = "close", _("Close and score")
        REQUEST_POSTPONE = "request_postpone", _("Request postponement")
        REQUEST_CANCEL = "request_cancel", _("Request cancellation")
        APPROVE_REQUEST = "approve_request", _("Approve request")
        REJECT_REQUEST = "reject_request", _("Reject request")
        REPORT = "report", _("Progress report")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=Task.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=Task.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ChangeRequest(TrackedModel):
    """A request to postpone or cancel a task; the supervisor decides."""

    class Kind(models.TextChoices):
        POSTPONE = "postpone", _("Postpone")
        CANCEL = "cancel", _("Cancel")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="changerequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.get_kind_display()} · {self.get_status_display()}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.task.government_id, unit_id=self.task.lead_unit_id)


class ProgressReport(TrackedModel):
    """进展反馈: what a unit (the lead unit or a co-unit, for its part) reports on a task."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_on = models.DateField(_("reported on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), validators=percent_validators)
    text = models.TextField(_("progress"))
    problems = models.TextField(_("problems needing coordination"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit} · {self.reported_on}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.task.government_id, unit_id=self.unit_id)

    @property
    def is_late(self) -> bool:
        return self.due_on is not None and self.reported_on > self.due_on


def attachment_path(instance: Attachment, filename: str) -> str:
    """A folder per file, so two uploads of "方案.docx" never collide or overwrite."""
    return f"tasks/{instance.task_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file attached to a task: evidence for completion or part of a progress report.

    Stored under MEDIA_ROOT (outside the web root) and served only through a view that checks
    rights.
    """

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    is_evidence = models.BooleanField(_("completion evidence"), default=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["task", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.task.government_id, unit_id=self.task.lead_unit_id)


class SavedView(models.Model):
    """A user's named set of task-list filters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_task_views",
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=500)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedview_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
