"""`jinwei briefing --region 440785 --period 2024-09 --out FILE.docx [--pdf]`: write the briefing.

For cron: `--period last-month` is the calendar month before today, and `--out` may hold
`{region}` (the region's code) and `{period}` (e.g. 2024-09), so one crontab line writes a new
file each month. Exit status 0 when the Word file was written (a PDF that could not be made is
a warning: the Word file is the briefing); 2 when the command is misused.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.lib.periods import Period, PeriodError, last_month, parse_period
from jinwei.reports.writing import Written, write_briefing

USAGE_ERROR = 2
LAST_MONTH = "last-month"
DEFAULT_OUT = "briefing-{region}-{period}.docx"


class Command(BaseCommand):
    help = _(
        "Write the briefing of a region for a period as a Word file (and a PDF where "
        "LibreOffice is installed), from the data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help=_("Code of the region (e.g. 440785)."))
        parser.add_argument(
            "--period",
            required=True,
            help=_("2024-09, 2024Q3, 2024, or last-month (the calendar month before today)."),
        )
        parser.add_argument(
            "--out",
            default=DEFAULT_OUT,
            help=_(
                "The Word file to write; {region} and {period} are replaced by the region's "
                "code and the period (default: %(default)s)."
            ),
        )
        parser.add_argument(
            "--pdf", action="store_true", help=_("Also make a PDF beside it (needs LibreOffice).")
        )

    _width = 0  # of the longest progress line so far

    def handle(self, *args: Any, **options: Any) -> None:
        region = _region(options["region"])
        period = _period(options["period"])
        out = _out_path(options["out"], region, period)
        try:
            written = write_briefing(
                government=region,
                period=period,
                today=timezone.localdate(),
                docx_path=out,
                pdf=options["pdf"],
                report=self._progress,
            )
        except OSError as error:
            self.stdout.write("")
            message = _("Cannot write %(path)s: %(reason)s") % {
                "path": out,
                "reason": error.strerror or error,
            }
            raise CommandError(message, returncode=USAGE_ERROR) from None
        self.stdout.write("")
        self._summary(written)

    def _progress(self, percent: int, note: str) -> None:
        line = f"{note} {percent:3d}%"
        self.stdout.write(f"\r{line.ljust(self._width)}", ending="")  # cover a longer note
        self.stdout.flush()
        self._width = max(self._width, len(line))

    def _summary(self, written: Written) -> None:
        self.stdout.write(_("Word file: %(path)s") % {"path": written.docx.resolve()})
        if written.pdf is not None:
            self.stdout.write(_("PDF: %(path)s") % {"path": written.pdf.resolve()})
        for warning in written.warnings:
            self.stderr.write(self.style.WARNING(_("Warning: %(text)s") % {"text": warning}))
        for note in written.notes:
            self.stdout.write(_("Note: %(text)s") % {"text": note})


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        message = _("No region has the code %(code)s.") % {"code": code}
        raise CommandError(message, returncode=USAGE_ERROR)
    return region


def _period(text: str) -> Period:
    if text.strip().lower() == LAST_MONTH:
        return last_month(timezone.localdate())
    try:
        return parse_period(text)
    except PeriodError:
        message = _(
            "Not a period: %(text)s. Write 2024-09 (a month), 2024Q3 (a quarter), 2024 (a year) "
            "or last-month."
        ) % {"text": text}
        raise CommandError(message, returncode=USAGE_ERROR) from None


def _out_path(template: str, region: Region, period: Period) -> Path:
    """The file to write, placeholders filled; refused before any work if it cannot be."""
    path = Path(template.replace("{region}", region.code).replace("{period}", str(period)))
    if path.suffix.lower() != ".docx":
        message = _("The output file must end in .docx: %(path)s") % {"path": path}
        raise CommandError(message, returncode=USAGE_ERROR)
    folder = path.parent.resolve()
    if not folder.is_dir():
        message = _("Cannot write %(path)s: the folder %(folder)s does not exist.") % {
            "path": path,
            "folder": folder,
        }
        raise CommandError(message, returncode=USAGE_ERROR)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        message = _("Cannot write %(path)s: permission denied.") % {"path": path}
        raise CommandError(message, returncode=USAGE_ERROR)
    return path
