"""The daily digest: what each person must know today, read for everyone at once.

For each person: their unread notifications (the newest few, and how many), and the work of the
units they act for: overdue tasks, tasks due soon, progress reports due, the overdue tasks they
are responsible for as leader, and for the supervising office the completion and change requests
waiting for it. Each list holds the first few lines and the full count; the database ranks the
lines (a window function per unit), so a digest of 100,000 tasks reads a few hundred rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from jinwei.accounts.access import MANAGING_ROLES
from jinwei.accounts.models import Membership, User
from jinwei.supervision.models import Notification
from jinwei.tasks.access import ACTING_ROLES_EXCLUDED
from jinwei.tasks.models import ChangeRequest, CoUnit, Task
from jinwei.tasks.services import task_rules_row

LINES = 20  # per list
WORKING_STATES = (Task.State.ASSIGNED, Task.State.IN_PROGRESS)


class TaskLine(NamedTuple):
    date: datetime.date
    code: str
    title: str
    task_id: int


class Unread(NamedTuple):
    pk: int
    message: str
    task_id: int | None


@dataclass
class Section:
    lines: list[TaskLine] = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass
class Digest:
    user: User
    unread: list[Unread] = field(default_factory=list)
    unread_count: int = 0
    overdue: Section = field(default_factory=Section)
    due_soon: Section = field(default_factory=Section)
    reports_due: Section = field(default_factory=Section)
    leading_overdue: Section = field(default_factory=Section)
    awaiting_review: int = 0
    pending_requests: int = 0

    @property
    def task_count(self) -> int:
        sections = (self.overdue, self.due_soon, self.reports_due, self.leading_overdue)
        return sum(section.count for section in sections)

    @property
    def is_empty(self) -> bool:
        return not (
            self.unread_count or self.task_count or self.awaiting_review or self.pending_requests
        )


# Per unit (or leader): the first lines and the count of one list.
Ranked = dict[int, Section]


def digests_for(
    users: Sequence[User], government_ids: Sequence[int], today: datetime.date
) -> dict[int, Digest]:
    digests = {user.pk: Digest(user=user) for user in users}
    if not digests:
        return digests
    _add_unread(digests)
    units_of: dict[int, set[int]] = defaultdict(set)
    managed_by: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id, role, government_id in Membership.objects.filter(
        user_id__in=list(digests), unit__government_id__in=government_ids, unit__is_active=True
    ).values_list("user_id", "unit_id", "role", "unit__government_id"):
        if role not in ACTING_ROLES_EXCLUDED:
            units_of[user_id].add(unit_id)
        if role in MANAGING_ROLES:
            managed_by[user_id].add(government_id)
    units = sorted({unit for units in units_of.values() for unit in units})
    overdue, soon, reports = _unit_work(units, government_ids, today)
    for user_id, user_units in units_of.items():
        digest = digests[user_id]
        digest.overdue = _merge(overdue, user_units)
        digest.due_soon = _merge(soon, user_units)
        digest.reports_due = _merge(reports, user_units)
    leading = _ranked(
        Task.objects.filter(
            government_id__in=government_ids,
            state__in=WORKING_STATES,
            leader_id__in=list(digests),
            deadline__lt=today,
        ),
        "leader_id",
        "deadline",
    )
    for leader_id, section in leading.items():
        digests[leader_id].leading_overdue = section
    _add_reviews(digests, managed_by)
    return digests


def _add_unread(digests: dict[int, Digest]) -> None:
    unread = Notification.objects.filter(recipient_id__in=list(digests), read_at__isnull=True)
    counts = unread.order_by().values("recipient_id").annotate(n=Count("id"))
    for user_id, n in counts.values_list("recipient_id", "n"):
        digests[user_id].unread_count = n
        newest = unread.filter(recipient_id=user_id).order_by("-id")[:LINES]
        rows = newest.values_list("id", "message", "task_id")
        digests[user_id].unread = [Unread(*row) for row in rows]


def _unit_work(
    units: list[int], government_ids: Sequence[int], today: datetime.date
) -> tuple[Ranked, Ranked, Ranked]:
    overdue: Ranked = {}
    soon: Ranked = {}
    reports: Ranked = {}
    if not units:
        return overdue, soon, reports
    for government_id in government_ids:
        rules = task_rules_row(government_id)
        working = Task.objects.filter(government_id=government_id, state__in=WORKING_STATES)
        mine = working.filter(lead_unit_id__in=units)
        overdue.update(_ranked(mine.filter(deadline__lt=today), "lead_unit_id", "deadline"))
        horizon = today + datetime.timedelta(days=rules.due_soon_days)
        soon.update(
            _ranked(
                mine.filter(deadline__gte=today, deadline__lte=horizon), "lead_unit_id", "deadline"
            )
        )
        report_by = today + datetime.timedelta(days=rules.remind_before_days)
        lead = _ranked(
            mine.filter(next_report_due__lte=report_by), "lead_unit_id", "next_report_due"
        )
        co = _ranked(
            CoUnit.objects.filter(
                unit_id__in=units,
                task__government_id=government_id,
                task__state__in=WORKING_STATES,
                task__next_report_due__lte=report_by,
            ),
            "unit_id",
            "task__next_report_due",
            task="task__",
        )
        for unit in set(lead) | set(co):
            reports[unit] = _combine([lead.get(unit, Section()), co.get(unit, Section())])
    return overdue, soon, reports


def _ranked(rows: QuerySet[Any], owner: str, date: str, task: str = "") -> Ranked:
    """Per `owner`: the first LINES rows by `date`, and how many rows there are."""
    found: Ranked = defaultdict(Section)
    rows = rows.order_by()
    for owner_id, n in rows.values(owner).annotate(n=Count("pk")).values_list(owner, "n"):
        found[owner_id].count = n
    order = [F(date).asc(), F(f"{task}code").asc()]
    ranked = rows.annotate(rank=Window(RowNumber(), partition_by=[F(owner)], order_by=order))
    for owner_id, day, code, title, task_id in (
        ranked.filter(rank__lte=LINES)
        .values_list(owner, date, f"{task}code", f"{task}title", f"{task}id")
        .order_by(owner, date, f"{task}code")
    ):
        found[owner_id].lines.append(TaskLine(day, code, title, task_id))
    return dict(found)


def _merge(ranked: Ranked, units: set[int]) -> Section:
    """The lists of several units as one (most people work in one unit: its list as it is)."""
    if len(units) == 1:
        return ranked.get(next(iter(units)), Section())
    return _combine(ranked[unit] for unit in units if unit in ranked)


def _combine(sections: Iterable[Section]) -> Section:
    sections = list(sections)
    lines = sorted({line for section in sections for line in section.lines})
    return Section(lines=lines[:LINES], count=sum(section.count for section in sections))


def _add_reviews(digests: dict[int, Digest], managed_by: dict[int, set[int]]) -> None:
    governments = {gov for govs in managed_by.values() for gov in govs}
    if not governments:
        return
    reviews = dict(
        Task.objects.filter(government_id__in=governments, state=Task.State.COMPLETION_REQUESTED)
        .order_by()
        .values("government_id")
        .annotate(n=Count("id"))
        .values_list("government_id", "n")
    )
    requests = dict(
        ChangeRequest.objects.filter(
            task__government_id__in=governments, status=ChangeRequest.Status.PENDING
        )
        .order_by()
        .values("task__government_id")
        .annotate(n=Count("id"))
        .values_list("task__government_id", "n")
    )
    for user_id, govs in managed_by.items():
        digests[user_id].awaiting_review = sum(reviews.get(gov, 0) for gov in govs)
        digests[user_id].pending_requests = sum(requests.get(gov, 0) for gov in govs)
