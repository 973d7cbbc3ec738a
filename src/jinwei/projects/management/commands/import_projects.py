"""`jinwei import_projects FILE`: check a file of key projects and monthly investment reports;
with --commit, save it all or nothing.

A dry run by default. Exit status 0 when the file is valid (and saved, with --commit); 1 with
every problem listed when it is not, and nothing is saved; 2 when the command itself is misused.
Without --user the check has every right; --commit needs the user who saves (a manager for
projects, a unit's staff for their unit's reports).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region, User
from jinwei.projects.importing.check import check_file, may_import_reports
from jinwei.projects.importing.commit import ImportRejected, commit_file
from jinwei.projects.importing.rows import ImportOutcome
from jinwei.tasks.ledger import describe

USAGE_ERROR = 2
INVALID_FILE = 1


class Command(BaseCommand):
    help = _(
        "Check a file of key projects and monthly investment reports (Excel or CSV) and, with "
        "--commit, save it, all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commit", action="store_true", help=_("Save the file (without it: check only).")
        )
        parser.add_argument(
            "--government", default="", help=_("Code of the government (e.g. 440785).")
        )
        parser.add_argument(
            "--user",
            default="",
            help=_("Login of the person who saves the file (needed with --commit)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=USAGE_ERROR)
        user = self._user(options["user"], required=options["commit"])
        government = self._government(options["government"], user)
        if options["commit"]:
            try:
                outcome = commit_file(
                    path, actor=user, government=government, report=self._progress
                )
            except ImportRejected as rejected:
                outcome = rejected.outcome
        else:
            outcome = check_file(path, government=government, actor=user, report=self._progress)
        self.stdout.write("")
        self._summary(outcome, path.name, committed=options["commit"])

    def _user(self, username: str, *, required: bool) -> User | None:
        if not username:
            if required:
                message = _("Say who saves the file: --user LOGIN.")
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
                candidates = [g for g in candidates if may_import_reports(user, g.pk)]
            if len(candidates) != 1:
                message = _("Say which government the file is for: --government CODE.")
                raise CommandError(message, returncode=USAGE_ERROR)
            government = candidates[0]
        if user is not None and not may_import_reports(user, government.pk):
            raise CommandError(
                _("%(user)s may not import projects or reports for %(government)s.")
                % {"user": user, "government": government},
                returncode=USAGE_ERROR,
            )
        return government

    def _progress(self, percent: int, note: str) -> None:
        self.stdout.write(f"\r{note} {percent:3d}%", ending="")
        self.stdout.flush()

    def _summary(self, outcome: ImportOutcome, filename: str, *, committed: bool) -> None:
        for issue in outcome.sorted_issues():
            stream = self.stderr if issue.is_error else self.stdout
            stream.write(describe(issue, filename))
        line = (
            _(
                "projects: %(projects_new)s new, %(projects_changed)s changed, "
                "%(projects_unchanged)s unchanged; monthly reports: %(reports_new)s new, "
                "%(reports_changed)s changed, %(reports_unchanged)s unchanged; "
                "%(errors)s errors, %(warnings)s warnings."
            )
            % outcome.counts()
        )
        if not outcome.ok:
            raise CommandError(
                _("Nothing was saved: %(summary)s") % {"summary": line}, returncode=INVALID_FILE
            )
        verdict = _("Saved:") if committed else _("Checked, nothing saved (add --commit to save):")
        self.stdout.write(f"{verdict} {line}")
