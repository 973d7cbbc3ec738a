"""The creating half of the reminder cycle, for one government: what is due, who hears of it.

Everything is set-based. The government's active tasks are read once, as tuples, and sorted into
the kinds of reminder in memory; the keys of the notifications that exist already are read once
per kind, for the dates concerned only; the new rows go in with one bulk insert. No query runs
per task, so a cycle over 100,000 tasks costs the same handful of queries as over ten.

- reminders `remind_before_days` before a deadline (lead unit) and a report date (lead unit and
  co-units), once per date;
- an acknowledgement overdue (assigned, `acknowledge_by` passed), once per date;
- a missed report (`next_report_due` passed): notified, then counted by the tasks app
  (`record_missed_reports`), which moves the task on to its next report date;
- the escalation ladder of an overdue task: a blue notice to the lead unit from the first day, a
  yellow one to its head after `escalate_head_days`, a red one to the responsible leader after
  `escalate_leader_days`; each level once per deadline, never skipping a lower one.

Only tasks the units must act on are reminded and escalated (assigned, in progress): a request
for completion waits for the supervisor, not for them.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from django.db.models import Count, F, Max, Q
from django.utils import timezone

from jinwei.accounts.models import Membership, OrgUnit, Region
from jinwei.supervision import texts
from jinwei.supervision.bulk import db_value, insert_rows
from jinwei.supervision.models import Level, Notification, SupervisionNotice
from jinwei.tasks.access import ACTING_ROLES_EXCLUDED
from jinwei.tasks.models import ACTIVE_STATES, CoUnit, Task, TaskRules
from jinwei.tasks.services import record_missed_reports, task_rules_row

Kind = Notification.Kind
WORKING_STATES = frozenset({Task.State.ASSIGNED, Task.State.IN_PROGRESS})
NOTIFICATION_COLUMNS = (
    "recipient_id", "government_id", "task_id", "notice_id", "kind", "level", "message", "key",
    "due_on", "days", "created_at",
)  # fmt: skip
NOTICE_COLUMNS = (
    "government_id", "task_id", "level", "year", "serial", "deadline", "issued_on",
    "days_overdue", "addressed_to", "addressed_unit_id", "leader_id", "issuing_unit_id", "reason",
    "created_at",
)  # fmt: skip
ID_CHUNK = 5000  # ids per IN list, well under SQLite's limit of query variables
ADDRESSED_TO: dict[str, str] = {
    Level.BLUE: SupervisionNotice.AddressedTo.UNIT,
    Level.YELLOW: SupervisionNotice.AddressedTo.HEAD,
    Level.RED: SupervisionNotice.AddressedTo.LEADER,
}


class Row(NamedTuple):
    """One active task, as the cycle reads it."""

    id: int
    state: str
    lead_unit_id: int
    leader_id: int | None
    supervising_unit_id: int | None
    deadline: datetime.date
    next_report_due: datetime.date | None
    acknowledge_by: datetime.date | None
    progress: int
    code: str
    title: str


ROW_FIELDS = Row._fields


@dataclass
class People:
    """Who works in each unit of a government: acting staff, and heads."""

    staff: dict[int, list[int]] = field(default_factory=dict)
    heads: dict[int, list[int]] = field(default_factory=dict)

    def staff_of(self, unit_id: int) -> list[int]:
        return self.staff.get(unit_id, [])

    def heads_of(self, unit_id: int) -> list[int]:
        """The unit's heads; its staff when no head is marked, so the notice reaches someone."""
        return self.heads.get(unit_id) or self.staff_of(unit_id)


def people_of(government_id: int) -> People:
    staff: dict[int, set[int]] = defaultdict(set)
    heads: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        unit__government_id=government_id, unit__is_active=True, user__is_active=True
    ).values_list("unit_id", "user_id", "role", "is_head")
    for unit_id, user_id, role, is_head in rows:
        if role not in ACTING_ROLES_EXCLUDED:
            staff[unit_id].add(user_id)
        if is_head:
            heads[unit_id].add(user_id)
    return People(
        staff={unit: sorted(users) for unit, users in staff.items()},
        heads={unit: sorted(users) for unit, users in heads.items()},
    )


@dataclass
class Created:
    """What one government's pass created (or, in a dry run, would create)."""

    notifications: Counter[str] = field(default_factory=Counter)
    notices: Counter[str] = field(default_factory=Counter)
    missed_reports: int = 0
    tasks_checked: int = 0


class Event(NamedTuple):
    """Something to tell some people about one task, once per `key`."""

    task_id: int
    key: str
    recipients: Sequence[int]
    due_on: datetime.date
    days: int
    message: Callable[[], str]  # only called when someone is told
    level: str = Level.INFO
    notice_id: int | None = None


@dataclass
class Pass:
    """One government's pass: its rules, its people, and the rows to insert."""

    government: Region
    today: datetime.date
    rules: TaskRules
    people: People
    now: datetime.datetime = field(default_factory=timezone.now)
    words: texts.Book = field(default_factory=texts.book)
    pending: list[tuple[Any, ...]] = field(default_factory=list)  # NOTIFICATION_COLUMNS
    created: Created = field(default_factory=Created)

    def within(self, days: int) -> datetime.date:
        return self.today + datetime.timedelta(days=days)

    def notify(self, kind: str, events: list[Event]) -> None:
        """Queue a notification per recipient of each event whose key is new.

        An event is told once, to the people concerned at the time: someone who joins a unit
        later does not receive its old reminders.
        """
        if not events:
            return
        first, last = min(e.due_on for e in events), max(e.due_on for e in events)
        told = existing_keys(kind, first, last)
        government_id, now, pending = self.government.pk, db_value(self.now), self.pending
        for event in events:
            if event.key in told or not event.recipients:
                continue
            told.add(event.key)
            message, due_on = event.message(), event.due_on.isoformat()
            recipients = list(dict.fromkeys(event.recipients))
            for user_id in recipients:
                pending.append(
                    (user_id, government_id, event.task_id, event.notice_id, kind, event.level,
                     message, event.key, due_on, event.days, now)
                )  # fmt: skip
            self.created.notifications[kind] += len(recipients)


def event_key(kind: str, day: datetime.date, task_id: int, *more: str) -> str:
    """The name of an event: kind, then date, then task (e.g. `report_missed:2024-08-05:12`),
    so the keys of one kind and span of dates are one range of the unique index."""
    return ":".join((kind, day.isoformat(), str(task_id), *more))


def existing_keys(kind: str, first: datetime.date, last: datetime.date) -> set[str]:
    """The keys of the events of one kind, with dates in [first, last], already told (read from
    the unique index on (key, recipient) alone)."""
    rows = Notification.objects.filter(
        key__gte=f"{kind}:{first.isoformat()}:", key__lt=f"{kind}:{last.isoformat()};"
    )
    return set(rows.order_by().values_list("key", flat=True).distinct())


def rows_concerned(government_id: int, today: datetime.date, rules: TaskRules) -> list[Row]:
    """The active tasks something may be due for today: a deadline or report date passed or
    near, or an acknowledgement late. The others (most tasks, on a normal day) are not read."""
    near = today + datetime.timedelta(days=rules.remind_before_days)
    tasks = Task.objects.filter(government_id=government_id, state__in=ACTIVE_STATES).filter(
        Q(deadline__lte=near)
        | Q(next_report_due__lte=near)
        | Q(state=Task.State.ASSIGNED, acknowledge_by__lt=today)
    )
    return [Row(*values) for values in tasks.order_by().values_list(*ROW_FIELDS)]


def run_pass(government: Region, today: datetime.date) -> Created:
    """Create every reminder and notice due today in one government (inside the caller's
    transaction); returns the counts."""
    work = Pass(
        government=government,
        today=today,
        rules=task_rules_row(government.pk),
        people=people_of(government.pk),
    )
    work.created.tasks_checked = Task.objects.filter(
        government_id=government.pk, state__in=ACTIVE_STATES
    ).count()
    rows = rows_concerned(government.pk, today, work.rules)
    # missed reports first: counting them moves the tasks to their next report date, which is
    # then reminded of in this same run
    rows = missed_reports(work, rows)
    working = [row for row in rows if row.state in WORKING_STATES]
    deadline_reminders(work, working)
    report_reminders(work, working)
    acknowledgements_overdue(work, working)
    escalate(work, working)
    # in key order, so the unique index on (recipient, key) fills from left to right
    work.pending.sort(key=lambda row: (row[0], row[7]))
    insert_rows(Notification._meta.db_table, NOTIFICATION_COLUMNS, work.pending)
    return work.created


def missed_reports(work: Pass, rows: list[Row]) -> list[Row]:
    """Notify the lead unit of each report date passed without a report, have the tasks app
    count it, and return the rows with their new report dates."""
    missed = [r for r in rows if r.next_report_due is not None and r.next_report_due < work.today]
    work.notify(
        Kind.REPORT_MISSED,
        [
            Event(
                task_id=row.id,
                key=event_key(Kind.REPORT_MISSED, due, row.id),
                recipients=work.people.staff_of(row.lead_unit_id),
                due_on=due,
                days=(work.today - due).days,
                message=partial(texts.report_missed, row.code, row.title, due, words=work.words),
                level=Level.BLUE,
            )
            for row in missed
            if (due := row.next_report_due) is not None
        ],
    )
    if not missed:
        return rows
    moved: dict[int, datetime.date | None] = {}
    ids = sorted(row.id for row in missed)
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        work.created.missed_reports += record_missed_reports(work.today, task_ids=chunk)
        moved.update(Task.objects.filter(pk__in=chunk).values_list("id", "next_report_due"))
    return [row._replace(next_report_due=moved[row.id]) if row.id in moved else row for row in rows]


def deadline_reminders(work: Pass, rows: list[Row]) -> None:
    until = work.within(work.rules.remind_before_days)
    work.notify(
        Kind.DEADLINE_SOON,
        [
            Event(
                task_id=row.id,
                key=event_key(Kind.DEADLINE_SOON, row.deadline, row.id),
                recipients=work.people.staff_of(row.lead_unit_id),
                due_on=row.deadline,
                days=(days := (row.deadline - work.today).days),
                message=partial(
                    texts.deadline_soon, row.code, row.title, row.deadline, days, words=work.words
                ),
            )
            for row in rows
            if work.today <= row.deadline <= until
        ],
    )


def report_reminders(work: Pass, rows: list[Row]) -> None:
    """The lead unit and every co-unit report; each hears of the date once."""
    until = work.within(work.rules.remind_before_days)
    due = [
        row
        for row in rows
        if row.next_report_due is not None and work.today <= row.next_report_due <= until
    ]
    co_units = co_units_of([row.id for row in due])
    events = []
    for row in due:
        report_due = row.next_report_due
        if report_due is None:  # excluded above; for the type checker
            continue
        units = (row.lead_unit_id, *co_units.get(row.id, ()))
        days = (report_due - work.today).days
        events.append(
            Event(
                task_id=row.id,
                key=event_key(Kind.REPORT_SOON, report_due, row.id),
                recipients=[user for unit in units for user in work.people.staff_of(unit)],
                due_on=report_due,
                days=days,
                message=partial(
                    texts.report_soon, row.code, row.title, report_due, days, words=work.words
                ),
            )
        )
    work.notify(Kind.REPORT_SOON, events)


def co_units_of(task_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(task_ids), ID_CHUNK):
        chunk = task_ids[start : start + ID_CHUNK]
        for task_id, unit_id in (
            CoUnit.objects.filter(task_id__in=chunk).order_by().values_list("task_id", "unit_id")
        ):
            found[task_id].append(unit_id)
    return found


def acknowledgements_overdue(work: Pass, rows: list[Row]) -> None:
    work.notify(
        Kind.ACKNOWLEDGE_OVERDUE,
        [
            Event(
                task_id=row.id,
                key=event_key(Kind.ACKNOWLEDGE_OVERDUE, due, row.id),
                recipients=work.people.staff_of(row.lead_unit_id),
                due_on=due,
                days=(work.today - due).days,
                message=partial(
                    texts.acknowledge_overdue, row.code, row.title, due, words=work.words
                ),
                level=Level.BLUE,
            )
            for row in rows
            if row.state == Task.State.ASSIGNED
            and (due := row.acknowledge_by) is not None
            and due < work.today
        ],
    )


# --- the escalation ladder --------------------------------------------------------------------


def levels_due(days_overdue: int, rules: TaskRules) -> list[str]:
    """The notice levels a task this many days overdue should have, lowest first."""
    if days_overdue < 1:
        return []
    levels: list[str] = [Level.BLUE]
    if days_overdue >= max(1, rules.escalate_head_days):
        levels.append(Level.YELLOW)
    if days_overdue >= max(1, rules.escalate_leader_days):
        levels.append(Level.RED)
    return levels


class NewNotice(NamedTuple):
    row: Row
    level: str
    serial: int
    days: int


def escalate(work: Pass, rows: list[Row]) -> None:
    """Issue the notices due today, numbered in order, and notify their addressees."""
    overdue = sorted(
        (row for row in rows if row.deadline < work.today), key=lambda r: (r.deadline, r.id)
    )
    issued = issued_notices(work.government.pk)
    office = supervision_office(work.government.pk)
    year = work.today.year
    serial = first = next_serial(work.government.pk, year)
    notices: list[NewNotice] = []
    for row in overdue:
        days = (work.today - row.deadline).days
        for level in levels_due(days, work.rules)[issued.get(row.id, 0) :]:
            notices.append(NewNotice(row, level, serial, days))
            serial += 1
    if not notices:
        return
    today, now = work.today.isoformat(), db_value(work.now)
    insert_rows(
        SupervisionNotice._meta.db_table,
        NOTICE_COLUMNS,
        [
            (work.government.pk, n.row.id, n.level, year, n.serial, n.row.deadline.isoformat(),
             today, n.days, ADDRESSED_TO[n.level], n.row.lead_unit_id,
             n.row.leader_id if n.level == Level.RED else None,
             n.row.supervising_unit_id or office,
             texts.notice_reason(n.level, n.row.deadline, n.days, n.row.progress, words=work.words),
             now)
            for n in notices
        ],
    )  # fmt: skip
    for notice in notices:
        work.created.notices[notice.level] += 1
    told = [(n, people) for n in notices if (people := notice_recipients(n, work.people))]
    if not told:
        return
    ids = dict(
        SupervisionNotice.objects.filter(
            government_id=work.government.pk, year=year, serial__gte=first
        ).values_list("serial", "id")
    )
    work.notify(
        Kind.NOTICE,
        [
            Event(
                task_id=n.row.id,
                key=event_key(Kind.NOTICE, n.row.deadline, n.row.id, n.level),
                recipients=people,
                due_on=n.row.deadline,
                days=n.days,
                message=partial(
                    texts.notice_message,
                    n.level,
                    texts.notice_number(year, n.serial, words=work.words),
                    n.row.code,
                    n.row.title,
                    n.row.deadline,
                    n.days,
                    words=work.words,
                ),
                level=n.level,
                notice_id=ids[n.serial],
            )
            for n, people in told
        ],
    )


def issued_notices(government_id: int) -> dict[int, int]:
    """How many notices each task at work has for its current deadline (a prefix of the ladder:
    notices are issued in order)."""
    return dict(
        SupervisionNotice.objects.filter(
            government_id=government_id,
            deadline=F("task__deadline"),
            task__state__in=WORKING_STATES,
        )
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"))
        .values_list("task_id", "n")
    )


def notice_recipients(notice: NewNotice, people: People) -> list[int]:
    unit_id = notice.row.lead_unit_id
    if notice.level == Level.BLUE:
        return people.staff_of(unit_id)
    if notice.level == Level.YELLOW:
        return people.heads_of(unit_id)
    leader = notice.row.leader_id
    return [leader] if leader else people.heads_of(unit_id)


def next_serial(government_id: int, year: int) -> int:
    top = SupervisionNotice.objects.filter(government_id=government_id, year=year).aggregate(
        top=Max("serial")
    )["top"]
    return (top or 0) + 1


def supervision_office(government_id: int) -> int | None:
    """The government's supervision office, which issues notices for tasks that name none."""
    return (
        OrgUnit.objects.filter(
            government_id=government_id, kind=OrgUnit.Kind.SUPERVISION, is_active=True
        )
        .order_by("order", "id")
        .values_list("id", flat=True)
        .first()
    )
