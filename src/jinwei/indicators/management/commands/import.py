"""`jinwei import FILE`: check and import observations from an Excel or CSV file.

Exit status 0 when the file is valid (and saved, unless --dry-run); 1 with every problem listed
when it is not, and nothing is saved; 2 when the command itself is misused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region, User
from jinwei.indicators.importing.commit import ImportRejected
from jinwei.indicators.importing.forms import clean_period
from jinwei.indicators.importing.pipeline import Issue, Options, Outcome
from jinwei.indicators.importing.services import (
    import_batch_commit,
    import_batch_create,
    importing_governments,
    may_import,
)
from jinwei.indicators.importing.settle import check_file
from jinwei.indicators.models import ImportBatch

USAGE_ERROR = 2
INVALID_FILE = 1


class Command(BaseCommand):
    help = _(
        "Import observations from an Excel (xlsx, xls) or CSV file: checked first, then saved "
        "all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("Check only; save nothing."))
        parser.add_argument(
            "--layout", choices=[c.value for c in ImportBatch.Layout], default="auto"
        )
        parser.add_argument("--period", default="", help=_("The period of a one-period table."))
        parser.add_argument(
            "--government", default="", help=_("Code of the government (e.g. 440785).")
        )
        parser.add_argument(
            "--user",
            default="",
            help=_("Import as this user, with their rights; without it, as the system."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=USAGE_ERROR)
        user = self._user(options["user"])
        government = self._government(options["government"], user)
        try:
            period = clean_period(options["period"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=USAGE_ERROR) from None
        settings = Options(government, user, options["layout"], period)
        outcome = self._run(path, settings, user, dry_run=options["dry_run"])
        self._summary(outcome, dry_run=options["dry_run"])

    def _run(self, path: Path, settings: Options, user: User | None, *, dry_run: bool) -> Outcome:
        if dry_run:
            outcome = check_file(path, settings, self._progress)
            self._end_progress()
            return outcome
        batch = import_batch_create(
            actor=user,
            government=settings.government,
            path=path,
            layout=settings.layout,
            period=settings.period,
        )
        try:
            outcome = import_batch_commit(actor=user, batch=batch, echo=self._progress)
        except ImportRejected as rejected:
            batch.delete()  # an invalid file leaves nothing behind
            outcome = rejected.outcome
        self._end_progress()
        return outcome

    def _user(self, username: str) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No such user: %(name)s") % {"name": username}, returncode=2)
        return user

    def _government(self, code: str, user: User | None) -> Region:
        if code:
            government = Region.objects.filter(code=code).first()
            if government is None:
                message = _("No region has the code %(code)s.") % {"code": code}
                raise CommandError(message, returncode=USAGE_ERROR)
        else:
            candidates = (
                importing_governments(user)
                if user is not None
                else list(Region.objects.filter(indicators__isnull=False).distinct())
            )
            if user is not None and not candidates:
                message = _("%(user)s may not import.") % {"user": user}
                raise CommandError(message, returncode=USAGE_ERROR)
            if len(candidates) != 1:
                message = _("Say which government the file is for: --government CODE.")
                raise CommandError(message, returncode=USAGE_ERROR)
            government = candidates[0]
        if user is not None and not may_import(user, government.pk):
            raise CommandError(
                _("%(user)s may not import for %(government)s.")
                % {"user": user, "government": government},
                returncode=USAGE_ERROR,
            )
        return government

    def _progress(self, percent: int, note: str) -> None:
        self.stdout.write(f"\r{note} {percent:3d}%", ending="")
        self.stdout.flush()

    def _end_progress(self) -> None:
        self.stdout.write("")

    def _summary(self, outcome: Outcome, *, dry_run: bool) -> None:
        for issue in outcome.sorted_issues():
            stream = self.stderr if issue.is_error else self.stdout
            stream.write(describe(issue))
        counts = outcome.counts()
        line = (
            _(
                "%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(errors)s errors, "
                "%(warnings)s warnings."
            )
            % counts
        )
        if not outcome.ok:
            raise CommandError(
                _("Nothing was saved: %(summary)s") % {"summary": line}, returncode=INVALID_FILE
            )
        verdict = _("Checked, nothing saved (dry run):") if dry_run else _("Saved:")
        self.stdout.write(f"{verdict} {line}")


def describe(issue: Issue) -> str:
    """表1!C5（地区生产总值（亿元））: message — where Excel would show it, then why."""
    place = issue.sheet
    if issue.row:
        place = f"{place}!{issue.column}{issue.row}" if issue.column else f"{place}!{issue.row}"
    if issue.header:
        place += f"（{issue.header}）"
    kind = _("error") if issue.is_error else _("warning")
    return f"{place} [{kind}] {issue.message}" if place else f"[{kind}] {issue.message}"
