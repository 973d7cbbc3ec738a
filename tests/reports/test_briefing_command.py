"""`jinwei briefing`: writes the Word file (and the PDF), prints progress and notes, and refuses
bad input with a clear message and no traceback."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from jinwei.reports import compose, fonts, pdf
from jinwei.reports.management.commands import briefing as command
from tests.reports.briefing_samples import sample_document


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def composed(monkeypatch):
    """The sample content instead of the data; records what was asked for."""
    asked: dict[str, object] = {}

    def build_document(*, government, period, today, report=None):
        asked.update(government=government, period=str(period), today=today)
        if report is not None:
            report(50, "Peer ranks")
            report(100, "Done")
        return sample_document()

    monkeypatch.setattr(compose, "build_document", build_document)
    return asked


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("briefing", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_writes_the_word_file_and_prints_progress_and_notes(cast, composed, tmp_path):
    out, _err = run("--region", "440785", "--period", "2024-09", "--out", str(tmp_path / "b.docx"))
    written = tmp_path / "b.docx"
    assert docx.Document(str(written)).paragraphs[0].text == "恩平市高质量发展简报"
    assert composed["government"] == cast.enping and composed["period"] == "2024-09"
    assert "\rPeer ranks  30%" in out and "100%" in out
    assert f"Word file: {written}" in out
    assert "Note: 本简报含示例数据。" in out
    if fonts.installed_cjk_families():
        assert "Note: Fonts named in the Word file: title 方正小标宋简体" in out
    assert not (tmp_path / "b.pdf").exists()


def test_for_cron_last_month_and_placeholders_name_the_file(cast, composed, tmp_path, monkeypatch):
    monkeypatch.setattr(command.timezone, "localdate", lambda: datetime.date(2025, 1, 10))
    template = str(tmp_path / "简报-{region}-{period}.docx")
    out, _err = run("--region", "440785", "--period", "last-month", "--out", template)
    assert composed["period"] == "2024-12"
    assert (tmp_path / "简报-440785-2024-12.docx").is_file()
    assert "简报-440785-2024-12.docx" in out


def test_without_libreoffice_the_word_file_is_written_and_no_pdf_said_why(
    cast, composed, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out, err = run(
        "--region", "440785", "--period", "2024Q3", "--out", str(tmp_path / "b.docx"), "--pdf"
    )
    assert (tmp_path / "b.docx").is_file() and not (tmp_path / "b.pdf").exists()
    assert "Warning: No PDF was made: LibreOffice is not installed" in err
    assert "PDF:" not in out


def test_with_libreoffice_the_pdf_lies_beside_the_word_file(cast, composed, tmp_path):
    if pdf.find_soffice() is None:
        pytest.skip("LibreOffice is not installed (Debian: apt install libreoffice-writer-nogui)")
    out, err = run(
        "--region", "440785", "--period", "2024", "--out", str(tmp_path / "b.docx"), "--pdf"
    )
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF-")
    assert f"PDF: {tmp_path / 'b.pdf'}" in out and "No PDF" not in err


def test_no_cjk_font_is_a_warning_on_stderr(cast, composed, tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "installed_cjk_families", lambda: ())
    monkeypatch.setattr(fonts, "matplotlib_cjk_families", lambda: ())
    _out, err = run("--region", "440785", "--period", "2024-09", "--out", str(tmp_path / "b.docx"))
    assert "Warning: No Chinese (CJK) font is installed on this computer" in err
    assert (tmp_path / "b.docx").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "999999", "--period", "2024-09"], "No region has the code 999999."),
        (["--region", "440785", "--period", "2024-13"], "Not a period: 2024-13. Write 2024-09"),
        (["--region", "440785", "--period", "soon"], "Not a period: soon."),
    ],
)
def test_bad_region_or_period_is_refused(cast, composed, tmp_path, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        run(*args, "--out", str(tmp_path / "b.docx"))
    assert refused.value.returncode == command.USAGE_ERROR
    assert not composed and not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("no-such-folder/b.docx", "the folder .* does not exist"),
        ("b.pdf", "The output file must end in .docx"),
    ],
)
def test_an_unwritable_path_is_refused_before_any_work(cast, composed, tmp_path, out, message):
    with pytest.raises(CommandError, match=message):
        run("--region", "440785", "--period", "2024-09", "--out", str(tmp_path / out))
    assert not composed


def test_a_write_failure_is_an_error_not_a_traceback(cast, composed, tmp_path):
    (tmp_path / "b.docx").mkdir()  # a folder where the file should go
    with pytest.raises(CommandError, match=r"Cannot write .*b\.docx"):
        run("--region", "440785", "--period", "2024-09", "--out", str(tmp_path / "b.docx"))


def test_the_command_line_prints_the_error_without_a_traceback(cast, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        command.Command().run_from_argv(
            ["jinwei", "briefing", "--skip-checks", "--region", "999999", "--period", "2024-09"]
        )
    assert exit_.value.code == command.USAGE_ERROR
    err = capsys.readouterr().err
    assert "No region has the code 999999." in err and "Traceback" not in err


def test_it_writes_the_briefing_from_the_data(cast, tmp_path):
    """End to end, with the real content: the government's parts, whatever data it has."""
    path: Path = tmp_path / "b.docx"
    run("--region", "440785", "--period", "2024-09", "--out", str(path))
    word = docx.Document(str(path))
    assert word.paragraphs[0].text == "恩平市高质量发展简报"
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"]
