"""Benchmark of goals and tasks (issue 5): `bench/tasks [--quick] [--no-postgres] [--no-sqlite]`.

Builds 100,000 tasks (10,000 with --quick) across 30 units of one government in a fresh
database: mixed states (drafts, assigned, in progress, completion requested, closed on time and
late with scores, cancelled), deadlines spread over two years around today, progress, report
counters, the stored yellow/red days from `services.schedule_dates`, and co-units on a fifth of
them; on PostgreSQL the planner's statistics are then gathered (ANALYZE), as autovacuum does
after a bulk load. Then it prints the server time of the pages (Django's test client in the same
process, signed in, the median of 20 requests after 3 warm-up requests) and the number of
queries of one request:

- the task list filtered by colour and unit (`?colour=red&unit=…`), first page, as a supervisor
  and as the staff of that unit;
- "My work", as the supervisor and as the unit's staff;
- the scorecards (towns and departments ranked for the year), as both;

and the time of one reminder cycle over every task (`jinwei remind`: reminders, missed reports,
the escalation ladder, e-mails to the in-memory backend).

Each database runs in its own process (Django configures one database per process). SQLite goes
to a temporary folder; PostgreSQL to a temporary database created and dropped here
(JINWEI_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres). A page that does not
exist yet (404) or a missing cycle is reported as such. Lines read `name: value unit (goal: …)`;
each page's `_detail` line adds its queries, the time spent in the database driver's execute
calls (on SQLite rows are stepped through after it, so this is a lower bound) and the CPU time of
this process, which a machine busy with other work does not inflate as it does the clock.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FULL = 100_000
QUICK = 10_000
TOWNS = 15
DEPARTMENTS = 15
WARM_UP = 3
REPEAT = 20
PAGE_GOAL_MS = 100
CYCLE_GOAL_S = 10
PG_ADMIN_URL = os.environ.get("JINWEI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

# (state, share of the tasks)
STATES = (
    ("draft", 0.05),
    ("assigned", 0.08),
    ("in_progress", 0.52),
    ("completion_requested", 0.05),
    ("closed", 0.27),
    ("cancelled", 0.03),
)


# --- one database per process ------------------------------------------------------------------


def child(engine_name: str, count: int) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="jinwei-bench-tasks-"))
    os.environ["JINWEI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinwei.settings"
    os.environ["JINWEI_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("JINWEI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    pg_name = ""
    if engine_name == "postgresql":
        pg_name = f"jinwei_bench_tasks_{os.getpid()}"
        _pg_admin(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    try:
        return _measure(count)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"')


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def _measure(count: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link the manifest
    started = time.perf_counter()
    world = populate(count)
    results: dict[str, Any] = {"generate": time.perf_counter() - started, "pages": {}}
    results["pages"] = measure_pages(world)
    results["cycle"] = measure_cycle(world)
    return results


# --- the data ------------------------------------------------------------------------------------


def populate(count: int, seed: int = 5) -> dict[str, Any]:
    """A government, 30 units, a supervisor and one unit's staff, goals, and `count` tasks."""
    from django.db import transaction
    from django.utils import timezone

    from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
    from jinwei.tasks.models import Goal

    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        government = Region.objects.create(
            code="449999", name="基准测试县", level=Region.Level.COUNTY
        )
        office = OrgUnit.objects.create(
            government=government, name="督查室", kind=OrgUnit.Kind.SUPERVISION
        )
        kinds = [OrgUnit.Kind.TOWN] * TOWNS + [OrgUnit.Kind.DEPARTMENT] * DEPARTMENTS
        units = OrgUnit.objects.bulk_create(
            OrgUnit(government=government, name=f"测试单位{n + 1}", kind=kind, order=n)
            for n, kind in enumerate(kinds)
        )
        supervisor = User.objects.create_user("bench-supervisor", password=None, name="督查员")
        staff = User.objects.create_user("bench-staff", password=None, name="镇干事")
        leader = User.objects.create_user("bench-leader", password=None, name="领导")
        Membership.objects.bulk_create(
            [
                Membership(user=supervisor, unit=office, role=Role.SUPERVISOR),
                Membership(user=staff, unit=units[0], role=Role.STAFF, is_head=True),
                Membership(user=leader, unit=office, role=Role.LEADER),
            ]
        )
        goals = Goal.objects.bulk_create(
            Goal(government=government, title=f"目标{n + 1}", horizon=1) for n in range(20)
        )
        _tasks(rng, today, government, units, goals, leader, office, count)
    _analyze()
    return {
        "government": government,
        "unit": units[0],
        "supervisor": supervisor,
        "staff": staff,
        "today": today,
    }


def _tasks(
    rng: random.Random,
    today: datetime.date,
    government: Any,
    units: list[Any],
    goals: list[Any],
    leader: Any,
    office: Any,
    count: int,
) -> None:
    from django.utils import timezone

    from jinwei.tasks import services
    from jinwei.tasks.models import CoUnit, Task

    rules = services.rules_for(government.pk)
    now = timezone.now()
    states = [s for s, _share in STATES]
    weights = [share for _s, share in STATES]
    tasks = []
    for n in range(count):
        state = rng.choices(states, weights)[0]
        deadline = today + datetime.timedelta(days=rng.randint(-365, 365))
        start = deadline - datetime.timedelta(days=rng.randint(30, 365))
        task = Task(
            government=government,
            code=f"B{n:06d}",
            title=f"基准任务{n}",
            lead_unit=rng.choice(units),
            leader=leader if n % 3 == 0 else None,
            supervising_unit=office,
            goal=rng.choice(goals) if n % 2 == 0 else None,
            start_date=start,
            deadline=deadline,
            original_deadline=deadline,
            state=state,
            priority=rng.choice((1, 2, 2, 3)),
            report_cadence=rng.choice(("monthly", "monthly", "weekly", "none")),
            progress=rng.randint(0, 100) if state != "draft" else 0,
            created_at=now,
            updated_at=now,
        )
        _loop_fields(rng, task, today, now)
        for name, value in services.schedule_dates(task, rules).items():
            setattr(task, name, value)
        tasks.append(task)
    made = Task.objects.bulk_create(tasks, batch_size=2000)
    co_units = []
    for task in made:
        if rng.random() < 0.2:
            others = [u for u in rng.sample(units, 3) if u.pk != task.lead_unit_id][:2]
            co_units += [CoUnit(task=task, unit=u, created_at=now, updated_at=now) for u in others]
    CoUnit.objects.bulk_create(co_units, batch_size=5000)


def _analyze() -> None:
    """PostgreSQL's planner statistics, as autovacuum would have them after a bulk load (SQLite
    keeps none unless asked, and a deployment does not ask)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _loop_fields(
    rng: random.Random, task: Any, today: datetime.date, now: datetime.datetime
) -> None:
    """Dates and counters that go with the task's state."""
    if task.state == "draft":
        return
    task.assigned_at = now - datetime.timedelta(days=rng.randint(1, 300))
    task.acknowledge_by = today + datetime.timedelta(days=rng.randint(-10, 3))
    months = max(0, (min(today, task.deadline) - task.start_date).days // 30)
    task.reports_on_time = rng.randint(0, months)
    task.reports_late = rng.randint(0, max(0, months - task.reports_on_time))
    task.reports_missed = max(0, months - task.reports_on_time - task.reports_late)
    if task.state in ("in_progress", "completion_requested"):
        task.acknowledged_at = task.assigned_at + datetime.timedelta(days=1)
    active = task.state in ("assigned", "in_progress", "completion_requested")
    if active and task.report_cadence != "none":
        task.next_report_due = today + datetime.timedelta(days=rng.randint(-20, 30))
    if task.state == "closed":
        task.progress = 100
        task.closed_on = task.deadline + datetime.timedelta(days=rng.randint(-20, 15))
        task.score_timeliness = rng.randint(60, 100)
        task.score_quality = rng.randint(60, 100)


# --- the measurements ----------------------------------------------------------------------------


@dataclass
class Timed:
    ms: float | None  # median over REPEAT requests after WARM_UP; None if not a 200
    status: int
    queries: int = 0  # of one request
    db_ms: float = 0.0  # median time spent in the database's execute calls
    cpu_ms: float = 0.0  # median CPU time of this process (what a busy machine does not inflate)


def median_ms(request: Callable[[], Any]) -> Timed:
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

    with connection.execute_wrapper(count):  # the request resets connection.queries
        for _ in range(WARM_UP):
            queries = 0
            status = request().status_code
            if status != 200:
                return Timed(None, status)
        per_request, times, db_times, cpu_times = queries, [], [], []
        for _ in range(REPEAT):
            in_db = 0.0
            started, cpu = time.perf_counter(), time.process_time()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
            db_times.append(in_db * 1000)
            assert response.status_code == 200, response.status_code
    median = statistics.median
    return Timed(median(times), 200, per_request, median(db_times), median(cpu_times))


def measure_pages(world: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    clients = {}
    for role in ("supervisor", "staff"):
        clients[role] = Client()
        clients[role].force_login(world[role])
    unit = world["unit"].pk
    listing = reverse("tasks:list") + f"?colour=red&unit={unit}"
    pages = {
        "task_list_red_unit_supervisor": ("supervisor", listing),
        "task_list_red_unit_staff": ("staff", listing),
        "my_work_supervisor": ("supervisor", reverse("tasks:my_work")),
        "my_work_staff": ("staff", reverse("tasks:my_work")),
        "scorecards_supervisor": ("supervisor", reverse("tasks:scorecards")),
        "scorecards_staff": ("staff", reverse("tasks:scorecards")),
    }
    results: dict[str, Any] = {}
    for name, (role, url) in pages.items():
        client = clients[role]
        results[name] = asdict(median_ms(lambda client=client, url=url: client.get(url)))
    return results


def measure_cycle(world: dict[str, Any]) -> dict[str, Any]:
    try:
        from jinwei.supervision.services import run_remind_cycle
    except ImportError:
        return {"seconds": None}
    started = time.perf_counter()
    try:
        summary = run_remind_cycle(today=world["today"], government=world["government"])
    except Exception as error:  # the pages' figures still count; say why the cycle has none
        return {"seconds": None, "error": f"{type(error).__name__}: {error}"}
    first = time.perf_counter() - started
    started = time.perf_counter()
    run_remind_cycle(today=world["today"], government=world["government"])
    again = time.perf_counter() - started
    created = getattr(summary, "notifications_total", None)
    return {"seconds": first, "again": again, "notifications": created}


def run_child(engine_name: str, count: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", engine_name, "--count", str(count)]
    env = os.environ | {"PYTHONPATH": str(SRC)}
    output = subprocess.run(command, check=False, capture_output=True, text=True, env=env)  # noqa: S603
    if output.returncode:
        sys.exit(f"{engine_name} run failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- the parent: run everything, print ---------------------------------------------------------


def line(name: str, value: float, unit: str, goal: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else (" — met" if met else " — NOT met")
    suffix = f" (goal: {goal}){verdict}" if goal else ""
    print(f"{name}: {value:.1f}{f' {unit}' if unit else ''}{suffix}", flush=True)


def report(engine_name: str, result: dict[str, Any]) -> None:
    line(f"generate_{engine_name}", result["generate"], "s")
    for name, page in result["pages"].items():
        if page["ms"] is None:
            print(f"{name}_{engine_name}: not measured (status {page['status']})", flush=True)
            continue
        ms = page["ms"]
        line(f"{name}_{engine_name}", ms, "ms", f"≤ {PAGE_GOAL_MS} ms median", ms <= PAGE_GOAL_MS)
        print(
            f"{name}_{engine_name}_detail: {page['queries']} queries, "
            f"{page['db_ms']:.1f} ms in execute calls, {page['cpu_ms']:.1f} ms CPU of this process",
            flush=True,
        )
    cycle = result["cycle"]
    if cycle["seconds"] is None:
        why = cycle.get("error", "no run_remind_cycle")
        print(f"remind_cycle_{engine_name}: not measured ({why})", flush=True)
        return
    seconds = cycle["seconds"]
    line(
        f"remind_cycle_{engine_name}", seconds, "s", f"≤ {CYCLE_GOAL_S} s", seconds <= CYCLE_GOAL_S
    )
    line(f"remind_cycle_again_{engine_name}", cycle["again"], "s")
    if cycle.get("notifications") is not None:
        line(f"remind_cycle_notifications_{engine_name}", cycle["notifications"], "")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} tasks instead of {FULL:,}")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.count)))
        return
    count = QUICK if args.quick else FULL
    print(f"tasks: {count} across {TOWNS + DEPARTMENTS} units; pages: median of {REPEAT} requests")
    engines = [] if args.no_sqlite else ["sqlite"]
    engines += [] if args.no_postgres else ["postgresql"]
    for engine_name in engines:
        report(engine_name, run_child(engine_name, count))


if __name__ == "__main__":
    main()
