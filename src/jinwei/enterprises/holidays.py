"""Writes on the holiday calendar: one day at a time, or a list of dates pasted from the State
Council's notice (all or nothing). Managers of enterprise service (supervisors, admins,
investment staff) keep it.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.audit.services import tracked_create, tracked_delete, tracked_update
from jinwei.enterprises.models import CalendarDay
from jinwei.enterprises.workdays import is_weekend
from jinwei.projects.access import may_manage

MAX_IMPORT_DAYS = 400
RANGE_SEPARATORS = re.compile(r"\s*(?:\.\.|~|～|至|—|--)\s*")
ITEM_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _require_manager(actor: Any, government_id: int) -> None:
    if not may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only supervisors, admins and investment staff keep the calendar.")
        )


def _check_kind(day: datetime.date, is_workday: bool) -> None:
    """A working day on a weekday is no exception: most likely a holiday was meant."""
    if is_workday and not is_weekend(day):
        raise ValidationError(
            {
                "date": _(
                    "%(date)s is a weekday, which is a working day already; only a Saturday or "
                    "Sunday can be marked as worked."
                )
                % {"date": day.isoformat()}
            }
        )


@transaction.atomic
def calendar_day_save(
    *,
    actor: Any,
    government: Region,
    date: datetime.date,
    is_workday: bool,
    name: str = "",
) -> CalendarDay:
    """Mark a date as a holiday or a worked weekend day (replacing what it was)."""
    _require_manager(actor, government.pk)
    _check_kind(date, is_workday)
    name = name.strip()
    existing = CalendarDay.objects.filter(government=government, date=date).first()
    if existing is None:
        day = CalendarDay(government=government, date=date, is_workday=is_workday, name=name)
        return tracked_create(actor=actor, obj=day)
    return tracked_update(
        actor=actor,
        obj=existing,
        changes={"is_workday": is_workday, "name": name},
        expected_version=None,
    )


@transaction.atomic
def calendar_day_delete(*, actor: Any, day: CalendarDay) -> None:
    """Back to the plain week: a weekday works, a weekend day rests."""
    _require_manager(actor, day.government_id)
    tracked_delete(actor=actor, obj=day, expected_version=None)


def parse_dates(text: str) -> list[datetime.date]:
    """Dates and ranges ("2024-10-01..2024-10-07", "2024-10-01~10-07") separated by commas,
    spaces or lines; every malformed item is named in one error."""
    days: set[datetime.date] = set()
    problems: list[str] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        line = RANGE_SEPARATORS.sub("..", line.strip())
        for item in filter(None, ITEM_SEPARATORS.split(line)):
            try:
                days.update(_expand(item))
            except ValueError:
                problems.append(
                    _("line %(line)s: “%(item)s” is not a date (YYYY-MM-DD) or a range of dates")
                    % {"line": line_number, "item": item}
                )
    if problems:
        raise ValidationError({"dates": problems})
    if not days:
        raise ValidationError({"dates": _("Give at least one date.")})
    if len(days) > MAX_IMPORT_DAYS:
        raise ValidationError(
            {"dates": _("At most %(max)s days at a time.") % {"max": MAX_IMPORT_DAYS}}
        )
    return sorted(days)


def _expand(item: str) -> list[datetime.date]:
    if ".." not in item:
        return [datetime.date.fromisoformat(item)]
    first_text, last_text = item.split("..", 1)
    first = datetime.date.fromisoformat(first_text)
    if len(last_text) == 5:  # "10-07": the year of the first date
        last_text = f"{first.year}-{last_text}"
    last = datetime.date.fromisoformat(last_text)
    if last < first or (last - first).days >= MAX_IMPORT_DAYS:
        raise ValueError(item)
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


@transaction.atomic
def calendar_import(
    *, actor: Any, government: Region, text: str, is_workday: bool, name: str = ""
) -> list[CalendarDay]:
    """Mark every listed date the same way; nothing is saved if one date is wrong."""
    _require_manager(actor, government.pk)
    dates = parse_dates(text)
    if is_workday:
        weekdays = [d.isoformat() for d in dates if not is_weekend(d)]
        if weekdays:
            raise ValidationError(
                {
                    "dates": _(
                        "These dates are weekdays, which are working days already; only "
                        "Saturdays and Sundays can be marked as worked: %(dates)s"
                    )
                    % {"dates": ", ".join(weekdays)}
                }
            )
    return [
        calendar_day_save(
            actor=actor, government=government, date=d, is_workday=is_workday, name=name
        )
        for d in dates
    ]
