"""Working days on a government's holiday calendar: Monday to Friday, except the holidays that
fall on weekdays, plus the weekend days worked instead (调休).

`WorkCalendar` is pure arithmetic over the exceptions of a span of dates; the two database
functions load those exceptions in one query per call (or per further span, for a count that
runs past the first one), so a deadline costs a bounded number of queries however far it lies.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jinwei.enterprises.models import CalendarDay

ONE_DAY = datetime.timedelta(days=1)
# Long holidays (Spring Festival, 国庆) stop at most nine days in a row; this margin covers them.
SPAN_MARGIN_DAYS = 31


def is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


def weekdays_between(a: datetime.date, b: datetime.date) -> int:
    """Monday-to-Friday days in (a, b] (negative when b is before a), without a calendar."""
    if b < a:
        return -weekdays_between(b, a)
    weeks, extra = divmod((b - a).days, 7)
    count = weeks * 5
    day = a + datetime.timedelta(days=weeks * 7)
    for _ in range(extra):
        day += ONE_DAY
        count += not is_weekend(day)
    return count


@dataclass(frozen=True)
class WorkCalendar:
    """The exceptions of one government's calendar within [start, end] (dates outside follow
    the plain Monday-to-Friday week)."""

    start: datetime.date
    end: datetime.date
    exceptions: Mapping[datetime.date, bool] = field(default_factory=dict)  # date → is_workday
    _dates: tuple[datetime.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_dates", tuple(sorted(self.exceptions)))

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return not is_weekend(day)

    def add(self, start: datetime.date, n: int) -> datetime.date | None:
        """The n-th working day after `start` (`start` itself for 0); None when the count runs
        past the span, so the caller loads more."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n > 0:
            day += ONE_DAY
            if day > self.end:
                return None
            n -= self.is_workday(day)
        return day

    def between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days in (a, b]: 0 on the same day, 1 the next working day; negative when b
        is before a. Dates outside the span count as plain weekdays."""
        if b < a:
            return -self.between(b, a)
        count = weekdays_between(a, b)
        low = bisect.bisect_right(self._dates, a)
        high = bisect.bisect_right(self._dates, b)
        for day in self._dates[low:high]:
            if self.exceptions[day] and is_weekend(day):
                count += 1
            elif not self.exceptions[day] and not is_weekend(day):
                count -= 1
        return count


def load_calendar(government_id: int, start: datetime.date, end: datetime.date) -> WorkCalendar:
    """The government's exceptions from `start` to `end`, in one query."""
    rows: Iterable[tuple[datetime.date, bool]] = CalendarDay.objects.filter(
        government_id=government_id, date__range=(start, end)
    ).values_list("date", "is_workday")
    return WorkCalendar(start=start, end=end, exceptions=dict(rows))


def span_for(n: int) -> datetime.timedelta:
    """Calendar days that surely hold n working days (seven per five, plus the margin)."""
    return datetime.timedelta(days=n * 7 // 5 + SPAN_MARGIN_DAYS)


def add_working_days(government_id: int, start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` on the government's calendar (`start` for n = 0)."""
    end = start + span_for(n)
    calendar = load_calendar(government_id, start, end)
    result = calendar.add(start, n)
    while result is None:  # a calendar with very long holidays: count on from where it stopped
        done = calendar.between(start, end)
        start, n = end, n - done
        end = start + span_for(n)
        calendar = load_calendar(government_id, start + ONE_DAY, end)
        result = calendar.add(start, n)
    return result


def working_days_between(government_id: int, a: datetime.date, b: datetime.date) -> int:
    """Working days in (a, b]: how many working days after `a` the day `b` is."""
    low, high = min(a, b), max(a, b)
    return load_calendar(government_id, low, high).between(a, b)
