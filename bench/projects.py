"""Benchmark of key projects and the investment pipeline (issue 6):
`bench/projects [--quick] [--no-postgres] [--no-sqlite]`.

Builds 20,000 projects with 24 monthly reports each (480,000 reports) and 50,000 leads (2,000
projects and 5,000 leads with --quick) for one government in a fresh database, written in bulk
(COPY on PostgreSQL, multi-row INSERTs on SQLite; no services): projects spread over types,
parks, chain links, 30 units and the five stages, with consistent dates, annual plans for two
years and their stage-change history; reports for the 24 months up to last month with rising
physical progress and occasional problems; leads spread over the seven stages, the sources,
chain links and owner units, with their stage-change history, the signed ones linked to
projects. On PostgreSQL the planner's statistics are then gathered (ANALYZE), as autovacuum
does after a bulk load. Then it prints the server time (Django's test client in the same
process, signed in as a supervisor, the median of 20 requests after 3 warm-up requests) and the
number of queries of one request, of:

- the project list (`projects:list`), first page;
- the pipeline board (`investment:pipeline`);
- the funnel analytics (`investment:funnel`).

Each database runs in its own process (Django configures one database per process). SQLite goes
to a temporary folder; PostgreSQL to a temporary database created and dropped here
(JINWEI_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres). A page that does not
exist yet (no such URL name, or 404) is reported as missing. Lines read
`name: value unit (goal: …) — met/NOT met`; each page's `_detail` line adds its queries, the
time spent in the database driver's execute calls (on SQLite rows are stepped through after it,
so this is a lower bound) and the CPU time of this process, which a machine busy with other work
does not inflate as it does the clock.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tasks import PAGE_GOAL_MS, REPEAT, line, median_ms  # bench/tasks.py: same measures

FULL = (20_000, 50_000)  # projects, leads
QUICK = (2_000, 5_000)
MONTHS = 24
TOWNS = 15
DEPARTMENTS = 15
PARKS = 8
CHAINS = 6
LINKS_PER_CHAIN = 12
PG_ADMIN_URL = os.environ.get("JINWEI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

PAGES = {  # name: URL name
    "project_list": "projects:list",
    "pipeline_board": "investment:pipeline",
    "funnel_analytics": "investment:funnel",
}
KINDS = (("industrial", 0.6), ("infrastructure", 0.25), ("public_service", 0.15))
STAGES = (
    ("signed", 0.15),
    ("started", 0.10),
    ("under_construction", 0.45),
    ("completed", 0.15),
    ("in_production", 0.15),
)
LEAD_STAGES = (
    ("clue", 0.35),
    ("contact", 0.20),
    ("visit", 0.15),
    ("negotiation", 0.10),
    ("signed", 0.08),
    ("registered", 0.05),
    ("landed", 0.07),
)
SOURCES = (
    ("compatriots", 0.2),
    ("referral", 0.25),
    ("remote", 0.2),
    ("fair", 0.1),
    ("spring_festival", 0.1),
    ("self", 0.1),
    ("other", 0.05),
)


# --- one database per process ------------------------------------------------------------------


def child(engine_name: str, projects: int, leads: int) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="jinwei-bench-projects-"))
    os.environ["JINWEI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinwei.settings"
    os.environ.setdefault("JINWEI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    pg_name = ""
    if engine_name == "postgresql":
        pg_name = f"jinwei_bench_projects_{os.getpid()}"
        _pg_admin(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    try:
        return _measure(projects, leads)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"')


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def _measure(projects: int, leads: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link the manifest
    started = time.perf_counter()
    world = populate(projects, leads)
    results: dict[str, Any] = {"generate": time.perf_counter() - started, "rows": world["rows"]}
    results["pages"] = measure_pages(world)
    return results


# --- the data ------------------------------------------------------------------------------------


class Bulk:
    """Rows for one model as dicts of attnames; the columns left out take their defaults."""

    def __init__(self, model: Any) -> None:
        from django.utils import timezone

        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        self.defaults = {
            f.attname: (now if f.attname in ("created_at", "updated_at", "at") else f.get_default())
            for f in self.fields
        }
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **values: Any) -> None:
        from jinwei.supervision.bulk import db_value

        row = self.defaults | values
        self.rows.append(tuple(_db(db_value, row[f.attname]) for f in self.fields))

    def insert(self) -> int:
        from jinwei.supervision.bulk import insert_rows

        insert_rows(self.model._meta.db_table, [f.column for f in self.fields], self.rows)
        count, self.rows = len(self.rows), []
        return count


def _db(db_value: Any, value: Any) -> Any:
    if isinstance(value, datetime.date):
        return db_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def populate(projects: int, leads: int, seed: int = 6) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        world = _foundation(today)
        rows = _projects(rng, today, world, projects)
        rows.update(_reports(rng, today, world))
        rows.update(_leads(rng, today, world, leads))
    _analyze()
    world["rows"] = rows
    return world


def _foundation(today: datetime.date) -> dict[str, Any]:
    """A government, 30 units, an investment bureau and a supervision office, people, parks, and
    chains with their links."""
    from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
    from jinwei.projects.models import ChainLink, IndustryChain, Park

    government = Region.objects.create(code="449999", name="基准测试县", level=Region.Level.COUNTY)
    office = OrgUnit.objects.create(government=government, name="督查室", kind="supervision")
    bureau = OrgUnit.objects.create(government=government, name="投资促进局", kind="department")
    kinds = [OrgUnit.Kind.TOWN] * TOWNS + [OrgUnit.Kind.DEPARTMENT] * DEPARTMENTS
    units = OrgUnit.objects.bulk_create(
        OrgUnit(government=government, name=f"测试单位{n + 1}", kind=kind, order=n)
        for n, kind in enumerate(kinds)
    )
    supervisor = User.objects.create_user("bench-supervisor", password=None, name="督查员")
    leaders = [User.objects.create_user(f"bench-leader-{n}", name=f"领导{n}") for n in range(5)]
    promoters = [User.objects.create_user(f"bench-ivy-{n}", name=f"招商员{n}") for n in range(10)]
    Membership.objects.bulk_create(
        [Membership(user=supervisor, unit=office, role=Role.SUPERVISOR)]
        + [Membership(user=u, unit=office, role=Role.LEADER) for u in leaders]
        + [Membership(user=u, unit=bureau, role=Role.INVESTMENT) for u in promoters]
    )
    parks = Park.objects.bulk_create(
        Park(government=government, name=f"测试产业园{n + 1}", managing_unit=units[n])
        for n in range(PARKS)
    )
    chains = IndustryChain.objects.bulk_create(
        IndustryChain(government=government, name=f"测试产业链{n + 1}", order=n)
        for n in range(CHAINS)
    )
    segments = ["upstream", "midstream", "downstream"]
    links = ChainLink.objects.bulk_create(
        ChainLink(chain=chain, segment=segments[n % 3], name=f"环节{c + 1}-{n + 1}", order=n)
        for c, chain in enumerate(chains)
        for n in range(LINKS_PER_CHAIN)
    )
    return {
        "government": government,
        "units": units,
        "towns": units[:TOWNS],
        "bureau": bureau,
        "supervisor": supervisor,
        "leaders": leaders,
        "promoters": promoters,
        "parks": parks,
        "links": links,
        "today": today,
    }


def _months_back(today: datetime.date, count: int) -> list[str]:
    """The `count` months up to last month, oldest first ("2024-09")."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(f"{year}-{month:02d}")
    return months[::-1]


def _projects(
    rng: random.Random, today: datetime.date, world: dict[str, Any], count: int
) -> dict[str, int]:
    from jinwei.projects.models import InvestmentPlan, Project, ProjectStageChange

    projects = Bulk(Project)
    order = [s for s, _w in STAGES]
    day = datetime.timedelta(days=1)
    history: list[tuple[str, list[tuple[str, datetime.date]]]] = []
    for n in range(count):
        kind = _pick(rng, KINDS)
        stage = _pick(rng, STAGES)
        signed = today - rng.randint(200, 1500) * day
        started = signed + rng.randint(30, 150) * day
        completed = started + rng.randint(180, 720) * day
        production = completed + rng.randint(15, 120) * day
        reached = order[: order.index(stage) + 1]
        dates = {"signed": signed, "started": started, "under_construction": started,
                 "completed": completed, "in_production": production}  # fmt: skip
        code = f"B{n:06d}"
        projects.add(
            government_id=world["government"].pk,
            code=code,
            name=f"基准项目{n}",
            kind=kind,
            park_id=rng.choice(world["parks"]).pk if kind == "industrial" and n % 5 else None,
            chain_link_id=rng.choice(world["links"]).pk if kind == "industrial" else None,
            investor=f"投资企业{n % 3000}",
            total_investment=Decimal(rng.randint(1_000, 500_000)),
            lead_unit_id=rng.choice(world["units"]).pk,
            leader_id=rng.choice(world["leaders"]).pk if n % 2 else None,
            stage=stage,
            planned_start=signed + 60 * day,
            planned_completion=signed + 600 * day,
            planned_production=signed + 700 * day,
            signed_on=signed,
            started_on=started if "started" in reached else None,
            completed_on=completed if "completed" in reached else None,
            production_on=production if "in_production" in reached else None,
            progress=100 if stage in ("completed", "in_production") else rng.randint(0, 95),
            town_id=rng.choice(world["towns"]).pk,
            address=f"测试大道{n}号",
        )
        history.append((code, [(s, min(dates[s], today)) for s in reached]))
    written = projects.insert()
    ids = dict(Project.objects.filter(government=world["government"]).values_list("code", "id"))
    world["project_ids"] = list(ids.values())
    changes, plans = Bulk(ProjectStageChange), Bulk(InvestmentPlan)
    for code, steps in history:
        before = ""
        for stage, on in steps:
            changes.add(project_id=ids[code], from_stage=before, to_stage=stage, on=on)
            before = stage
        for year in (today.year, today.year + 1):
            plans.add(project_id=ids[code], year=year, amount=Decimal(rng.randint(500, 50_000)))
    return {
        "projects": written,
        "project_stage_changes": changes.insert(),
        "annual_plans": plans.insert(),
    }


def _reports(rng: random.Random, today: datetime.date, world: dict[str, Any]) -> dict[str, int]:
    from jinwei.projects.models import InvestmentReport

    reports = Bulk(InvestmentReport)
    months = _months_back(today, MONTHS)
    reporter = world["supervisor"].pk
    written = 0
    for project_id in world["project_ids"]:
        progress = 0
        for month in months:
            progress = min(100, progress + rng.randint(0, 8))
            reports.add(
                project_id=project_id,
                period=month,
                amount=Decimal(rng.randint(0, 3_000)),
                progress=progress,
                progress_text="主体施工",
                problems="用地报批待协调" if rng.random() < 0.1 else "",
                reported_by_id=reporter,
            )
        if len(reports.rows) >= 50_000:
            written += reports.insert()
    return {"reports": written + reports.insert()}


def _leads(
    rng: random.Random, today: datetime.date, world: dict[str, Any], count: int
) -> dict[str, int]:
    from jinwei.investment.models import Lead, LeadStageChange

    leads = Bulk(Lead)
    order = [s for s, _w in LEAD_STAGES]
    day = datetime.timedelta(days=1)
    owners = [world["bureau"], *world["towns"]]
    free_projects = list(world["project_ids"])
    rng.shuffle(free_projects)
    history: list[tuple[list[tuple[str, datetime.date]], datetime.date | None]] = []
    for n in range(count):
        stage = _pick(rng, LEAD_STAGES)
        reached = order[: order.index(stage) + 1]
        on = today - rng.randint(30, 900) * day
        steps = []
        for step in reached:
            steps.append((step, on))
            on = min(today, on + rng.randint(5, 90) * day)
        signed = stage in ("signed", "registered", "landed")
        owner_unit = owners[0] if n % 3 else rng.choice(owners)
        leads.add(
            government_id=world["government"].pk,
            company=f"意向企业{n}",
            project_name=f"意向项目{n}",
            industry="智能装备",
            chain_link_id=rng.choice(world["links"]).pk if n % 5 else None,
            intended_investment=Decimal(rng.randint(500, 300_000)),
            source=_pick(rng, SOURCES),
            owner_unit_id=owner_unit.pk,
            owner_id=rng.choice(world["promoters"]).pk,
            stage=stage,
            stage_since=steps[-1][1],
            top_stage=stage,  # forward moves only: the current stage is the highest reached
            next_action="回访" if not signed else "",
            next_action_on=today + rng.randint(-10, 30) * day if not signed else None,
            contact_name=f"联系人{n}",
            contact_phone=f"139{n:08d}",
            signed_on=steps[order.index("signed")][1] if signed else None,
            signed_investment=Decimal(rng.randint(500, 300_000)) if signed else None,
            project_id=free_projects.pop() if signed and free_projects else None,
            dropped_on=(dropped := _dropped(rng, today) if not signed else None),
        )
        history.append((steps, dropped))
    written = leads.insert()
    mine = Lead.objects.filter(government=world["government"]).order_by("id")
    ids = list(mine.values_list("id", flat=True))
    changes = Bulk(LeadStageChange)
    for lead_id, (steps, dropped) in zip(ids, history, strict=True):
        before = ""
        # each stay ends when the next one starts, the last one when the lead was dropped
        ends = [on for _stage, on in steps[1:]] + [dropped]
        for (stage, on), left_on in zip(steps, ends, strict=True):
            changes.add(
                lead_id=lead_id,
                government_id=world["government"].pk,
                from_stage=before,
                to_stage=stage,
                on=on,
                left_on=left_on,
                days_in_stage=(left_on - on).days if left_on else None,
            )
            before = stage
    return {"leads": written, "lead_stage_changes": changes.insert()}


def _dropped(rng: random.Random, today: datetime.date) -> datetime.date | None:
    """One open lead in ten was dropped lately."""
    return today - datetime.timedelta(days=rng.randint(1, 60)) if rng.random() < 0.1 else None


def _analyze() -> None:
    """PostgreSQL's planner statistics, as autovacuum would have them after a bulk load."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- the measurements ----------------------------------------------------------------------------


def measure_pages(world: dict[str, Any]) -> dict[str, Any]:
    from dataclasses import asdict

    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    client = Client()
    client.force_login(world["supervisor"])
    results: dict[str, Any] = {}
    for name, url_name in PAGES.items():
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            results[name] = {"ms": None, "status": 0, "missing": url_name}
            continue
        results[name] = asdict(median_ms(lambda url=url: client.get(url)))
    return results


def run_child(engine_name: str, projects: int, leads: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", engine_name, "--count", f"{projects},{leads}"]
    env = os.environ | {"PYTHONPATH": str(SRC)}
    output = subprocess.run(command, check=False, capture_output=True, text=True, env=env)  # noqa: S603
    if output.returncode:
        sys.exit(f"{engine_name} run failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- the parent: run everything, print ---------------------------------------------------------


def report(engine_name: str, result: dict[str, Any]) -> None:
    line(f"generate_{engine_name}", result["generate"], "s")
    rows = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in result["rows"].items())
    print(f"rows_{engine_name}: {rows}", flush=True)
    for name, page in result["pages"].items():
        if page.get("missing"):
            print(f"{name}_{engine_name}: missing (no URL named {page['missing']})", flush=True)
            continue
        if page["ms"] is None:
            why = "missing" if page["status"] == 404 else "not measured"
            print(f"{name}_{engine_name}: {why} (status {page['status']})", flush=True)
            continue
        ms = page["ms"]
        line(f"{name}_{engine_name}", ms, "ms", f"≤ {PAGE_GOAL_MS} ms median", ms <= PAGE_GOAL_MS)
        print(
            f"{name}_{engine_name}_detail: {page['queries']} queries, "
            f"{page['db_ms']:.1f} ms in execute calls, {page['cpu_ms']:.1f} ms CPU of this process",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK[0]:,} projects and {QUICK[1]:,} leads"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--count", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        projects, leads = (int(n) for n in args.count.split(","))
        print(json.dumps(child(args.child, projects, leads)))
        return
    projects, leads = QUICK if args.quick else FULL
    print(
        f"projects: {projects:,} with {MONTHS} monthly reports each, leads: {leads:,}; "
        f"pages: median of {REPEAT} requests as a supervisor"
    )
    engines = [] if args.no_sqlite else ["sqlite"]
    engines += [] if args.no_postgres else ["postgresql"]
    for engine_name in engines:
        report(engine_name, run_child(engine_name, projects, leads))


if __name__ == "__main__":
    main()
