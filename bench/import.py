"""Benchmark of the Excel import (issue 3): `bench/import [--quick] [--ordinary-owner]`.

Builds one xlsx with N observations (long layout: indicator code, region code, period, value,
growth rate, source) and prints, side by side:

- calamine's raw parse of the file (the floor: reading the cells and nothing else);
- jinwei's full import (parse, validate, commit in one transaction) on SQLite and PostgreSQL;
- the same file imported again (every value unchanged);
- django-import-export importing the same rows into the same model (a minimal ModelResource);
- the peak memory (RSS) of each import process;
- with `--ordinary-owner`, the PostgreSQL import again as a role that owns its database but is
  no superuser: it may not switch off the per-row foreign-key triggers (see
  `importing/commit.py`), so this is the figure for such a deployment.

Each database runs in its own process (Django configures one database per process, and the peak
memory is then the import's own). PostgreSQL runs in a temporary database that is created and
dropped here (JINWEI_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
Lines read `name: value unit (goal: …)`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FULL_ROWS = 100_000
QUICK_ROWS = 10_000
YEARS = 10
INDICATORS = 50
PG_ADMIN_URL = os.environ.get("JINWEI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SRC = Path(__file__).resolve().parent.parent / "src"
HEADER = [
    "指标代码",
    "指标名称",
    "地区或单位",
    "时期",
    "数值",
    "计量单位",
    "增速（%）",
    "来源",
    "说明",
]


def shape(rows: int) -> tuple[int, int, int]:
    """(indicators, regions, years) whose product is `rows`."""
    regions = max(1, rows // (INDICATORS * YEARS))
    return INDICATORS, regions, YEARS


def build_file(path: Path, rows: int, *, plain: bool = False) -> None:
    """The bench file: the import template filled in (its header, with indicator name, unit of
    measure and source on every row), under a title row and above a note, as offices write them.
    `plain` leaves title and note out (django-import-export's tablib cannot read ragged rows)."""
    from openpyxl import Workbook

    indicators, regions, years = shape(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    if not plain:
        sheet.append(["2014—2023年各地区主要指标"])
    sheet.append(HEADER)
    for i in range(indicators):
        for r in range(regions):
            for y in range(years):
                value = round(100 + i * 7.31 + r * 0.17 + y * 3.9, 2)
                sheet.append(
                    [f"ind{i:02d}", f"指标{i:02d}", f"440785{r + 1:03d}", 2014 + y, value, "亿元",
                     5.2, "江门统计年鉴", None]
                )  # fmt: skip
    if not plain:
        sheet.append(["注：基准测试数据。"])
    book.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# --- one engine, in its own process --------------------------------------------------------------


def child(engine: str, path: Path, rows: int, with_import_export: bool) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="jinwei-bench-"))
    os.environ["JINWEI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinwei.settings"
    pg_name = pg_owner = ""
    if engine.startswith("postgresql"):
        pg_name = f"jinwei_bench_{os.getpid()}"
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
        if engine == "postgresql-owner":  # an ordinary role that owns its database
            pg_owner = pg_name
            _pg_admin(f'CREATE ROLE "{pg_owner}" LOGIN NOSUPERUSER')
            _pg_admin(f'CREATE DATABASE "{pg_name}" OWNER "{pg_owner}"')
            scheme, rest = url.split("://", 1)
            url = f"{scheme}://{pg_owner}@{rest.split('@', 1)[-1]}"
        else:
            _pg_admin(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    try:
        return _measure(path, rows, with_import_export)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"')
        if pg_owner:
            _pg_admin(f'DROP ROLE IF EXISTS "{pg_owner}"')


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def _measure(path: Path, rows: int, with_import_export: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    statistician, government = _catalogue(rows)
    from jinwei.indicators.importing.services import import_batch_commit, import_batch_create
    from jinwei.indicators.models import Observation

    def run() -> tuple[float, dict[str, int]]:
        started = time.perf_counter()
        batch = import_batch_create(actor=statistician, government=government, path=path)
        outcome = import_batch_commit(actor=statistician, batch=batch)
        return time.perf_counter() - started, outcome.counts()

    seconds, counts = run()
    memory = peak_mb()
    assert counts["new"] == rows and counts["errors"] == 0, counts
    again, counts_again = run()
    assert counts_again["unchanged"] == rows, counts_again
    result = {"import": seconds, "reimport": again, "peak_mb": memory}
    if with_import_export:
        Observation.objects.all().delete()
        result["import_export"] = _import_export(path, rows)
    return result


def _catalogue(rows: int) -> tuple[Any, Any]:
    from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
    from jinwei.indicators.models import Category, Indicator

    indicators, regions, _years = shape(rows)
    enping = Region.objects.create(code="440785", name="恩平市", level=Region.Level.COUNTY)
    Region.objects.bulk_create(
        Region(
            code=f"440785{r + 1:03d}", name=f"测试镇{r + 1}", level=Region.Level.TOWN, parent=enping
        )
        for r in range(regions)
    )
    bureau = OrgUnit.objects.create(government=enping, name="统计局", kind=OrgUnit.Kind.DEPARTMENT)
    user = User.objects.create_user(username="tom", name="统计员")
    Membership.objects.create(user=user, unit=bureau, role=Role.STATISTICIAN)
    category = Category.objects.get(code="economy")
    Indicator.objects.bulk_create(
        Indicator(
            government=enping,
            code=f"ind{i:02d}",
            name=f"指标{i:02d}",
            unit="亿元",
            category=category,
            owner_unit=bureau,
            swing_warning=50,
        )
        for i in range(indicators)
    )
    return user, enping


def _import_export(path: Path, rows: int) -> float:
    """django-import-export's fastest settings for new rows: bulk writes, no diff, no look-up of
    existing rows; foreign keys by code through its ForeignKeyWidget (one query per cell)."""
    import tablib
    from import_export import fields, resources, widgets

    from jinwei.accounts.models import Region
    from jinwei.indicators.models import Indicator, Observation

    class ObservationResource(resources.ModelResource):
        indicator = fields.Field(
            attribute="indicator", column_name="指标代码",
            widget=widgets.ForeignKeyWidget(Indicator, "code"),
        )  # fmt: skip
        region = fields.Field(
            attribute="region",
            column_name="地区或单位",
            widget=widgets.ForeignKeyWidget(Region, "code"),
        )
        period = fields.Field(attribute="period", column_name="时期", widget=widgets.CharWidget())
        value = fields.Field(attribute="value", column_name="数值", widget=widgets.DecimalWidget())
        growth_rate = fields.Field(
            attribute="growth_rate", column_name="增速（%）", widget=widgets.DecimalWidget()
        )
        source = fields.Field(attribute="source", column_name="来源")

        class Meta:
            model = Observation
            fields = ("indicator", "region", "period", "value", "growth_rate", "source")
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            force_init_instance = True

    plain = path.with_name("plain.xlsx")
    build_file(plain, rows, plain=True)
    started = time.perf_counter()
    with plain.open("rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    result = ObservationResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not result.has_errors() and Observation.objects.count() == rows
    return seconds


# --- the parent: build, run each engine, print -------------------------------------------------


def raw_parse(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_index(0).to_python()
        book.close()
        best = min(best, time.perf_counter() - started)
    return best


def run_child(engine: str, path: Path, rows: int, with_import_export: bool) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--file",
        str(path),
        "--rows",
        str(rows),
    ]
    if not with_import_export:
        command.append("--no-import-export")
    env = os.environ | {"PYTHONPATH": str(SRC)}
    output = subprocess.run(command, check=False, capture_output=True, text=True, env=env)  # noqa: S603
    if output.returncode:
        sys.exit(f"{engine} run failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def line(name: str, value: float, unit: str, goal: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else (" — met" if met else " — NOT met")
    suffix = f" (goal: {goal}){verdict}" if goal else ""
    print(f"{name}: {value:.2f} {unit}{suffix}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ROWS} rows instead of {FULL_ROWS}"
    )
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-import-export", action="store_true")
    parser.add_argument(
        "--ordinary-owner",
        action="store_true",
        help="also import on PostgreSQL as a role that owns its database but is no superuser "
        "(the foreign-key triggers then run for every row)",
    )
    parser.add_argument(
        "--child",
        choices=["sqlite", "postgresql", "postgresql-owner"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = args.rows or (QUICK_ROWS if args.quick else FULL_ROWS)
    if args.child:
        print(json.dumps(child(args.child, args.file, rows, not args.no_import_export)))
        return
    rows = shape(rows)[0] * shape(rows)[1] * shape(rows)[2]
    with tempfile.TemporaryDirectory(prefix="jinwei-bench-") as folder:
        path = Path(folder) / "observations.xlsx"
        build_file(path, rows)
        indicators, regions, years = shape(rows)
        made_of = f"{indicators} indicators × {regions} regions × {years} years"
        print(f"rows: {rows} observations ({made_of})")
        parse = raw_parse(path)
        line("calamine_raw_parse", parse, "s")
        engines = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
        if args.ordinary_owner and not args.no_postgres:
            engines.append("postgresql-owner")
        for engine in engines:
            with_import_export = not args.no_import_export and engine != "postgresql-owner"
            result = run_child(engine, path, rows, with_import_export)
            ratio = result["import"] / parse
            engine = engine.replace("-", "_")
            line(f"jinwei_import_{engine}", result["import"], "s")
            line(f"jinwei_import_{engine}_vs_raw_parse", ratio, "×", "≤ 3×", ratio <= 3)
            line(f"jinwei_reimport_unchanged_{engine}", result["reimport"], "s")
            if "import_export" in result:
                speedup = result["import_export"] / result["import"]
                line(f"django_import_export_{engine}", result["import_export"], "s")
                line(
                    f"jinwei_speedup_over_import_export_{engine}",
                    speedup,
                    "×",
                    "≥ 5×",
                    speedup >= 5,
                )
            line(
                f"peak_memory_{engine}",
                result["peak_mb"],
                "MB",
                "≤ 500 MB",
                result["peak_mb"] <= 500,
            )


if __name__ == "__main__":
    main()
