"""Benchmark of the wall dashboard and the briefing (issue 7):
`bench/reports [--quick] [--no-postgres] [--no-sqlite]`.

Builds one government in a fresh database with the generators of the other benchmarks: the key
projects and leads of bench/projects (20,000 projects with 24 monthly reports each and 50,000
leads; 2,000 and 5,000 with --quick), then, on the same government, its 30 units and its
supervision office, the tasks of bench/tasks (100,000; 10,000 with --quick). Added here, in bulk:
a prefecture whose children are the government and six peer counties, their peer group, 40 annual
indicators with 10 years of values and 12 monthly ones (a quarter of them cumulative) with 24
months for all seven, some of them headline indicators with targets and milestone thresholds the
government crosses; a published composite evaluation of the annual ones; honours and practices of
this year and last; three opportunities with eight items each, acted on by goals, tasks and
projects except one item in five. On PostgreSQL the planner's statistics are then gathered
(ANALYZE), as autovacuum does after a bulk load. Then it prints, signed in as a supervisor:

- the wall dashboard's panels (`reports:wall_panels`, what the screen polls) and the wall page
  (`reports:wall`): the server time (Django's test client in the same process, the median of 20
  requests after 3 warm-up requests) and the queries of one request;
- `compose.build_document` for last month: the median of 5 calls after a first one (printed
  beside it: a monthly cron job makes only that first call), and the queries of one call;
- the briefing written end to end without a PDF (`writing.write_briefing`, what `jinwei briefing`
  runs: the figures, the sentences, the charts, the Word file): the median of 3 after a first.

Each database runs in its own process (Django configures one database per process). SQLite goes
to a temporary folder (removed at the end); PostgreSQL to a temporary database created and
dropped here (JINWEI_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres). Lines
read `name: value unit (goal: …) — met/NOT met`; each `_detail` line adds the queries, the time
spent in the database driver's execute calls (on SQLite rows are stepped through after it, so
this is a lower bound) and the CPU time of this process, which a machine busy with other work
does not inflate as it does the clock.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import projects as project_bench  # bench/projects.py: the projects and leads, its report lines
import tasks as task_bench  # bench/tasks.py: the tasks, the page timing
from tasks import REPEAT, line, median_ms

FULL = (task_bench.FULL, *project_bench.FULL)  # tasks, projects, leads
QUICK = (task_bench.QUICK, *project_bench.QUICK)
ANNUAL = 40  # indicators with annual values
MONTHLY = 12  # indicators with monthly values
YEARS = 10
MONTHS = 24
PEERS = 6
HEADLINE = 8  # of the annual indicators; and every third monthly one
OPPORTUNITIES = 3
ITEMS = 8
DOCUMENT_RUNS = 5
DOCUMENT_GOAL_S = 5
WRITE_RUNS = 3
WRITE_GOAL_S = 10
SRC = project_bench.SRC

PAGES = {  # name: URL name
    "wall_panels": "reports:wall_panels",
    "wall_page": "reports:wall",
}


# --- one database per process ------------------------------------------------------------------


def child(engine_name: str, sizes: tuple[int, int, int]) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="jinwei-bench-reports-"))
    os.environ["JINWEI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinwei.settings"
    os.environ.setdefault("JINWEI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    pg_name = ""
    if engine_name == "postgresql":
        pg_name = f"jinwei_bench_reports_{os.getpid()}"
        task_bench._pg_admin(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = task_bench.PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    try:
        return _measure(sizes, data_dir)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            task_bench._pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"')
        shutil.rmtree(data_dir, ignore_errors=True)  # a full-size SQLite file is ~190 MB


def _measure(sizes: tuple[int, int, int], data_dir: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link the manifest
    started = time.perf_counter()
    world = populate(*sizes)
    results: dict[str, Any] = {"generate": time.perf_counter() - started, "rows": world["rows"]}
    results["pages"] = measure_pages(world)
    results["document"] = measure_document(world)
    results["briefing"] = measure_briefing(world, data_dir / "briefing.docx")
    return results


# --- the data ------------------------------------------------------------------------------------


def populate(tasks: int, projects: int, leads: int, seed: int = 7) -> dict[str, Any]:
    """bench/projects' world (government, units, people, parks, chains, projects, reports, leads),
    bench/tasks' tasks on it, then the indicators, ranks and recognition the reports read."""
    from django.db import transaction

    from jinwei.accounts.models import Region

    rng = random.Random(seed)
    world = project_bench.populate(projects, leads)  # commits, then ANALYZE on PostgreSQL
    rows = world["rows"]
    with transaction.atomic():
        rows.update(_tasks(world, tasks))
        rows.update(_peer_group(world))
        world["government"] = Region.objects.get(pk=world["government"].pk)  # with its parent
        rows.update(_indicators(rng, world))
        rows.update(_recognition(world))
    rows.update(_evaluation(world))
    project_bench._analyze()
    return world


def _tasks(world: dict[str, Any], count: int) -> dict[str, int]:
    """bench/tasks' tasks (its seed, its goals), led by this world's 30 units and supervised by
    its supervision office."""
    from jinwei.accounts.models import OrgUnit
    from jinwei.tasks.models import CoUnit, Goal, Task

    government = world["government"]
    office = OrgUnit.objects.get(government=government, kind=OrgUnit.Kind.SUPERVISION)
    goals = Goal.objects.bulk_create(
        Goal(government=government, title=f"目标{n + 1}", horizon=1) for n in range(20)
    )
    leader = world["leaders"][0]
    rng = random.Random(5)
    task_bench._tasks(rng, world["today"], government, world["units"], goals, leader, office, count)
    world["goals"] = goals
    world["task_ids"] = list(
        Task.objects.filter(government=government).order_by("id").values_list("id", flat=True)
    )
    co_units = CoUnit.objects.filter(task__government=government).count()
    return {"goals": len(goals), "tasks": len(world["task_ids"]), "co_units": co_units}


def _peer_group(world: dict[str, Any]) -> dict[str, int]:
    """A prefecture whose children are the government and six peer counties, grouped."""
    from jinwei.accounts.models import Region
    from jinwei.rankings.models import PeerGroup

    government = world["government"]
    prefecture = Region.objects.create(
        code="449900", name="基准测试市", short_name="基准", level=Region.Level.PREFECTURE
    )
    Region.objects.filter(pk=government.pk).update(parent=prefecture)
    peers = Region.objects.bulk_create(
        Region(code=f"4499{n + 1:02d}", name=f"对标县{n + 1}", level="county", parent=prefecture)
        for n in range(PEERS)
    )
    world["regions"] = [government, *peers]
    world["group"] = PeerGroup.objects.create(
        government=government, name="基准测试市辖县", parent=prefecture
    )
    return {"peer_regions": len(peers)}


@dataclass
class Spec:
    """One indicator as generated: its shape and each region's values, oldest first."""

    monthly: bool
    lower: bool  # lower is better
    cumulative: bool
    headline: bool
    values: list[list[float]]  # per region (the government first), per period


def _spec(rng: random.Random, n: int, periods: list[str]) -> Spec:
    """Each region its own level; a steady trend with a little noise (annual +6 %, monthly
    +1 %; a year-to-date total grows through the year and starts again in January)."""
    monthly = n >= ANNUAL
    lower = n % 5 == 4
    cumulative = monthly and n % 4 == 1
    step = (1.01 if monthly else 1.06) ** (-1 if lower else 1)
    scale = 10 ** rng.uniform(0, 4)
    values = []
    for _region in range(1 + PEERS):
        level = scale * rng.uniform(0.6, 1.6)
        series = []
        for t, period in enumerate(periods):
            if cumulative:
                month = int(period[5:])
                trend = (month / 12) * 1.06 ** (t // 12)
            else:
                trend = step**t
            series.append(level * trend * rng.uniform(0.98, 1.02))
        values.append(series)
    headline = n < HEADLINE or (monthly and n % 3 == 0)
    return Spec(monthly, lower, cumulative, headline, values)


def _threshold(values: list[float], lower: bool, at: int) -> list[float]:
    """A milestone first crossed at `at`: halfway between the best value before and that one."""
    best = min(values[:at]) if lower else max(values[:at])
    crossed = values[at] < best if lower else values[at] > best
    return [round((best + values[at]) / 2, 4)] if crossed else []


def _indicators(rng: random.Random, world: dict[str, Any]) -> dict[str, int]:
    from jinwei.indicators.models import Category, Indicator

    today, government = world["today"], world["government"]
    years = [str(today.year - YEARS + k) for k in range(YEARS)]
    months = project_bench._months_back(today, MONTHS)
    categories = list(Category.objects.order_by("order"))
    specs, made = [], []
    for n in range(ANNUAL + MONTHLY):
        spec = _spec(rng, n, months if n >= ANNUAL else years)
        own = spec.values[0]
        at = len(own) - rng.randint(1, 6) if spec.monthly else rng.randint(YEARS // 2, YEARS - 1)
        thresholds = [] if spec.cumulative or n % 2 else _threshold(own, spec.lower, at)
        specs.append(spec)
        made.append(
            Indicator(
                government=government,
                code=f"B{n:02d}",
                name=f"基准指标{n:02d}",
                unit="亿元",
                direction="lower" if spec.lower else "higher",
                frequency="monthly" if spec.monthly else "annual",
                value_kind="cumulative" if spec.cumulative else "point",
                category=categories[n % len(categories)],
                owner_unit=world["units"][-1],
                thresholds=thresholds,
                is_headline=spec.headline,
                order=n,
            )
        )
    indicators = Indicator.objects.bulk_create(made)
    world["annual_indicators"] = indicators[:ANNUAL]
    return {
        "indicators": len(indicators),
        "observations": _observations(world, indicators, specs, {False: years, True: months}),
        "targets": _targets(world, indicators, specs),
    }


def _observations(
    world: dict[str, Any], indicators: list[Any], specs: list[Spec], periods: dict[bool, list[str]]
) -> int:
    """Every value, approved; half the government's headline indicators with a reported growth."""
    from jinwei.indicators.models import Observation

    observations = project_bench.Bulk(Observation)
    for indicator, spec in zip(indicators, specs, strict=True):
        for r, (region, series) in enumerate(zip(world["regions"], spec.values, strict=True)):
            reports_growth = r == 0 and spec.headline and indicator.pk % 2 == 1
            for t, (period, value) in enumerate(zip(periods[spec.monthly], series, strict=True)):
                growth = (value / series[t - 1] - 1) * 100 if reports_growth and t else None
                observations.add(
                    indicator_id=indicator.pk, region_id=region.pk, period=period,
                    value=f"{value:.4f}", growth_rate=None if growth is None else f"{growth:.4f}",
                    source="基准测试", status="approved",
                )  # fmt: skip
    return observations.insert()


def _targets(world: dict[str, Any], indicators: list[Any], specs: list[Spec]) -> int:
    """The headline indicators' targets for the year of their latest value: 5 % better."""
    from jinwei.indicators.models import Target

    today = world["today"]
    made = Target.objects.bulk_create(
        Target(
            indicator=indicator,
            region=world["government"],
            year=today.year if spec.monthly else today.year - 1,
            value=f"{spec.values[0][-1] * (0.95 if spec.lower else 1.05):.4f}",
        )
        for indicator, spec in zip(indicators, specs, strict=True)
        if spec.headline
    )
    return len(made)


def _recognition(world: dict[str, Any]) -> dict[str, int]:
    """Honours and practices of the last months, opportunities with acted-on items."""
    from jinwei.honors.models import Honour, Practice

    today, government = world["today"], world["government"]
    levels = ["national", "provincial", "municipal"]
    honours = Honour.objects.bulk_create(
        Honour(
            government=government, title=f"基准荣誉称号{n + 1}", level=levels[n % 3],
            year=(on := today - datetime.timedelta(days=20 + 45 * n)).year, awarded_on=on,
            issuer="基准测试省人民政府", unit=world["units"][n],
        )
        for n in range(6)
    )  # fmt: skip
    practices = Practice.objects.bulk_create(
        Practice(
            government=government, title=f"基准经验做法{n + 1}", recognised_by="基准测试省委改革办",
            level=levels[n % 3], recognised_on=today - datetime.timedelta(days=30 + 60 * n),
            promotion="全省推广", unit=world["units"][n],
        )
        for n in range(4)
    )  # fmt: skip
    return {"honours": len(honours), "practices": len(practices), **_opportunities(world)}


def _opportunities(world: dict[str, Any]) -> dict[str, int]:
    """Three opportunities of eight items; each item acted on by a goal, a task and a project,
    except one in five (flagged)."""
    from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem

    government = world["government"]
    opportunities = Opportunity.objects.bulk_create(
        Opportunity(
            government=government, title=f"基准发展机遇{n + 1}", level="provincial", order=n
        )
        for n in range(OPPORTUNITIES)
    )
    items = OpportunityItem.objects.bulk_create(
        OpportunityItem(opportunity=opportunity, number=k + 1, title=f"事项{k + 1}")
        for opportunity in opportunities
        for k in range(ITEMS)
    )
    actions = []
    for n, item in enumerate(items):
        if n % 5 == 4:
            continue
        actions += [
            ItemAction(item=item, goal=world["goals"][n % len(world["goals"])]),
            ItemAction(item=item, task_id=world["task_ids"][n]),
            ItemAction(item=item, project_id=world["project_ids"][n]),
        ]
    ItemAction.objects.bulk_create(actions)
    return {
        "opportunities": len(opportunities),
        "opportunity_items": len(items),
        "item_actions": len(actions),
    }


def _evaluation(world: dict[str, Any]) -> dict[str, int]:
    """A published composite evaluation of the annual indicators over the ten years."""
    from jinwei.rankings.models import EvaluationScheme, EvaluationScore, SchemeIndicator
    from jinwei.rankings.services import scheme_evaluate

    today = world["today"]
    scheme = EvaluationScheme.objects.create(
        government=world["government"],
        name="基准综合评价",
        peer_group=world["group"],
        first_year=today.year - YEARS,
        last_year=today.year - 1,
    )
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(scheme=scheme, indicator=indicator, dimension=indicator.category, order=k)
        for k, indicator in enumerate(world["annual_indicators"])
    )
    run = scheme_evaluate(actor=None, scheme=scheme, publish=True)
    return {"evaluation_scores": EvaluationScore.objects.filter(run=run).count()}


# --- the measurements ----------------------------------------------------------------------------


def measure_pages(world: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world["supervisor"])
    results: dict[str, Any] = {}
    for name, url_name in PAGES.items():
        results[name] = asdict(median_ms(partial(client.get, reverse(url_name))))
    return results


@dataclass
class Calls:
    first_s: float  # the first call, in a process that has not made one yet
    s: float  # the median of the calls after it
    queries: int  # of one call
    db_ms: float  # median time spent in the database's execute calls
    cpu_ms: float  # median CPU time of this process


def time_calls(call: Callable[[], object], runs: int) -> Calls:
    """The first call, then the median of `runs` more."""
    from django.db import connection

    queries, in_db = 0, 0.0

    def count(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal queries, in_db
        queries += 1
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            in_db += time.perf_counter() - started

    times, db_times, cpu_times = [], [], []
    with connection.execute_wrapper(count):
        for _ in range(1 + runs):
            queries, in_db = 0, 0.0
            started, cpu = time.perf_counter(), time.process_time()
            call()
            times.append(time.perf_counter() - started)
            cpu_times.append((time.process_time() - cpu) * 1000)
            db_times.append(in_db * 1000)
    median = statistics.median
    return Calls(times[0], median(times[1:]), queries, median(db_times[1:]), median(cpu_times[1:]))


def measure_document(world: dict[str, Any]) -> dict[str, Any]:
    from jinwei.reports.compose import build_document
    from jinwei.reports.writing import last_month

    today, government = world["today"], world["government"]
    period = last_month(today)
    blocks: list[Any] = []

    def build() -> object:
        document = build_document(government=government, period=period, today=today)
        blocks[:] = document.blocks
        return document

    return asdict(time_calls(build, DOCUMENT_RUNS)) | {"blocks": len(blocks)}


def measure_briefing(world: dict[str, Any], path: Path) -> dict[str, Any]:
    from jinwei.reports.writing import last_month, write_briefing

    today, government = world["today"], world["government"]
    period = last_month(today)
    warnings: list[str] = []

    def write() -> object:
        written = write_briefing(
            government=government, period=period, today=today, docx_path=path, pdf=False
        )
        warnings[:] = written.warnings
        return written

    calls = time_calls(write, WRITE_RUNS)
    return asdict(calls) | {"kilobytes": path.stat().st_size / 1024, "warnings": warnings}


def run_child(engine_name: str, sizes: tuple[int, int, int]) -> dict[str, Any]:
    counts = ",".join(str(n) for n in sizes)
    command = [sys.executable, __file__, "--child", engine_name, "--count", counts]
    env = os.environ | {"PYTHONPATH": str(SRC)}
    output = subprocess.run(command, check=False, capture_output=True, text=True, env=env)  # noqa: S603
    if output.returncode:
        sys.exit(f"{engine_name} run failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- the parent: run everything, print ---------------------------------------------------------


def report(engine_name: str, result: dict[str, Any]) -> None:
    project_bench.report(engine_name, result)  # generate, rows, and the pages
    document = result["document"]
    _calls(f"briefing_document_{engine_name}", document, DOCUMENT_RUNS, DOCUMENT_GOAL_S)
    print(f"briefing_document_{engine_name}_blocks: {document['blocks']}", flush=True)
    written = result["briefing"]
    _calls(f"briefing_write_{engine_name}", written, WRITE_RUNS, WRITE_GOAL_S)
    print(f"briefing_write_{engine_name}_file: {written['kilobytes']:.0f} KiB", flush=True)
    for warning in written["warnings"]:
        print(f"briefing_write_{engine_name}_warning: {warning}", flush=True)


def _calls(name: str, calls: dict[str, Any], runs: int, goal_s: float) -> None:
    seconds = calls["s"]
    line(name, seconds, "s", f"≤ {goal_s} s median of {runs}", seconds <= goal_s)
    print(
        f"{name}_detail: first call {calls['first_s']:.1f} s, {calls['queries']} queries, "
        f"{calls['db_ms']:.1f} ms in execute calls, {calls['cpu_ms']:.1f} ms CPU of this process",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    tasks, projects, leads = QUICK
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{tasks:,} tasks, {projects:,} projects and {leads:,} leads",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--count", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tasks, projects, leads = (int(n) for n in args.count.split(","))
        print(json.dumps(child(args.child, (tasks, projects, leads))))
        return
    sizes = QUICK if args.quick else FULL
    tasks, projects, leads = sizes
    print(
        f"tasks: {tasks:,}; projects: {projects:,} with {project_bench.MONTHS} monthly reports "
        f"each; leads: {leads:,}; indicators: {ANNUAL} annual × {YEARS} years and {MONTHLY} "
        f"monthly × {MONTHS} months for {1 + PEERS} regions; pages: median of {REPEAT} requests "
        f"as a supervisor"
    )
    engines = [] if args.no_sqlite else ["sqlite"]
    engines += [] if args.no_postgres else ["postgresql"]
    for engine_name in engines:
        report(engine_name, run_child(engine_name, sizes))


if __name__ == "__main__":
    main()
