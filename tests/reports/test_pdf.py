"""The PDF: made by LibreOffice where it is installed; otherwise, and when LibreOffice fails or
hangs, no PDF and a message that says why."""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from pathlib import Path

import pytest
from django.utils import translation

from jinwei.reports import pdf
from jinwei.reports.docx_writer import write_docx
from jinwei.reports.fonts import font_plan
from jinwei.reports.pdf import PdfNotMade, convert_to_pdf
from tests.reports.briefing_samples import sample_document


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("word") / "简报.docx"
    write_docx(sample_document(), path, fonts=font_plan())
    return path


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for its parent to collect it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def fake_soffice(folder, body: str, monkeypatch) -> None:
    """A `soffice` on PATH that runs `body` (a shell script) instead of LibreOffice."""
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_libreoffice_converts_the_word_file(docx_file, tmp_path):
    if pdf.find_soffice() is None:
        pytest.skip("LibreOffice is not installed (Debian: apt install libreoffice-writer-nogui)")
    target = tmp_path / "out.pdf"
    assert convert_to_pdf(docx_file, target) == target
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", content)) >= 2  # the title page and the text


def test_without_libreoffice_it_says_no_pdf_was_made_and_why(docx_file, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PdfNotMade) as refused:
        convert_to_pdf(docx_file, tmp_path / "out.pdf")
    assert str(refused.value).startswith("No PDF was made: LibreOffice is not installed")
    assert "libreoffice-writer-nogui" in str(refused.value)
    assert not (tmp_path / "out.pdf").exists()


def test_a_failing_libreoffice_is_reported(docx_file, tmp_path, monkeypatch):
    failing = "echo 'Error: source file could not be loaded' >&2; exit 1"
    fake_soffice(tmp_path / "bin", failing, monkeypatch)
    with pytest.raises(PdfNotMade, match=r"LibreOffice failed \(Error: source file could not"):
        convert_to_pdf(docx_file, tmp_path / "out.pdf")


def test_a_libreoffice_that_writes_nothing_is_reported(docx_file, tmp_path, monkeypatch):
    fake_soffice(tmp_path / "bin", "exit 0", monkeypatch)
    with pytest.raises(PdfNotMade, match="did not write one"):
        convert_to_pdf(docx_file, tmp_path / "out.pdf")


def test_a_hung_libreoffice_is_killed_with_its_children(docx_file, tmp_path, monkeypatch):
    marker = tmp_path / "child.pid"
    fake_soffice(tmp_path / "bin", f"sleep 60 & echo $! > {marker}; wait", monkeypatch)
    with pytest.raises(PdfNotMade, match="did not finish within 1 seconds"):
        convert_to_pdf(docx_file, tmp_path / "out.pdf", timeout=1)
    if not Path("/proc").is_dir():
        return  # no /proc to look in; the timeout itself was checked above
    child = int(marker.read_text())
    for _ in range(50):  # SIGKILL is delivered at once; give the scheduler a moment
        if not alive(child):
            break
        time.sleep(0.05)
    assert not alive(child)


def test_each_conversion_has_its_own_profile(docx_file, tmp_path, monkeypatch):
    seen = tmp_path / "args"
    fake_soffice(tmp_path / "bin", f'echo "$@" >> {seen}; exit 1', monkeypatch)
    for _ in range(2):
        with pytest.raises(PdfNotMade):
            convert_to_pdf(docx_file, tmp_path / "out.pdf")
    first, second = seen.read_text().splitlines()
    profiles = [a for line in (first, second) for a in line.split() if "UserInstallation" in a]
    assert len(set(profiles)) == 2 and "--headless" in first
