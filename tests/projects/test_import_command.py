"""`jinwei import_projects FILE`: a dry run by default with a progress line; --commit saves;
exit 0 valid, 1 with the problems (nothing saved), 2 when misused."""

from __future__ import annotations

import sys

import pytest
from django.core.management import CommandError, call_command

from jinwei.projects.models import InvestmentReport, Project
from tests.indicators.import_helpers import english, xlsx
from tests.projects.import_helpers import (
    PROJECT_HEADER,
    REPORT_HEADER,
    _fixed_today,
    places,
    project,
    report,
    stored_project,
)

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__, places.__name__)


def run(*args: str) -> int:
    try:
        call_command("import_projects", *args)
    except CommandError as error:
        sys.stderr.write(f"CommandError: {error}\n")
        return error.returncode
    return 0


@pytest.fixture
def good(tmp_path):
    return xlsx(
        tmp_path / "项目.xlsx",
        ("重点项目", [PROJECT_HEADER, project(), project(**{"项目编号": "XM-002"})]),
        ("月度报告", [REPORT_HEADER, report()]),
    )


def test_a_dry_run_by_default_saves_nothing(cast, good, capsys):
    assert run(str(good), "--government", "440785") == 0
    out = capsys.readouterr().out
    assert "\rChecked 100%" in out
    assert out.rstrip().endswith(
        "Checked, nothing saved (add --commit to save): projects: 2 new, 0 changed, "
        "0 unchanged; monthly reports: 1 new, 0 changed, 0 unchanged; 0 errors, 0 warnings."
    )
    assert Project.objects.count() == 0


def test_commit_saves_as_the_user_with_a_progress_line(cast, good, capsys):
    assert run(str(good), "--commit", "--user", "ivy") == 0
    out = capsys.readouterr().out
    assert "\rSaving" in out and "\rSaved 100%" in out
    assert "Saved: projects: 2 new" in out
    assert (
        Project.objects.count() == 2
        and InvestmentReport.objects.get().reported_by.username == "ivy"
    )


def test_an_invalid_file_lists_its_problems_and_exits_one(cast, tmp_path, capsys):
    path = xlsx(
        tmp_path / "bad.xlsx",
        (
            "重点项目",
            [PROJECT_HEADER, project(), project(**{"项目编号": "B", "牵头单位": "火星镇"})],
        ),
    )
    assert run(str(path), "--commit", "--user", "sam") == 1
    err = capsys.readouterr().err
    assert "bad.xlsx 重点项目!H3（牵头单位） [error] “火星镇” is not a unit of 恩平市." in err
    assert "Nothing was saved: projects: 1 new" in err
    assert Project.objects.count() == 0


def test_unit_staff_commit_their_reports_but_not_others(cast, tmp_path, capsys):
    stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    path = xlsx(tmp_path / "月报.xlsx", ("月报", [REPORT_HEADER, report(**{"项目编号": "EC-1"})]))
    assert run(str(path), "--commit", "--user", "hank") == 1
    assert "only its staff and the managers report on it" in capsys.readouterr().err
    assert run(str(path), "--commit", "--user", "eve") == 0
    assert InvestmentReport.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commit"], "--user"),
        (["--commit", "--user", "vic"], "--government"),  # no government where vic may import
        (["--commit", "--user", "vic", "--government", "440785"], "may not import"),
        (["--user", "nobody"], "No such user"),
        (["--government", "999999"], "999999"),
        ([], "--government"),  # two governments have units: say which
    ],
)
def test_misuse_exits_two(cast, good, capsys, args, message):
    assert run(str(good), *args) == 2
    assert message in capsys.readouterr().err
    assert Project.objects.count() == 0


def test_a_missing_file_exits_two(cast, tmp_path, capsys):
    assert run(str(tmp_path / "none.xlsx")) == 2
    assert "No such file" in capsys.readouterr().err
