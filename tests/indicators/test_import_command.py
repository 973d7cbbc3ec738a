"""`jinwei import FILE`: exit 0 when valid (and saved unless --dry-run), 1 with the problems,
2 when misused."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from jinwei.audit.models import AuditEntry
from jinwei.indicators.models import ImportBatch, Observation
from tests.indicators.import_helpers import LONG_HEADER, english, gdp, xlsx

pytestmark = pytest.mark.usefixtures(english.__name__)
ROWS = [
    LONG_HEADER,
    ["GDP", "恩平", 2023, "251.3", "5.1", ""],
    ["GDP", "台山", 2023, "547.4", "", ""],
]


def run(*args: str) -> int:
    """What `jinwei import …` exits with. call_command, because the real entry point closes the
    database connection when it ends (the test's, on PostgreSQL); it prints errors the same way."""
    try:
        call_command("import", *args)
    except CommandError as error:
        sys.stderr.write(f"CommandError: {error}\n")
        return error.returncode
    return 0


def test_the_console_script_exits_with_the_commands_status(tmp_path):
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "jinwei.cli", "import", str(tmp_path / "missing.xlsx")],
        capture_output=True,
        text=True,
        env=os.environ | {"JINWEI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        check=False,
    )
    assert result.returncode == 2
    assert "missing.xlsx" in result.stderr


def test_a_valid_file_is_saved_and_exits_zero(cast, tmp_path, capsys):
    gdp(cast)
    path = xlsx(tmp_path / "gdp.xlsx", ("表1", ROWS))
    assert run(str(path), "--user", "tom") == 0
    out = capsys.readouterr().out
    assert "\rChecking values" in out and "\rSaved 100%" in out
    assert out.rstrip().endswith("Saved: 2 new, 0 changed, 0 unchanged, 0 errors, 0 warnings.")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_by, batch.filename) == (
        "committed",
        cast.statistician,
        "gdp.xlsx",
    )
    assert set(Observation.objects.values_list("batch", "value")) == {
        (batch.pk, Decimal("251.3")), (batch.pk, Decimal("547.4")),
    }  # fmt: skip
    assert run(str(path), "--user", "tom") == 0
    assert (
        capsys.readouterr()
        .out.rstrip()
        .endswith("0 new, 0 changed, 2 unchanged, 0 errors, 0 warnings.")
    )


def test_a_dry_run_saves_nothing(cast, tmp_path, capsys):
    gdp(cast)
    path = xlsx(tmp_path / "gdp.xlsx", ("表1", ROWS))
    assert run(str(path), "--dry-run") == 0
    assert "Checked, nothing saved (dry run): 2 new" in capsys.readouterr().out
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()


def test_an_invalid_file_lists_the_problems_and_exits_one(cast, tmp_path, capsys):
    gdp(cast)
    rows = [*ROWS, ["GDP", "开平", 2023, "1", "", ""], ["GDP", "恩平", 2022, "abc", "", ""]]
    path = xlsx(tmp_path / "bad.xlsx", ("数据", rows))
    entries = AuditEntry.objects.count()
    for dry_run in ([], ["--dry-run"]):
        assert run(str(path), *dry_run) == 1
        err = capsys.readouterr().err
        assert "数据!B4（地区） [error] Unknown region or unit “开平”." in err
        assert "数据!D5（数值） [error] “abc” is not a number." in err
        assert "Nothing was saved: 2 new, 0 changed, 0 unchanged, 2 errors, 0 warnings." in err
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_the_layout_and_period_options(cast, tmp_path, capsys):
    gdp(cast)
    path = xlsx(
        tmp_path / "cross.xlsx", ("表1", [["地区", "地区生产总值（亿元）"], ["恩平", 251.3]])
    )
    assert run(str(path), "--dry-run") == 1
    assert "There is no column for Period" in capsys.readouterr().err
    assert run(str(path), "--layout", "cross", "--period", "2023年") == 0
    assert Observation.objects.get().period == "2023"


def test_a_unit_user_is_held_to_their_rights(cast, tmp_path, capsys):
    gdp(cast)
    path = xlsx(tmp_path / "gdp.xlsx", ("表1", ROWS))
    assert run(str(path), "--user", "eve") == 1
    assert "You may not import 地区生产总值: it belongs to 统计局." in capsys.readouterr().err
    assert run(str(path), "--user", "vic") == 2
    assert "观察员 may not import." in capsys.readouterr().err
    assert run(str(path), "--user", "vic", "--government", "440785") == 2
    assert "观察员 may not import for 恩平市." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.xlsx"], "No such file"),
        (["{path}", "--user", "nobody"], "No such user: nobody"),
        (["{path}", "--government", "999999"], "No region has the code 999999."),
        (["{path}", "--period", "soon"], "“soon” is not a period"),
    ],
)
def test_misuse_exits_two(cast, tmp_path, capsys, args, message):
    gdp(cast)
    path = xlsx(tmp_path / "gdp.xlsx", ("表1", ROWS))
    assert run(*(a.format(path=path) for a in args)) == 2
    assert message in capsys.readouterr().err


def test_the_government_must_be_said_when_there_are_several(cast, tmp_path, capsys):
    from tests.factories import OrgUnitFactory

    gdp(cast)
    gdp(cast, owner_unit=OrgUnitFactory(government=cast.taishan))
    path = xlsx(tmp_path / "gdp.xlsx", ("表1", ROWS))
    assert run(str(path)) == 2
    assert "--government CODE" in capsys.readouterr().err
    assert run(str(path), "--government", "440785") == 0
