"""`jinwei evaluate FILE`: an ad-hoc composite evaluation of a table, for analysts.

FILE is csv (UTF-8 or GB18030) or xlsx: the first column names the alternatives, the header row
names the criteria, and an optional second row whose first cell is `direction` says `max` or
`min` (正向 / 负向) for each criterion; max when absent. The numbers go through the same engine as
the pages (jinwei.rankings.engine), nothing is stored.

Exit status 0 with the result; 1 when the file cannot be evaluated (every problem listed, with
its row and column); 2 when the command itself is misused.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.indicators.importing.readers import ReadError, Sheet, read_file
from jinwei.indicators.importing.table import column_letter, is_empty
from jinwei.lib.numbers import NumberError, parse_number
from jinwei.rankings import engine

USAGE_ERROR = 2
INVALID_FILE = 1
GIVEN = "given"
DIRECTION_MARKS = frozenset({"direction", "方向"})
DIRECTIONS = {"max": True, "正向": True, "min": False, "负向": False}


@dataclass
class Problem:
    """Table A: where the cell is, as Excel shows it (row number, column letter), and why."""

    message: str
    row: int = 0
    column: str = ""

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class Matrix:
    """The table as the engine takes it, with its labels."""

    alternatives: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    benefit: list[bool] = field(default_factory=list)
    values: list[list[float]] = field(default_factory=list)


class Command(BaseCommand):
    help = _(
        "Evaluate the alternatives of a CSV or Excel table (first column the alternatives, header "
        "row the criteria, an optional 'direction' row of max/min): normalise, weight, aggregate "
        "and rank."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--normalize",
            choices=list(engine.NORMALIZERS),
            default="minmax",
            help=_("Normalisation (default: %(default)s)."),
        )
        parser.add_argument(
            "--weights",
            choices=[*engine.WEIGHTINGS, GIVEN],
            default="entropy-cn",
            help=_("Weighting (default: %(default)s); 'given' takes --weight-values."),
        )
        parser.add_argument(
            "--weight-values",
            default="",
            help=_("With --weights given: one weight per criterion, e.g. 0.3,0.4,0.3."),
        )
        parser.add_argument(
            "--targets",
            default="",
            help=_("With --normalize target: one target value per criterion, e.g. 100,5,30."),
        )
        parser.add_argument(
            "--aggregate",
            choices=list(engine.AGGREGATORS),
            default="wsum",
            help=_("Aggregation (default: %(default)s)."),
        )
        parser.add_argument(
            "--format", choices=["table", "csv", "json"], default="table", dest="output_format"
        )
        parser.add_argument("--sheet", default="", help=_("The worksheet (default: the first)."))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=USAGE_ERROR)
        weight_values = numbers_option(options["weight_values"], "--weight-values")
        targets = numbers_option(options["targets"], "--targets")
        check_options(options, weight_values, targets)
        matrix = read_matrix(path, options["sheet"])
        for values, name in ((weight_values, "--weight-values"), (targets, "--targets")):
            if values and len(values) != len(matrix.criteria):
                message = _("%(option)s has %(given)s values for %(count)s criteria.") % {
                    "option": name,
                    "given": len(values),
                    "count": len(matrix.criteria),
                }
                raise CommandError(message, returncode=USAGE_ERROR)
        try:
            result = engine.evaluate(
                np.array(matrix.values, dtype=np.float64),
                matrix.benefit,
                normalize=options["normalize"],
                weighting=options["weights"],
                aggregate=options["aggregate"],
                given_weights=weight_values or None,
                reference=targets or None,
            )
        except engine.EvaluationError as error:
            raise CommandError(str(error), returncode=INVALID_FILE) from None
        writer = {"json": as_json, "csv": as_csv, "table": as_table}[options["output_format"]]
        self.stdout.write(writer(matrix, result), ending="")


def numbers_option(text: str, option: str) -> list[float]:
    if not text.strip():
        return []
    values = []
    for part in text.replace("，", ",").split(","):
        try:
            values.append(float(part))
        except ValueError:
            message = _("%(option)s: “%(value)s” is not a number.") % {
                "option": option,
                "value": part.strip(),
            }
            raise CommandError(message, returncode=USAGE_ERROR) from None
    return values


def check_options(
    options: dict[str, Any], weight_values: list[float], targets: list[float]
) -> None:
    if options["weights"] == GIVEN and not weight_values:
        message = _("--weights given needs --weight-values, one weight per criterion.")
        raise CommandError(message, returncode=USAGE_ERROR)
    if weight_values and options["weights"] != GIVEN:
        raise CommandError(_("--weight-values goes with --weights given."), returncode=USAGE_ERROR)
    if options["normalize"] == "target" and not targets:
        message = _("--normalize target needs --targets, one target per criterion.")
        raise CommandError(message, returncode=USAGE_ERROR)
    if targets and options["normalize"] != "target":
        raise CommandError(_("--targets goes with --normalize target."), returncode=USAGE_ERROR)


# --- reading the table -----------------------------------------------------------------------


def read_matrix(path: Path, sheet_name: str) -> Matrix:
    try:
        sheets = read_file(path)
    except ReadError as error:
        raise CommandError(str(error), returncode=INVALID_FILE) from None
    sheet = pick_sheet(sheets, sheet_name)
    problems: list[Problem] = []
    matrix = parse_sheet(sheet, problems)
    if problems:
        listing = "\n".join(str(problem) for problem in problems)
        message = _("%(name)s cannot be evaluated:\n%(problems)s") % {
            "name": path.name,
            "problems": listing,
        }
        raise CommandError(message, returncode=INVALID_FILE)
    return matrix


def pick_sheet(sheets: list[Sheet], name: str) -> Sheet:
    if name:
        for sheet in sheets:
            if sheet.name == name:
                return sheet
        message = _("No worksheet is named “%(name)s”; there are: %(names)s.") % {
            "name": name,
            "names": ", ".join(sheet.name for sheet in sheets),
        }
        raise CommandError(message, returncode=USAGE_ERROR)
    if not sheets:
        raise CommandError(_("The file has no worksheet."), returncode=INVALID_FILE)
    return sheets[0]


def text_of(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(unicodedata.normalize("NFKC", str(cell)).split())


def parse_sheet(sheet: Sheet, problems: list[Problem]) -> Matrix:
    """Header, optional direction row, then one row per alternative (empty rows skipped)."""
    rows = [
        (sheet.first_row + i, row)
        for i, row in enumerate(sheet.rows)
        if not all(is_empty(cell) for cell in row)
    ]
    if not rows:
        problems.append(Problem(_("The table is empty.")))
        return Matrix()

    def letter(j: int) -> str:
        return column_letter(sheet.first_col + j)

    header_row, header = rows[0]
    matrix = Matrix(criteria=parse_header(header_row, header, letter, problems))
    n = len(matrix.criteria)
    body = rows[1:]
    if body and text_of(body[0][1][0] if body[0][1] else "").lower() in DIRECTION_MARKS:
        matrix.benefit = parse_directions(*body[0], n, letter, problems)
        body = body[1:]
    else:
        matrix.benefit = [True] * n
    if not body:
        problems.append(Problem(_("The table has no alternatives below its header.")))
    seen: dict[str, int] = {}
    for number, row in body:
        name = text_of(row[0]) if row else ""
        if not name:
            problems.append(Problem(_("the alternative has no name."), number, letter(0)))
        elif name in seen:
            message = _("“%(name)s” is already on row %(row)s.") % {
                "name": name,
                "row": seen[name],
            }
            problems.append(Problem(message, number, letter(0)))
        seen.setdefault(name, number)
        matrix.alternatives.append(name)
        matrix.values.append(parse_values(number, row, matrix.criteria, letter, problems))
    return matrix


def parse_header(number: int, header: list[Any], letter: Any, problems: list[Problem]) -> list[str]:
    names = [text_of(cell) for cell in header[1:]]
    while names and not names[-1]:
        names.pop()
    if not names:
        problems.append(Problem(_("The header row names no criteria."), number))
    for j, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(_("the criterion has no name."), number, letter(j)))
        elif names.index(name) != j - 1:
            message = _("the criterion “%(name)s” appears twice.") % {"name": name}
            problems.append(Problem(message, number, letter(j)))
    return names


def parse_directions(
    number: int, row: list[Any], n: int, letter: Any, problems: list[Problem]
) -> list[bool]:
    benefit = []
    for j in range(1, n + 1):
        text = text_of(row[j]) if j < len(row) else ""
        if not text:
            benefit.append(True)  # max unless said otherwise
            continue
        direction = DIRECTIONS.get(text.lower())
        if direction is None:
            message = _("the direction “%(value)s” is not one of max, min, 正向, 负向.") % {
                "value": text
            }
            problems.append(Problem(message, number, letter(j)))
        benefit.append(True if direction is None else direction)
    return benefit


def parse_values(
    number: int, row: list[Any], criteria: list[str], letter: Any, problems: list[Problem]
) -> list[float]:
    values = []
    for j, criterion in enumerate(criteria, start=1):
        cell = row[j] if j < len(row) else None
        where = {"criterion": criterion, "value": text_of(cell)}
        try:
            parsed = parse_number(cell).value
        except NumberError:
            message = _("“%(value)s” (%(criterion)s) is not a number.") % where
            problems.append(Problem(message, number, letter(j)))
            values.append(float("nan"))
            continue
        if parsed is None:
            message = _("no value for %(criterion)s; every alternative needs every value.") % where
            problems.append(Problem(message, number, letter(j)))
            values.append(float("nan"))
        else:
            values.append(float(parsed))
    return values


# --- writing the result ----------------------------------------------------------------------


def result_columns(result: engine.Evaluation) -> dict[str, list[float]]:
    """Per alternative: the score, then VIKOR's S and R when the aggregation is VIKOR."""
    columns = {"score": [float(v) for v in result.scores.score]}
    if not result.scores.higher_is_better:
        for key in ("S", "R"):
            columns[key] = [float(v) for v in result.scores.extra[key]]
    return columns


def as_json(matrix: Matrix, result: engine.Evaluation) -> str:
    """Full float precision: json writes the shortest repr that reads back to the same float."""
    ranks = [int(r) for r in result.ranks]
    document: dict[str, Any] = {
        "weights": dict(zip(matrix.criteria, map(float, result.weights), strict=True)),
        "scores": dict(zip(matrix.alternatives, result_columns(result)["score"], strict=True)),
        "ranks": dict(zip(matrix.alternatives, ranks, strict=True)),
    }
    for key, values in result_columns(result).items():
        if key != "score":
            document[key] = dict(zip(matrix.alternatives, values, strict=True))
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_csv(matrix: Matrix, result: engine.Evaluation) -> str:
    """One row per alternative, in the file's order: name, score (, S, R), rank."""
    columns = result_columns(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["alternative", *columns, "rank"])
    for i, name in enumerate(matrix.alternatives):
        writer.writerow([name, *(repr(v[i]) for v in columns.values()), int(result.ranks[i])])
    return out.getvalue()


def as_table(matrix: Matrix, result: engine.Evaluation) -> str:
    """For reading: the weights, then the alternatives by rank."""
    lines = [_("Weights")]
    weights = [(c, f"{w:.4f}") for c, w in zip(matrix.criteria, result.weights, strict=True)]
    lines += aligned(weights)
    lines.append("")
    columns = result_columns(result)
    heading = [_("Rank"), _("Alternative"), _("Score")]
    if "S" in columns:
        heading = [_("Rank"), _("Alternative"), _("Q (lower is better)"), "S", "R"]
    order = sorted(range(len(matrix.alternatives)), key=lambda i: (result.ranks[i], i))
    body = [
        (
            str(int(result.ranks[i])),
            matrix.alternatives[i],
            *(f"{v[i]:.6f}" for v in columns.values()),
        )
        for i in order
    ]
    lines += aligned([tuple(heading), *body])
    return "\n".join(lines) + "\n"


def width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(width(row[k]) for row in rows) for k in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (widths[k] - width(cell)) for k, cell in enumerate(row)).rstrip()
        for row in rows
    ]
