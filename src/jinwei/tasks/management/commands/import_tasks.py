"""`jinwei import_tasks FILE`: check a task ledger (台账); with --commit, save its tasks as drafts.

A dry run by default. Exit status 0 when the file is valid (and saved, with --commit); 1 with
every problem listed when it is not, and nothing is saved; 2 when the command itself is misused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region, User
from jinwei.tasks import ledger

USAGE_ERROR = 2
INVALID_FILE = 1


class Command(BaseCommand):
    help = _(
        "Check a task ledger (Excel or CSV) and, with --commit, save its tasks as drafts, "
        "all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commit", action="store_true", help=_("Save the tasks (without it: check only).")
        )
        parser.add_argument(
            "--assign", action="store_true", help=_("With --commit: also assign every task.")
        )
        parser.add_argument(
            "--government", default="", help=_("Code of the government (e.g. 440785).")
        )
        parser.add_argument(
            "--user",
            default="",
            help=_("Login of the supervisor who creates the tasks (needed with --commit)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=USAGE_ERROR)
        user = self._user(options["user"], required=options["commit"])
        government = self._government(options["government"], user)
        if options["commit"]:
            try:
                outcome = ledger.commit_file(
                    path,
                    actor=user,
                    government=government,
                    assign=options["assign"],
                    report=self._progress,
                )
            except ledger.LedgerRejected as rejected:
                outcome = rejected.outcome
        else:
            outcome = ledger.check_file(path, government=government, report=self._progress)
        self.stdout.write("")
        self._summary(outcome, path.name, committed=options["commit"])

    def _user(self, username: str, *, required: bool) -> User | None:
        if not username:
            if required:
                message = _("Say who creates the tasks: --user LOGIN (a supervisor).")
                raise CommandError(message, returncode=USAGE_ERROR)
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            message = _("No such user: %(name)s") % {"name": username}
            raise CommandError(message, returncode=USAGE_ERROR)
        return user

    def _government(self, code: str, user: User | None) -> Region:
        if code:
            government = Region.objects.filter(code=code).first()
            if government is None:
                message = _("No region has the code %(code)s.") % {"code": code}
                raise CommandError(message, returncode=USAGE_ERROR)
        else:
            candidates = list(Region.objects.filter(units__isnull=False).distinct())
            if user is not None:
                candidates = [g for g in candidates if ledger.may_import(user, g.pk)]
                if not candidates:
                    message = _("%(user)s may not create tasks.") % {"user": user}
                    raise CommandError(message, returncode=USAGE_ERROR)
            if len(candidates) != 1:
                message = _("Say which government the ledger is for: --government CODE.")
                raise CommandError(message, returncode=USAGE_ERROR)
            government = candidates[0]
        if user is not None and not ledger.may_import(user, government.pk):
            raise CommandError(
                _("%(user)s may not create tasks for %(government)s.")
                % {"user": user, "government": government},
                returncode=USAGE_ERROR,
            )
        return government

    def _progress(self, percent: int, note: str) -> None:
        self.stdout.write(f"\r{note} {percent:3d}%", ending="")
        self.stdout.flush()

    def _summary(self, outcome: ledger.LedgerOutcome, filename: str, *, committed: bool) -> None:
        for issue in outcome.sorted_issues():
            stream = self.stderr if issue.is_error else self.stdout
            stream.write(ledger.describe(issue, filename))
        counts = outcome.counts()
        line = _("%(rows)s tasks, %(errors)s errors, %(warnings)s warnings.") % counts
        if not outcome.ok:
            raise CommandError(
                _("Nothing was saved: %(summary)s") % {"summary": line}, returncode=INVALID_FILE
            )
        if committed:
            verdict = _("Saved and assigned:") if outcome.assigned else _("Saved as drafts:")
        else:
            verdict = _("Checked, nothing saved (add --commit to save):")
        self.stdout.write(f"{verdict} {line}")
