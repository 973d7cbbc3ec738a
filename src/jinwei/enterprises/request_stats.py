"""How well enterprise requests are served, by unit and by category, for requests received in a
period: how many; response and resolution times in working days (mean, median); the share
answered and resolved on time; the mean satisfaction.

Three queries whatever the number of requests: the requests' dates (one row each), the units'
names, and the calendar's exceptions over the span. `summarise` is plain arithmetic on those.

Rules of the counts: a response or resolution is measured once it happened; its on-time rate is
out of the requests that were answered (resolved) or whose deadline has passed, so a request
still within its time counts neither way. A cancelled request counts in the totals and, if it was
answered, in the response figures; never in the resolution figures.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.enterprises.models import ServiceRequest
from jinwei.enterprises.request_selectors import visible_requests
from jinwei.enterprises.workdays import load_calendar
from jinwei.tasks.models import Task

Between = Callable[[datetime.date, datetime.date], int]


@dataclass(frozen=True)
class Record:
    """One request's dates, as the statistics need them."""

    unit_id: int | None
    category: str
    received_on: datetime.date
    response_due: datetime.date
    resolution_due: datetime.date
    responded_on: datetime.date | None
    resolved_on: datetime.date | None
    satisfaction: int | None
    cancelled: bool = False


@dataclass(frozen=True)
class Figures:
    label: str
    count: int
    responded: int
    response_mean: float | None  # working days
    response_median: float | None
    response_on_time: float | None  # percent
    resolved: int
    resolution_mean: float | None
    resolution_median: float | None
    resolution_on_time: float | None
    rated: int
    satisfaction_mean: float | None


def _mean(values: list[int]) -> float | None:
    return statistics.fmean(values) if values else None


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _rate(on_time: int, out_of: int) -> float | None:
    return on_time * 100 / out_of if out_of else None


def summarise(
    label: str, records: Iterable[Record], between: Between, today: datetime.date
) -> Figures:
    """The figures of a group of requests; `between` counts working days in (a, b]."""
    records = list(records)
    responses = [r for r in records if r.responded_on is not None]
    response_days = [between(r.received_on, r.responded_on) for r in responses if r.responded_on]
    response_due = [r for r in records if r.responded_on is not None or r.response_due < today]
    response_due = [r for r in response_due if r.responded_on is not None or not r.cancelled]
    answered_in_time = sum(
        1 for r in response_due if r.responded_on is not None and r.responded_on <= r.response_due
    )
    resolutions = [r for r in records if r.resolved_on is not None]
    resolution_days = [between(r.received_on, r.resolved_on) for r in resolutions if r.resolved_on]
    resolution_due = [
        r
        for r in records
        if r.resolved_on is not None or (r.resolution_due < today and not r.cancelled)
    ]
    resolved_in_time = sum(
        1 for r in resolution_due if r.resolved_on is not None and r.resolved_on <= r.resolution_due
    )
    ratings = [r.satisfaction for r in records if r.satisfaction is not None]
    return Figures(
        label=label,
        count=len(records),
        responded=len(responses),
        response_mean=_mean(response_days),
        response_median=_median(response_days),
        response_on_time=_rate(answered_in_time, len(response_due)),
        resolved=len(resolutions),
        resolution_mean=_mean(resolution_days),
        resolution_median=_median(resolution_days),
        resolution_on_time=_rate(resolved_in_time, len(resolution_due)),
        rated=len(ratings),
        satisfaction_mean=_mean(ratings),
    )


@dataclass(frozen=True)
class RequestStatistics:
    government: Region
    start: datetime.date
    end: datetime.date
    today: datetime.date
    total: Figures
    by_unit: list[Figures]
    by_category: list[Figures]


FIELDS = (
    "assigned_unit_id",
    "category",
    "received_on",
    "response_due",
    "resolution_due",
    "responded_on",
    "resolved_on",
    "task__closed_on",
    "task__state",
    "satisfaction",
)


def _records(rows: Iterable[tuple[Any, ...]]) -> list[Record]:
    records = []
    for unit, category, received, r_due, s_due, responded, resolved, closed, state, rating in rows:
        if resolved is None and state == Task.State.CLOSED:
            resolved = closed  # closed on the task's page: resolved that day
        records.append(
            Record(
                unit_id=unit,
                category=category,
                received_on=received,
                response_due=r_due,
                resolution_due=s_due,
                responded_on=responded,
                resolved_on=resolved,
                satisfaction=rating,
                cancelled=state == Task.State.CANCELLED,
            )
        )
    return records


def _between(government_id: int, records: list[Record]) -> Between:
    """Working-day counts on the calendar of the whole span, loaded once."""
    dates = [r.received_on for r in records]
    dates += [d for r in records for d in (r.responded_on, r.resolved_on) if d is not None]
    if not dates:
        return lambda a, b: 0
    calendar = load_calendar(government_id, min(dates), max(dates))
    return calendar.between


def request_statistics(
    *,
    viewer: Any,
    government: Region,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> RequestStatistics:
    """The figures of the requests received from `start` to `end`, in total, by unit and by
    category (groups without requests are left out)."""
    rows = (
        visible_requests(viewer)
        .filter(government=government, received_on__range=(start, end))
        .order_by()
        .values_list(*FIELDS)
    )
    records = _records(rows)
    between = _between(government.pk, records)
    by_unit: dict[int | None, list[Record]] = defaultdict(list)
    by_category: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_unit[record.unit_id].append(record)
        by_category[record.category].append(record)
    units = OrgUnit.objects.filter(pk__in=[u for u in by_unit if u is not None]).order_by(
        "kind", "order", "name"
    )
    unit_figures = [summarise(u.name, by_unit[u.pk], between, today) for u in units]
    if None in by_unit:
        unit_figures.append(summarise(_("Not yet assigned"), by_unit[None], between, today))
    category_figures = [
        summarise(str(label), by_category[value], between, today)
        for value, label in ServiceRequest.Category.choices
        if value in by_category
    ]
    return RequestStatistics(
        government=government,
        start=start,
        end=end,
        today=today,
        total=summarise(_("All requests"), records, between, today),
        by_unit=unit_figures,
        by_category=category_figures,
    )
