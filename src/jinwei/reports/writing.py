"""From the data to the files: the one path the command line and the page both take.

The content comes from `compose.build_document`; the Word file names the official fonts; the
PDF is made from a copy that names the fonts installed here (LibreOffice can only draw those).
What the output must say — fonts replaced or missing, no PDF and why — comes back as notes.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.lib.periods import Period
from jinwei.reports import compose
from jinwei.reports.document import Document
from jinwei.reports.docx_writer import figure_pngs, write_docx
from jinwei.reports.fonts import FontPlan, font_plan
from jinwei.reports.pdf import PdfNotMade, convert_to_pdf

Report = Callable[[int, str], None]
COMPOSE_SHARE = 60  # per cent of the progress bar: gathering the figures and writing sentences


@dataclass
class Written:
    docx: Path
    pdf: Path | None = None
    notes: list[str] = field(default_factory=list)  # worth knowing
    warnings: list[str] = field(default_factory=list)  # something is missing: say it loudly


def _quiet(percent: int, note: str) -> None:
    """The default report: nobody is watching."""


def write_briefing(
    *,
    government: Region,
    period: Period,
    today: datetime.date,
    docx_path: Path,
    pdf: bool,
    report: Report = _quiet,
) -> Written:
    """Compose the briefing and write the Word file (and the PDF when asked and possible)."""

    def composing(percent: int, note: str) -> None:
        report(percent * COMPOSE_SHARE // 100, note)

    report(0, _("Gathering the figures"))
    document = compose.build_document(
        government=government, period=period, today=today, report=composing
    )
    return write_files(document, docx_path, pdf=pdf, report=report)


def write_files(
    document: Document, docx_path: Path, *, pdf: bool, report: Report = _quiet
) -> Written:
    plan = font_plan()
    written = Written(docx_path, notes=list(document.notes))
    written.notes.extend(plan.notes())
    written.warnings.extend(plan.warnings())
    report(COMPOSE_SHARE, _("Drawing the charts"))
    pictures = figure_pngs(document, plan.chart)
    report(80, _("Writing the Word file"))
    write_docx(document, docx_path, fonts=plan.as_official(), pictures=pictures)
    if pdf:
        report(85, _("Making the PDF"))
        try:
            written.pdf = _pdf(document, docx_path, plan, pictures)
        except PdfNotMade as reason:
            written.warnings.append(str(reason))
    report(100, _("Done"))
    return written


def _pdf(document: Document, docx_path: Path, plan: FontPlan, pictures: list[bytes]) -> Path:
    """LibreOffice converts a copy that names the fonts installed here; the PDF goes beside the
    Word file under the same name."""
    with tempfile.TemporaryDirectory(prefix="jinwei-briefing-") as folder:
        source = Path(folder) / docx_path.name
        write_docx(document, source, fonts=plan, pictures=pictures)
        return convert_to_pdf(source, docx_path.with_suffix(".pdf"))
