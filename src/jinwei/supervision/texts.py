"""The words of reminders and notices, one function per kind, so the cycle, the e-mails, the
webhook and the pages say the same thing.

The texts are translated once per language into a `Book` and formatted from it: a large run of
the cycle writes hundreds of thousands of messages, and looking each one up through gettext
would cost more than everything else it does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jinwei.supervision.models import Level, Notification


@dataclass(frozen=True)
class Book:
    blue: str
    yellow: str
    red: str
    notice: str
    number: str
    due_today: str
    due_in: str
    report_today: str
    report_in: str
    unacknowledged: str
    missed: str
    notice_message: str
    reason_blue: str
    reason_yellow: str
    reason_red: str


def _translate() -> Book:
    return Book(
        blue=_("Blue supervision notice"),
        yellow=_("Yellow supervision notice"),
        red=_("Red supervision notice"),
        notice=_("Supervision notice"),
        number=_("Notice [%(year)s] No. %(serial)s"),
        due_today=_("Task %(code)s “%(title)s” is due today (%(date)s)."),
        due_in=_("Task %(code)s “%(title)s” is due on %(date)s, in %(days)s days."),
        report_today=_("The progress report on task %(code)s “%(title)s” is due today (%(date)s)."),
        report_in=_(
            "The progress report on task %(code)s “%(title)s” is due on %(date)s, in %(days)s days."
        ),
        unacknowledged=_(
            "Task %(code)s “%(title)s” was to be acknowledged by %(date)s and has not been."
        ),
        missed=_(
            "The progress report on task %(code)s “%(title)s” due on %(date)s was not submitted."
        ),
        notice_message=_(
            "%(notice)s %(number)s: task %(code)s “%(title)s” is %(days)s days past its deadline "
            "of %(date)s."
        ),
        reason_blue=_(
            "The task passed its deadline of %(date)s %(days)s days ago and is not completed "
            "(progress %(progress)s%%). The lead unit is urged to complete it without delay."
        ),
        reason_yellow=_(
            "The task passed its deadline of %(date)s %(days)s days ago and has not been "
            "completed since the blue notice (progress %(progress)s%%). The head of the lead unit "
            "is asked to see to it personally."
        ),
        reason_red=_(
            "The task passed its deadline of %(date)s %(days)s days ago and is still not "
            "completed after the yellow notice (progress %(progress)s%%). The responsible leader "
            "is asked to take charge and have it completed."
        ),
    )


_books: dict[str | None, Book] = {}


def book() -> Book:
    """The texts in the active language."""
    language = get_language()
    found = _books.get(language)
    if found is None:
        found = _books[language] = _translate()
    return found


def notice_title(level: str, *, words: Book | None = None) -> str:
    """蓝色督办 / 黄色督办 / 红色督办."""
    words = words or book()
    if level == Level.BLUE:
        return words.blue
    if level == Level.YELLOW:
        return words.yellow
    return words.red if level == Level.RED else words.notice


def notice_number(year: int, serial: int, *, words: Book | None = None) -> str:
    """督办〔2024〕12号."""
    return (words or book()).number % {"year": year, "serial": serial}


def deadline_soon(
    code: str, title: str, deadline: datetime.date, days: int, *, words: Book | None = None
) -> str:
    words = words or book()
    text = words.due_today if days <= 0 else words.due_in
    return text % {"code": code, "title": title, "date": deadline.isoformat(), "days": days}


def report_soon(
    code: str, title: str, due: datetime.date, days: int, *, words: Book | None = None
) -> str:
    words = words or book()
    text = words.report_today if days <= 0 else words.report_in
    return text % {"code": code, "title": title, "date": due.isoformat(), "days": days}


def acknowledge_overdue(
    code: str, title: str, due: datetime.date, *, words: Book | None = None
) -> str:
    return (words or book()).unacknowledged % {
        "code": code,
        "title": title,
        "date": due.isoformat(),
    }


def report_missed(code: str, title: str, due: datetime.date, *, words: Book | None = None) -> str:
    return (words or book()).missed % {"code": code, "title": title, "date": due.isoformat()}


def notice_message(
    level: str,
    number: str,
    code: str,
    title: str,
    deadline: datetime.date,
    days: int,
    *,
    words: Book | None = None,
) -> str:
    words = words or book()
    return words.notice_message % {
        "notice": notice_title(level, words=words),
        "number": number,
        "code": code,
        "title": title,
        "date": deadline.isoformat(),
        "days": days,
    }


def notice_reason(
    level: str, deadline: datetime.date, days: int, progress: int, *, words: Book | None = None
) -> str:
    words = words or book()
    if level == Level.RED:
        text = words.reason_red
    elif level == Level.YELLOW:
        text = words.reason_yellow
    else:
        text = words.reason_blue
    return text % {"date": deadline.isoformat(), "days": days, "progress": progress}


def message_for(notification: Notification) -> str:
    """A notification's text in the language of the page (the stored one is in the default)."""
    task, due, days = notification.task, notification.due_on, notification.days or 0
    if task is None or due is None:
        return notification.message
    Kind = Notification.Kind
    match notification.kind:
        case Kind.DEADLINE_SOON:
            return deadline_soon(task.code, task.title, due, days)
        case Kind.REPORT_SOON:
            return report_soon(task.code, task.title, due, days)
        case Kind.ACKNOWLEDGE_OVERDUE:
            return acknowledge_overdue(task.code, task.title, due)
        case Kind.REPORT_MISSED:
            return report_missed(task.code, task.title, due)
        case Kind.NOTICE if notification.notice is not None:
            notice = notification.notice
            return notice_message(notice.level, notice.number, task.code, task.title, due, days)
    return notification.message
