"""Benchmark of the composite evaluation (issue 4): `bench/evaluate [--quick] [--no-postgres]`.

Generates 2,844 regions (China's county-level divisions) × 60 indicators × 10 years of positive
observations and prints, in one run:

- end to end on SQLite and on PostgreSQL: `scheme_evaluate` — load the panel from the database,
  standard entropy weights + TOPSIS (min-max) for every year, store the run and its scores;
  the first run, then the best of three; the panel load alone is printed beside it;
- the numeric kernel alone: one `engine.evaluate` call on the 10 × 2,844 × 60 panel;
- the same computation as a per-year loop of pymcdm calls (entropy_weights + TOPSIS, whose
  default normalisation is min-max), the kernel's speed-up over it, and the largest difference
  between the two results;
- a 1,000-draw Monte Carlo sensitivity of the last year's ranks (`sensitivity.monte_carlo`).

Each database runs in its own process (Django configures one database per process). The data
are generated in that database with its bulk path (executemany on SQLite, COPY on PostgreSQL)
and settled as the database's maintenance would (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite);
PostgreSQL runs in a temporary database created and dropped here (JINWEI_BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/postgres). Timings are the best of a few runs where a run is
cheap to repeat. Lines read `name: value unit (goal: …)`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

FULL = (2844, 60, 10)  # regions, indicators, years
QUICK = (300, 60, 10)
FIRST_YEAR = 2015
DRAWS = 1000
RUNS = 3  # end to end and the panel load: the best of this many (a shared machine is noisy)
PG_ADMIN_URL = os.environ.get("JINWEI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


def directions(indicators: int) -> np.ndarray:
    """Every fifth indicator is lower-is-better (energy use, unemployment, …)."""
    return np.arange(indicators) % 5 != 4


def panel_values(regions: int, indicators: int, years: int, seed: int = 4) -> np.ndarray:
    """years × regions × indicators, positive, four decimals: each indicator on its own scale,
    each region a persistent level, each year some growth and noise."""
    rng = np.random.default_rng(seed)
    scale = 10 ** rng.uniform(0, 4, size=indicators)
    level = rng.lognormal(0, 0.6, size=(regions, indicators))
    growth = 1 + rng.normal(0.05, 0.03, size=(years, 1, indicators))
    trend = np.cumprod(growth, axis=0)
    noise = rng.lognormal(0, 0.05, size=(years, regions, indicators))
    return np.round(scale * level * trend * noise, 4)


def best_of(runs: int, func: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    return best, result


# --- the numeric parts, in this process ---------------------------------------------------------


def numeric(regions: int, indicators: int, years: int) -> dict[str, float]:
    from pymcdm import methods as pm_methods
    from pymcdm import weights as pm_weights

    from jinwei.rankings import engine

    x = panel_values(regions, indicators, years)
    benefit = directions(indicators)
    types = np.where(benefit, 1, -1)

    def kernel() -> np.ndarray:
        result = engine.evaluate(
            x, benefit, normalize="minmax", weighting="entropy", aggregate="topsis"
        )
        return result.scores.score

    def pymcdm_loop() -> np.ndarray:
        topsis = pm_methods.TOPSIS()  # default normalisation: min-max, as the kernel's
        return np.array(
            [topsis(x[t], pm_weights.entropy_weights(x[t]), types) for t in range(years)]
        )

    kernel_s, ours = best_of(5, kernel)
    loop_s, theirs = best_of(3, pymcdm_loop)
    sensitivity_s = monte_carlo_time(x[-1], benefit)
    return {
        "kernel": kernel_s,
        "pymcdm": loop_s,
        "max_difference": float(np.max(np.abs(ours - theirs))),
        "sensitivity": sensitivity_s,
    }


def monte_carlo_time(x: np.ndarray, benefit: np.ndarray) -> float:
    from jinwei.rankings import engine
    from jinwei.rankings.composite import Criteria, MethodSpec
    from jinwei.rankings.sensitivity import monte_carlo

    n = x.shape[1]
    criteria = Criteria(
        benefit=benefit,
        dimensions=["economy"] * n,
        fixed_weights=np.full(n, np.nan),
        reference=np.full(n, np.nan),
    )
    method = MethodSpec(normalization="minmax", weighting="entropy", aggregation="topsis")
    weights = engine.entropy_weights(x, benefit)
    seconds, result = best_of(1, lambda: monte_carlo(x, criteria, method, weights, draws=DRAWS))
    assert result.median.shape == (x.shape[0],)
    return seconds


# --- end to end, one database per process ------------------------------------------------------


def child(engine_name: str, regions: int, indicators: int, years: int) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="jinwei-bench-"))
    os.environ["JINWEI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinwei.settings"
    pg_name = ""
    if engine_name == "postgresql":
        pg_name = f"jinwei_bench_{os.getpid()}"
        _pg_admin(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    try:
        return _measure(regions, indicators, years)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"')


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def _measure(regions: int, indicators: int, years: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from jinwei.rankings.matrices import load_panel
    from jinwei.rankings.models import EvaluationScore
    from jinwei.rankings.services import scheme_evaluate

    started = time.perf_counter()
    scheme = _populate(regions, indicators, years)
    _settle()
    generate = time.perf_counter() - started
    started = time.perf_counter()
    run = scheme_evaluate(actor=None, scheme=scheme)
    first = time.perf_counter() - started
    stored = EvaluationScore.objects.filter(run=run).count()
    assert stored == regions * years, stored
    end_to_end, _run = best_of(RUNS - 1, lambda: scheme_evaluate(actor=None, scheme=scheme))
    load, panel = best_of(RUNS, lambda: load_panel(scheme))
    assert not np.isnan(panel.values).any()
    return {
        "generate": generate,
        "first": first,
        "end_to_end": min(first, end_to_end),
        "load": load,
    }


def _settle() -> None:
    """What the database's own maintenance does to freshly loaded rows before anyone evaluates
    them: PostgreSQL's autovacuum (visibility and hint bits, statistics), SQLite's ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _populate(regions: int, indicators: int, years: int) -> Any:
    """Regions, indicators, observations, a peer group and an entropy + TOPSIS scheme."""
    from django.db import transaction

    from jinwei.accounts.models import OrgUnit, Region
    from jinwei.indicators.models import Category, Indicator
    from jinwei.rankings.models import EvaluationScheme, PeerGroup, SchemeIndicator

    with transaction.atomic():
        country = Region.objects.create(
            code="100000", name="全国县级单位（基准测试）", level=Region.Level.PROVINCE
        )
        Region.objects.bulk_create(
            Region(
                code=f"{200000 + r}", name=f"测试县{r + 1}", level=Region.Level.COUNTY,
                parent=country,
            )
            for r in range(regions)
        )  # fmt: skip
        bureau = OrgUnit.objects.create(
            government=country, name="统计局", kind=OrgUnit.Kind.DEPARTMENT
        )
        categories = list(Category.objects.order_by("order"))
        benefit = directions(indicators)
        made = Indicator.objects.bulk_create(
            Indicator(
                government=country,
                code=f"ind{i:02d}",
                name=f"指标{i:02d}",
                unit="万元",
                direction=Indicator.Direction.HIGHER if benefit[i] else Indicator.Direction.LOWER,
                category=categories[i % len(categories)],
                owner_unit=bureau,
            )
            for i in range(indicators)
        )
        region_ids = list(
            Region.objects.filter(parent=country).order_by("code").values_list("id", flat=True)
        )
        _insert_observations(
            [i.pk for i in made], region_ids, panel_values(regions, indicators, years)
        )
        group = PeerGroup.objects.create(government=country, name="全国县级单位", parent=country)
        scheme = EvaluationScheme.objects.create(
            government=country,
            name="熵权 TOPSIS",
            peer_group=group,
            normalization="minmax",
            weighting="entropy",
            aggregation="topsis",
            first_year=FIRST_YEAR,
            last_year=FIRST_YEAR + years - 1,
        )
        SchemeIndicator.objects.bulk_create(
            SchemeIndicator(scheme=scheme, indicator=ind, dimension=ind.category, order=k)
            for k, ind in enumerate(made)
        )
    return scheme


COLUMNS = (
    "version", "created_at", "updated_at", "indicator_id", "region_id", "period", "value",
    "source", "is_illustrative", "status", "explanation", "explanation_due",
)  # fmt: skip


def _insert_observations(indicator_ids: list[int], region_ids: list[int], x: np.ndarray) -> None:
    """The bulk path of each database: executemany on SQLite, COPY on PostgreSQL."""
    from django.db import connection
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = "indicators_observation"
    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        ) as copy:  # fmt: skip
            for t in range(x.shape[0]):
                buffer = io.StringIO()
                period = str(FIRST_YEAR + t)
                for r, region_id in enumerate(region_ids):
                    for j, indicator_id in enumerate(indicator_ids):
                        buffer.write(
                            f"1\t{now}\t{now}\t{indicator_id}\t{region_id}\t{period}\t"
                            f"{x[t, r, j]:.4f}\t基准测试\tf\tapproved\t\tf\n"
                        )
                copy.write(buffer.getvalue())
        return
    marks = ", ".join("?" * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
    values = x.tolist()
    raw.executemany(
        sql,
        (
            (1, now, now, indicator_id, region_id, str(FIRST_YEAR + t), values[t][r][j],
             "基准测试", False, "approved", "", False)
            for t in range(x.shape[0])
            for r, region_id in enumerate(region_ids)
            for j, indicator_id in enumerate(indicator_ids)
        ),
    )  # fmt: skip


def run_child(engine_name: str, size: tuple[int, int, int]) -> dict[str, Any]:
    regions, indicators, years = size
    shape = f"{regions},{indicators},{years}"
    command = [sys.executable, __file__, "--child", engine_name, "--size", shape]
    env = os.environ | {"PYTHONPATH": str(SRC)}
    output = subprocess.run(command, check=False, capture_output=True, text=True, env=env)  # noqa: S603
    if output.returncode:
        sys.exit(f"{engine_name} run failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- the parent: run everything, print --------------------------------------------------------


def line(name: str, value: float, unit: str, goal: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else (" — met" if met else " — NOT met")
    suffix = f" (goal: {goal}){verdict}" if goal else ""
    shown = f"{value:.2e}" if 0 < abs(value) < 0.01 else f"{value:.3f}"
    print(f"{name}: {shown}{f' {unit}' if unit else ''}{suffix}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 regions instead of 2,844")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        regions, indicators, years = (int(v) for v in args.size.split(","))
        print(json.dumps(child(args.child, regions, indicators, years)))
        return
    size = QUICK if args.quick else FULL
    regions, indicators, years = size
    print(f"panel: {years} years × {regions} regions × {indicators} indicators "
          f"({regions * indicators * years} observations)")  # fmt: skip
    for engine_name in ["sqlite"] + ([] if args.no_postgres else ["postgresql"]):
        result = run_child(engine_name, size)
        line(f"generate_{engine_name}", result["generate"], "s")
        line(f"load_panel_{engine_name}", result["load"], "s")
        line(f"end_to_end_{engine_name}_first_run", result["first"], "s")
        seconds = result["end_to_end"]
        line(f"end_to_end_{engine_name}", seconds, "s", "≤ 2 s", seconds <= 2)
    figures = numeric(regions, indicators, years)
    line("kernel_entropy_topsis", figures["kernel"], "s")
    line("pymcdm_per_year_loop", figures["pymcdm"], "s")
    speedup = figures["pymcdm"] / figures["kernel"]
    line("kernel_speedup_over_pymcdm", speedup, "×", "≥ 5×", speedup >= 5)
    line("kernel_vs_pymcdm_max_difference", figures["max_difference"], "", "≤ 1e-9",
         figures["max_difference"] <= 1e-9)  # fmt: skip
    seconds = figures["sensitivity"]
    line(f"monte_carlo_{DRAWS}_draws", seconds, "s", "≤ 10 s", seconds <= 10)


if __name__ == "__main__":
    main()
