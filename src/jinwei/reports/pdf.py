"""The PDF of a briefing, made by LibreOffice from the Word file where LibreOffice is installed.

Each conversion runs LibreOffice headless with a profile of its own in a temporary folder: a
shared profile is locked by whichever LibreOffice runs first (a person's, or another conversion),
and the second one then quits without converting. A conversion that hangs is killed with the
processes it started after `TIMEOUT` seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

PROGRAMS = ("soffice", "libreoffice")
TIMEOUT = 180  # seconds; a briefing converts in a few, the first start of a profile takes longer
INSTALL_HINT = "apt install libreoffice-writer-nogui"


class PdfNotMade(Exception):
    """No PDF: the message says why, in the user's language."""


def find_soffice() -> str | None:
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


def convert_to_pdf(docx_path: Path, pdf_path: Path, *, timeout: int = TIMEOUT) -> Path:
    """Convert `docx_path` and move the result to `pdf_path`; raise PdfNotMade if it cannot."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfNotMade(
            _(
                "No PDF was made: LibreOffice is not installed on this computer (neither "
                "soffice nor libreoffice is on the PATH). Install it (Debian: %(hint)s) to get "
                "PDFs; the Word file is complete without it."
            )
            % {"hint": INSTALL_HINT}
        )
    with tempfile.TemporaryDirectory(prefix="jinwei-pdf-") as folder:
        out_dir = Path(folder) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx_path),
        ]
        _run(command, timeout)
        made = out_dir / f"{docx_path.stem}.pdf"
        if not made.is_file():
            raise PdfNotMade(_("No PDF was made: LibreOffice did not write one."))
        shutil.move(made, pdf_path)
    return pdf_path


def _run(command: list[str], timeout: int) -> None:
    process = subprocess.Popen(  # noqa: S603 - our own arguments; the program was found on PATH
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a hung conversion dies whole
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise PdfNotMade(
            _("No PDF was made: LibreOffice did not finish within %(seconds)s seconds.")
            % {"seconds": timeout}
        ) from None
    if process.returncode != 0:
        detail = (err or "").strip().splitlines()[-1:] or [str(process.returncode)]
        raise PdfNotMade(
            _("No PDF was made: LibreOffice failed (%(detail)s).") % {"detail": detail[0]}
        )


def _kill(process: subprocess.Popen[str]) -> None:
    if hasattr(os, "killpg"):
        os.killpg(process.pid, signal.SIGKILL)  # the wrapper script and soffice.bin alike
    else:
        process.kill()
    process.communicate()
