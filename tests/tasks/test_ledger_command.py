"""`jinwei import_tasks FILE`: a dry run by default; --commit saves; exit 0 valid, 1 with the
problems (nothing saved), 2 when misused."""

from __future__ import annotations

import sys

import pytest
from django.core.management import CommandError, call_command

from jinwei.tasks.models import Task
from tests.indicators.import_helpers import english, xlsx
from tests.tasks.ledger_helpers import HEADER, _fixed_today, row

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__)


def run(*args: str) -> int:
    try:
        call_command("import_tasks", *args)
    except CommandError as error:
        sys.stderr.write(f"CommandError: {error}\n")
        return error.returncode
    return 0


@pytest.fixture
def good(tmp_path):
    return xlsx(tmp_path / "台账.xlsx", ("表1", [HEADER, row(), row(**{"牵头单位": "横陂镇"})]))


def test_a_dry_run_by_default_saves_nothing(cast, good, capsys):
    assert run(str(good), "--government", "440785") == 0
    out = capsys.readouterr().out
    assert "\rChecked 100%" in out
    assert out.rstrip().endswith(
        "Checked, nothing saved (add --commit to save): 2 tasks, 0 errors, 0 warnings."
    )
    assert Task.objects.count() == 0


def test_commit_saves_drafts_as_the_user(cast, good, capsys):
    assert run(str(good), "--commit", "--user", "sam", "--government", "440785") == 0
    out = capsys.readouterr().out
    assert "\rSaving the tasks" in out and "\rSaved 100%" in out
    assert out.rstrip().endswith("Saved as drafts: 2 tasks, 0 errors, 0 warnings.")
    assert list(Task.objects.values_list("state", flat=True)) == ["draft", "draft"]


def test_commit_and_assign(cast, good, capsys):
    assert run(str(good), "--commit", "--assign", "--user", "sam") == 0
    assert "Saved and assigned:" in capsys.readouterr().out
    assert set(Task.objects.values_list("state", flat=True)) == {"assigned"}


def test_an_invalid_file_lists_its_problems_and_exits_one(cast, tmp_path, capsys):
    path = xlsx(tmp_path / "bad.xlsx", ("表1", [HEADER, row(), row(**{"牵头单位": "火星镇"})]))
    assert run(str(path), "--commit", "--user", "sam") == 1
    err = capsys.readouterr().err
    assert "bad.xlsx 表1!G3（牵头单位） [error] “火星镇” is not a unit of 恩平市." in err
    assert "Nothing was saved: 1 tasks, 1 errors, 0 warnings." in err
    assert Task.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commit"], "--user"),
        (["--commit", "--user", "hank"], "may not create tasks"),
        (["--user", "nobody"], "No such user"),
        (["--government", "999999"], "999999"),
        ([], "--government"),  # two governments have units: say which
    ],
)
def test_misuse_exits_two(cast, good, capsys, args, message):
    assert run(str(good), *args) == 2
    assert message in capsys.readouterr().err
    assert Task.objects.count() == 0


def test_a_missing_file_exits_two(cast, tmp_path, capsys):
    assert run(str(tmp_path / "none.xlsx")) == 2
    assert "none.xlsx" in capsys.readouterr().err
