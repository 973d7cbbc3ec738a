"""Reads on enterprise requests, scoped to who is asking; their state and colour.

Everyone in a government reads its requests (as its tasks: the drive is run in the open); people
of another government see none. A request's state is derived from its own fields and its task's
state; its colour is the task's colour (tasks.timing) once assigned, and before that comes from
the response deadline. Lists cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import OrgUnit, Region
from jinwei.accounts.selectors import governments_for
from jinwei.enterprises.models import Enterprise, ServiceRequest
from jinwei.tasks.models import ACTIVE_STATES, Task
from jinwei.tasks.selectors import rules_by_government
from jinwei.tasks.timing import Colour, Rules, colour_q, task_timing

PAGE_SIZE = 50
# An unassigned request turns yellow this many days before its response deadline, red after it.
UNASSIGNED_DUE_SOON_DAYS = 1
COLOURS = (Colour.RED, Colour.YELLOW, Colour.GREEN)


class RequestState(StrEnum):
    NEW = "new"
    AWAITING_RESPONSE = "awaiting_response"
    IN_HAND = "in_hand"
    RESOLVED = "resolved"
    RATED = "rated"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    RequestState.NEW: _("Not yet assigned"),
    RequestState.AWAITING_RESPONSE: _("Awaiting response"),
    RequestState.IN_HAND: _("Being resolved"),
    RequestState.RESOLVED: _("Resolved, not rated"),
    RequestState.RATED: _("Resolved and rated"),
    RequestState.CANCELLED: _("Cancelled"),
}


def state_of(request: ServiceRequest) -> RequestState:
    """The request's state (its task loaded with it)."""
    task = request.task
    if task is None:
        return RequestState.NEW
    if task.state == Task.State.CANCELLED:
        return RequestState.CANCELLED
    if task.state == Task.State.CLOSED or request.resolved_on is not None:
        return RequestState.RATED if request.satisfaction is not None else RequestState.RESOLVED
    if request.responded_on is None:
        return RequestState.AWAITING_RESPONSE
    return RequestState.IN_HAND


def state_q(state: RequestState) -> Q:
    """The requests in one state, as a filter (agrees with `state_of`)."""
    active = Q(task__state__in=ACTIVE_STATES) & Q(resolved_on__isnull=True)
    resolved = Q(task__state=Task.State.CLOSED) | Q(resolved_on__isnull=False)
    match state:
        case RequestState.NEW:
            return Q(task__isnull=True)
        case RequestState.AWAITING_RESPONSE:
            return active & Q(responded_on__isnull=True)
        case RequestState.IN_HAND:
            return active & Q(responded_on__isnull=False)
        case RequestState.RESOLVED:
            return resolved & Q(satisfaction__isnull=True) & ~Q(task__state=Task.State.CANCELLED)
        case RequestState.RATED:
            return resolved & Q(satisfaction__isnull=False) & ~Q(task__state=Task.State.CANCELLED)
        case RequestState.CANCELLED:
            return Q(task__state=Task.State.CANCELLED)


def unassigned_colour(response_due: datetime.date, today: datetime.date) -> Colour:
    if today > response_due:
        return Colour.RED
    if (response_due - today).days <= UNASSIGNED_DUE_SOON_DAYS:
        return Colour.YELLOW
    return Colour.GREEN


def colour_of(request: ServiceRequest, today: datetime.date, rules: Rules) -> Colour:
    """The task's colour once assigned; before, from the response deadline."""
    task = request.task
    if task is None:
        return unassigned_colour(request.response_due, today)
    return task_timing(
        state=task.state,
        start=task.start_date,
        deadline=task.deadline,
        progress=task.progress,
        closed_on=task.closed_on,
        today=today,
        rules=rules,
    ).colour


def request_colour_q(colour: Colour, today: datetime.date, rules: Rules) -> Q:
    """The requests of one colour today (agrees with `colour_of`)."""
    soon = today + datetime.timedelta(days=UNASSIGNED_DUE_SOON_DAYS)
    unassigned = {
        Colour.RED: Q(response_due__lt=today),
        Colour.YELLOW: Q(response_due__gte=today, response_due__lte=soon),
        Colour.GREEN: Q(response_due__gt=soon),
        Colour.NONE: Q(pk__in=[]),
    }[colour]
    tasks = Task.objects.filter(colour_q(colour, today, rules)).values("pk")
    return (Q(task__isnull=True) & unassigned) | Q(task__in=tasks)


def response_overdue(request: ServiceRequest, today: datetime.date) -> bool:
    """Not answered and past the respond-by date (while still open)."""
    return (
        request.responded_on is None
        and today > request.response_due
        and state_of(request) in (RequestState.NEW, RequestState.AWAITING_RESPONSE)
    )


# --- the list -------------------------------------------------------------------------------------


def visible_requests(viewer: Any) -> QuerySet[ServiceRequest]:
    return scope_to_governments(ServiceRequest.objects.all(), viewer, "government_id")


def list_governments(viewer: Any) -> list[Region]:
    return list(governments_for(viewer).order_by("code"))


def rules_for(government_id: int) -> Rules:
    return rules_by_government([government_id])[government_id]


@dataclass(frozen=True)
class RequestFilters:
    government_id: int
    q: str = ""
    category: str = ""
    unit: int | None = None  # 0: not yet assigned
    state: str = ""
    colour: str = ""
    enterprise: int | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None


def filtered_requests(
    *, viewer: Any, filters: RequestFilters, today: datetime.date, rules: Rules
) -> QuerySet[ServiceRequest]:
    requests = visible_requests(viewer).filter(government_id=filters.government_id)
    if filters.q:
        requests = requests.filter(
            Q(title__icontains=filters.q) | Q(enterprise__name__icontains=filters.q)
        )
    if filters.category:
        requests = requests.filter(category=filters.category)
    if filters.unit == 0:
        requests = requests.filter(assigned_unit__isnull=True)
    elif filters.unit is not None:
        requests = requests.filter(assigned_unit_id=filters.unit)
    if filters.state:
        requests = requests.filter(state_q(RequestState(filters.state)))
    if filters.colour:
        requests = requests.filter(request_colour_q(Colour(filters.colour), today, rules))
    if filters.enterprise is not None:
        requests = requests.filter(enterprise_id=filters.enterprise)
    if filters.received_from:
        requests = requests.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        requests = requests.filter(received_on__lte=filters.received_to)
    return requests


def with_related(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """What a row shows, joined in the same query."""
    return requests.select_related("enterprise", "assigned_unit", "task").order_by(
        "-received_on", "-id"
    )


@dataclass(frozen=True)
class Row:
    request: ServiceRequest
    state: RequestState
    colour: Colour
    response_overdue: bool


def rows_for(requests: Iterable[ServiceRequest], today: datetime.date, rules: Rules) -> list[Row]:
    return [
        Row(r, state_of(r), colour_of(r, today, rules), response_overdue(r, today))
        for r in requests
    ]


def colour_counts(
    requests: QuerySet[ServiceRequest], today: datetime.date, rules: Rules
) -> dict[str, int]:
    """Requests per colour, in one query."""
    aggregates = {c.value: Count("pk", filter=request_colour_q(c, today, rules)) for c in COLOURS}
    return requests.order_by().aggregate(**aggregates)


def unit_choices(government_id: int) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(government_id=government_id, is_active=True)
        .only("id", "name", "kind", "order")
        .order_by("kind", "order", "name")
    )


# --- one enterprise's requests (its page) --------------------------------------------------------


def enterprise_requests(
    *, viewer: Any, enterprise: Enterprise, today: datetime.date, limit: int = 20
) -> tuple[list[Row], int]:
    """The latest requests of an enterprise, as rows, and how many it has in all."""
    requests = visible_requests(viewer).filter(enterprise=enterprise)
    rows = list(with_related(requests)[: limit + 1])
    total = len(rows) if len(rows) <= limit else requests.count()
    rules = rules_for(enterprise.government_id)
    return rows_for(rows[:limit], today, rules), total
