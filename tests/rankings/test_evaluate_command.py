"""`jinwei evaluate FILE`: the engine's result for a csv or xlsx table; 1 with the problems
(row and column) when the file cannot be evaluated, 2 when the command is misused."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jinwei.rankings import engine

HEADER = ["地区", "GDP", "能耗", "专利"]
DIRECTION = ["direction", "max", "min", "正向"]
BODY = [
    ["恩平", "251.3", "0.52", "12"],
    ["台山", "547.4", "0.61", "20"],
    ["开平", "430.1", "0.48", "15"],
    ["鹤山", "380.0", "0.55", "9"],
]
X = np.array([[float(v) for v in row[1:]] for row in BODY])
BENEFIT = [True, False, True]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run(*args: str) -> tuple[int, str, str]:
    """Exit status, output and error of `jinwei evaluate …` (call_command: the same parser and
    handler as the console script, whose exit status is checked once below)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("evaluate", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def evaluated(path: Path, *options: str) -> dict[str, Any]:
    status, out, err = run(str(path), "--format", "json", *options)
    assert status == 0, err
    return json.loads(out)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "table.csv", [HEADER, DIRECTION, *BODY])


# ------------------------------------------------------------------------------ the result


def test_json_is_the_engines_result_to_the_last_bit(table: Path) -> None:
    document = evaluated(table, "--normalize", "vector", "--weights", "entropy",
                         "--aggregate", "topsis")  # fmt: skip
    expected = engine.evaluate(
        X, BENEFIT, normalize="vector", weighting="entropy", aggregate="topsis"
    )
    assert list(document) == ["weights", "scores", "ranks"]
    assert document["weights"] == dict(zip(HEADER[1:], expected.weights.tolist(), strict=True))
    assert list(document["scores"].values()) == expected.scores.score.tolist()  # exact floats
    assert document["ranks"] == {"恩平": 4, "台山": 1, "开平": 2, "鹤山": 3}
    assert list(document["ranks"].values()) == expected.ranks.astype(int).tolist()


def test_defaults_are_minmax_entropy_cn_and_weighted_sum(table: Path) -> None:
    expected = engine.evaluate(X, BENEFIT, normalize="minmax", weighting="entropy-cn")
    assert list(evaluated(table)["scores"].values()) == expected.scores.score.tolist()


def test_vikor_gives_q_lower_is_better_with_s_and_r(table: Path) -> None:
    document = evaluated(table, "--aggregate", "vikor")
    expected = engine.evaluate(X, BENEFIT, weighting="entropy-cn", aggregate="vikor")
    assert list(document) == ["weights", "scores", "ranks", "S", "R"]
    assert list(document["scores"].values()) == expected.scores.score.tolist()
    assert list(document["S"].values()) == expected.scores.extra["S"].tolist()
    assert list(document["R"].values()) == expected.scores.extra["R"].tolist()
    best = min(document["scores"], key=document["scores"].get)
    assert document["ranks"][best] == 1


def test_given_weights_are_used_as_given(table: Path) -> None:
    document = evaluated(table, "--weights", "given", "--weight-values", "0.2,0.3,0.5")
    assert document["weights"] == {"GDP": 0.2, "能耗": 0.3, "专利": 0.5}
    expected = engine.evaluate(X, BENEFIT, weighting="given", given_weights=[0.2, 0.3, 0.5])
    assert list(document["scores"].values()) == expected.scores.score.tolist()


def test_target_normalisation_takes_the_targets(table: Path) -> None:
    document = evaluated(table, "--normalize", "target", "--targets", "500,0.5,18")
    expected = engine.evaluate(
        X, BENEFIT, normalize="target", weighting="entropy-cn", reference=[500, 0.5, 18]
    )
    assert list(document["scores"].values()) == expected.scores.score.tolist()


def test_without_a_direction_row_every_criterion_is_max(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plain.csv", [HEADER, *BODY])
    expected = engine.evaluate(X, [True, True, True], weighting="entropy-cn")
    assert list(evaluated(path)["scores"].values()) == expected.scores.score.tolist()


def test_directions_may_be_written_in_chinese(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cn.csv", [HEADER, ["direction", "正向", "负向", "正向"], *BODY])
    assert evaluated(path) == evaluated(write_csv(tmp_path / "en.csv", [HEADER, DIRECTION, *BODY]))


def test_a_gb18030_csv_reads_like_utf8(tmp_path: Path, table: Path) -> None:
    gbk = write_csv(tmp_path / "gbk.csv", [HEADER, DIRECTION, *BODY], encoding="gb18030")
    assert evaluated(gbk) == evaluated(table)


def test_an_xlsx_table_reads_like_the_csv(tmp_path: Path, table: Path) -> None:
    numbers = [[row[0], *(float(v) for v in row[1:])] for row in BODY]
    path = write_xlsx(tmp_path / "table.xlsx", [HEADER, DIRECTION, *numbers])
    assert evaluated(path) == evaluated(table)


def test_csv_format_has_one_row_per_alternative_with_full_precision(table: Path) -> None:
    status, out, _err = run(str(table), "--format", "csv", "--aggregate", "topsis")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = engine.evaluate(X, BENEFIT, weighting="entropy-cn", aggregate="topsis")
    assert [row["alternative"] for row in rows] == ["恩平", "台山", "开平", "鹤山"]
    assert [float(row["score"]) for row in rows] == expected.scores.score.tolist()
    assert [int(row["rank"]) for row in rows] == expected.ranks.astype(int).tolist()


def test_table_format_lists_the_weights_then_the_alternatives_by_rank(table: Path) -> None:
    status, out, _err = run(str(table), "--aggregate", "topsis")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Weights"
    ranking = lines[lines.index("") + 1 :]
    assert ranking[0].split()[:3] == ["Rank", "Alternative", "Score"]
    assert [line.split()[:2] for line in ranking[1:]] == [
        ["1", "开平"], ["2", "台山"], ["3", "恩平"], ["4", "鹤山"]
    ]  # fmt: skip


def test_the_console_script_prints_json_and_exits_zero(tmp_path: Path, table: Path) -> None:
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "jinwei.cli", "evaluate", str(table), "--format", "json"],
        capture_output=True,
        text=True,
        env=os.environ | {"JINWEI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == evaluated(table)


# ------------------------------------------------------------------------------ bad input


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "jinwei.cli", "evaluate", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        env=os.environ | {"JINWEI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        check=False,
    )
    assert result.returncode == 2
    assert "none.csv" in result.stderr


def test_problems_are_listed_with_row_and_column(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["direction", "max", "down", "正向"],
        ["恩平", "251.3", "", "12"],
        ["台山", "many", "0.61", "20"],
        ["恩平", "430.1", "0.48", "15"],
        ["", "380.0", "0.55", "9"],
    ]
    status, _out, err = run(str(write_csv(tmp_path / "bad.csv", rows)))
    assert status == 1
    assert "bad.csv cannot be evaluated" in err
    assert "Row 2, column C: the direction “down” is not one of max, min, 正向, 负向." in err
    assert "Row 3, column C: no value for 能耗; every alternative needs every value." in err
    assert "Row 4, column B: “many” (GDP) is not a number." in err
    assert "Row 5, column A: “恩平” is already on row 3." in err
    assert "Row 6, column A: the alternative has no name." in err


def test_a_table_with_a_duplicate_or_unnamed_criterion_is_refused(tmp_path: Path) -> None:
    rows = [
        ["地区", "GDP", "", "GDP", "x"],
        ["恩平", "1", "2", "3", "4"],
        ["台山", "2", "3", "4", "5"],
    ]
    status, _out, err = run(str(write_csv(tmp_path / "dup.csv", rows)))
    assert status == 1
    assert "Row 1, column C: the criterion has no name." in err
    assert "Row 1, column D: the criterion “GDP” appears twice." in err


def test_a_header_alone_is_refused(tmp_path: Path) -> None:
    status, _out, err = run(str(write_csv(tmp_path / "head.csv", [HEADER, DIRECTION])))
    assert status == 1
    assert "no alternatives below its header" in err


def test_a_file_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"not a spreadsheet")
    status, _out, err = run(str(path))
    assert status == 1
    assert "could not be read" in err


def test_the_engines_refusal_is_reported_as_an_invalid_file(tmp_path: Path) -> None:
    rows = [HEADER, ["恩平", "-1.5", "0.52", "12"], ["台山", "2.0", "0.61", "20"]]
    status, _out, err = run(str(write_csv(tmp_path / "neg.csv", rows)), "--weights", "entropy")
    assert status == 1
    assert "entropy-cn" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--weights", "given"], "--weights given needs --weight-values"),
        (["--weight-values", "0.5,0.5"], "--weight-values goes with --weights given"),
        (["--weights", "given", "--weight-values", "0.5,0.5"], "has 2 values for 3 criteria"),
        (["--weights", "given", "--weight-values", "0.5,x,0.2"], "“x” is not a number"),
        (["--normalize", "target"], "--normalize target needs --targets"),
        (["--targets", "1,2,3"], "--targets goes with --normalize target"),
        (["--sheet", "表2"], "No worksheet is named “表2”"),
    ],
)
def test_misused_options_are_usage_errors(table: Path, options: list[str], message: str) -> None:
    status, _out, err = run(str(table), *options)
    assert status == 2
    assert message in err


def test_given_weights_must_sum_to_one(table: Path) -> None:
    status, _out, err = run(str(table), "--weights", "given", "--weight-values", "0.5,0.5,0.5")
    assert status == 1
    assert "summing to 1" in err


@pytest.mark.parametrize("option", ["--normalize", "--weights", "--aggregate"])
def test_unknown_method_names_are_refused(table: Path, option: str) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("evaluate", str(table), option, "nonsense")
