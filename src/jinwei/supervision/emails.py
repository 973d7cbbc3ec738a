"""The plain-text e-mails of the cycle: the daily digest and the alert of new reminders.

Written in Python rather than with templates: the first run of a large government sends a
digest to everyone at once, and a template with a loop per list costs far more per e-mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jinwei.supervision.digests import Digest, Section, Unread


def _link(site: str, task_id: int | None) -> str:
    if not site or task_id is None:
        return ""
    return " " + site + reverse("tasks:detail", kwargs={"task_id": task_id})


def _more(count: int) -> list[str]:
    return [_("… and %(count)s more.") % {"count": count}] if count > 0 else []


def _section(heading: str, section: Section, date_label: str, site: str) -> list[str]:
    if not section.count:
        return []
    lines = ["", heading % {"count": section.count}]
    for line in section.lines:
        when = f"{date_label} {line.date.isoformat()}"
        lines.append(f"- {line.code} {line.title} ({when}){_link(site, line.task_id)}")
    return lines + _more(section.more)


def _unread(messages: Sequence[Unread], count: int, site: str) -> list[str]:
    lines = [f"- {n.message}{_link(site, n.task_id)}" for n in messages]
    return lines + _more(count - len(messages))


def _footer(text: str, site: str) -> list[str]:
    link = f" {site}{reverse('supervision:notifications')}" if site else ""
    return ["", text + link, ""]


def digest_text(digest: Digest, today: date, site: str) -> str:
    lines = [
        _("Hello %(name)s, here is your supervision digest for %(date)s.")
        % {"name": digest.user, "date": today.isoformat()}
    ]
    if digest.unread_count:
        lines += ["", _("Unread notifications: %(count)s") % {"count": digest.unread_count}]
        lines += _unread(digest.unread, digest.unread_count, site)
    deadline, report = _("deadline"), _("report due")
    lines += _section(_("Overdue tasks of your unit: %(count)s"), digest.overdue, deadline, site)
    lines += _section(_("Tasks of your unit due soon: %(count)s"), digest.due_soon, deadline, site)
    lines += _section(
        _("Progress reports due or overdue: %(count)s"), digest.reports_due, report, site
    )
    lines += _section(
        _("Overdue tasks you are responsible for as leader: %(count)s"),
        digest.leading_overdue,
        deadline,
        site,
    )
    if digest.awaiting_review or digest.pending_requests:
        lines += [
            "",
            _(
                "Waiting for the supervising office: %(reviews)s completion requests to review, "
                "%(requests)s postponement or cancellation requests to decide."
            )
            % {"reviews": digest.awaiting_review, "requests": digest.pending_requests},
        ]
    footer = _("This digest is sent once a day when there is something to report.")
    return "\n".join(lines + _footer(footer, site))


def alerts_text(user: Any, messages: Sequence[Unread], count: int, site: str) -> str:
    lines = [_("Hello %(name)s,") % {"name": user}, "", _("New supervision reminders:")]
    lines += _unread(messages, count, site)
    return "\n".join(lines + _footer(_("All your notifications are in jinwei."), site))
