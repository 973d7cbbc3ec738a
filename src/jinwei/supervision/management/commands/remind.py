"""`jinwei remind`: one reminder cycle (督办) — reminders, escalation notices, e-mails, webhook.

Meant for cron, e.g. every morning at 7 (`0 7 * * * jinwei remind`), and safe to run as often as
one likes: a second run the same day creates and sends nothing new.

Exit status 0 when the cycle ran (failed deliveries are counted and retried by the next run),
2 when the command is misused (bad date, unknown government).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.supervision.services import UnknownGovernment, run_remind_cycle

USAGE_ERROR = 2


class Command(BaseCommand):
    help = _(
        "Run the supervision cycle: reminders before deadlines and report dates, overdue "
        "acknowledgements and reports, the escalation notices, e-mails, the webhook and the "
        "daily digest. Safe to run repeatedly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", default="", help=_("The day to run for, YYYY-MM-DD (default: today).")
        )
        parser.add_argument(
            "--government",
            default="",
            help=_("Only this government, by its administrative code (default: all)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Show what would be created; save and send nothing."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_date(options["date"])
        try:
            summary = run_remind_cycle(
                today=today,
                government=options["government"] or None,
                progress=self.progress,
                dry_run=options["dry_run"],
            )
        except UnknownGovernment as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            _("Done in %(seconds).1f s for %(date)s.")
            % {"seconds": summary.seconds, "date": summary.today.isoformat()}
        )

    def progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        message = _("--date: “%(value)s” is not a date of the form YYYY-MM-DD.") % {"value": text}
        raise CommandError(message, returncode=USAGE_ERROR) from None
