"""Key projects demo: Enping's parks, industry chains and key projects, played through the services.

Parks, chains and links go through `projects.parks`; each project is created with its plans and
milestones by `project_create`, then taken through its stages (`project_advance`), its milestones
reached (`milestone_reach`) and its monthly reports filed (`report_submit`) by the staff of its
lead unit, in the order of their days; one project's problem is raised as a supervised task
(`project_raise_task`). So the audit trail holds the demo data as people would have entered it.
Idempotent: rows are found by their natural keys (name, code), an existing project is left as it
is, story and all, and a deleted one is told again. The data lives in `demo_data`.

The helpers below (`resolve`, `demo_person`, `unit_actor`, `play_project`) serve the investment
and enterprise demos too.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
from jinwei.audit.services import tracked_create, tracked_update
from jinwei.core.demo import DEMO_NOTE, demo_step, get_or_create
from jinwei.indicators.models import Indicator
from jinwei.projects import demo_data, investment_totals, parks, services
from jinwei.projects.demo_data import ChainSpec, LinkSpec, ProjectSpec, Reports, When
from jinwei.projects.models import (
    ChainLink,
    IndustryChain,
    Park,
    Project,
    ProjectMilestone,
    ProjectRules,
)
from jinwei.tasks import demo_data as task_demo_data

MANAGER = "investment"  # the foundation's investment staff account manages the demo's projects
SUPERVISOR = "supervisor"  # raises problems as supervised tasks
COMPLETED_INVESTMENT_INDICATOR = "重点项目完成投资"


@demo_step("projects")
def load_projects() -> int:
    """Key projects: the article's parks, four industry chains (数控机床 with gaps), a dozen
    projects across the stages with plans, milestones and up to 24 monthly reports."""
    government = demo_government()
    today = timezone.localdate()
    created = ensure_people()
    manager = User.objects.get(username=MANAGER)
    chains, new = _load_chains(government, manager)
    created += new
    parks_by_name, new = _load_parks(government, manager, chains)
    created += new
    links = chain_links(government)
    for spec in demo_data.PROJECTS:
        created += _tell(spec, government, today, manager, parks_by_name, links)
    created += _load_rules(government)
    investment_totals.feed_indicator(actor=manager, government=government, year=today.year)
    return created


# --- dates and people (shared with the investment and enterprise demos) ---------------------------


def resolve(when: When, today: datetime.date) -> datetime.date:
    """The date a data row means: as written, or relative to `today`."""
    if isinstance(when, demo_data.Rel):
        index = today.year * 12 + today.month - 1 + when.months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return datetime.date(year, month + 1, min(when.day, last))
    if isinstance(when, demo_data.Days):
        return today + datetime.timedelta(days=when.days)
    return when


def add_months(day: datetime.date, months: int) -> datetime.date:
    return resolve(demo_data.Rel(months, day.day), day)


def ensure_people() -> int:
    """The illustrative staff and deputy mayors the demos act as (the tasks demo creates the
    same people when it runs first; they cannot sign in)."""
    created = 0
    leadership = demo_unit(demo_data.LEADERSHIP)
    for login, name in task_demo_data.LEADERS:
        created += demo_person(login, name, leadership, Role.LEADER, "副市长")
    return created


def demo_person(login: str, name: str, unit: OrgUnit, role: str, title: str) -> int:
    """An illustrative person who cannot sign in, with a membership; how many rows were new."""
    created = 0
    user = User.objects.filter(username=login).first()
    if user is None:
        user = User(username=login, name=name)
        user.set_unusable_password()
        user = tracked_create(actor=None, obj=user, note=DEMO_NOTE)
        created += 1
    _, new = get_or_create(
        Membership, lookup={"user": user, "unit": unit, "role": role}, defaults={"title": title}
    )
    return created + new


def unit_actor(unit: OrgUnit) -> User:
    """Someone who acts for the unit: its first staff member (the foundation's accounts first),
    or else the illustrative staff member the tasks demo would give it."""
    acting = (
        Membership.objects.filter(unit=unit, unit__is_active=True, user__is_active=True)
        .exclude(role__in=[Role.LEADER, Role.VIEWER])
        .select_related("user")
        .order_by("user__date_joined", "pk")
        .first()
    )
    if acting is not None:
        return User.objects.get(pk=acting.user_id)  # fresh: rights are cached on the object
    login = task_demo_data.STAFF_PREFIX + task_demo_data.UNIT_STAFF[unit.name]
    demo_person(login, f"示例·{unit.short_name or unit.name}干事", unit, Role.STAFF, "工作人员")
    return User.objects.get(username=login)


def user_named(login: str) -> User | None:
    return User.objects.filter(username=login).first() if login else None


# --- chains and parks ---------------------------------------------------------------------------


def _load_chains(government: Region, actor: User) -> tuple[dict[str, IndustryChain], int]:
    chains: dict[str, IndustryChain] = {}
    created = 0
    for order, spec in enumerate(demo_data.CHAINS, start=1):
        chain = IndustryChain.objects.filter(government=government, name=spec.name).first()
        if chain is None:
            chain = parks.chain_create(actor=actor, chain=_chain(government, spec, order))
            created += 1
        chains[spec.name] = chain
        created += _load_links(actor, chain, None, spec.links)
    return chains, created


def _chain(government: Region, spec: ChainSpec, order: int) -> IndustryChain:
    return IndustryChain(
        government=government,
        name=spec.name,
        description=spec.description,
        order=order,
        is_illustrative=True,
    )


def _load_links(
    actor: User, chain: IndustryChain, parent: ChainLink | None, specs: tuple[LinkSpec, ...]
) -> int:
    created = 0
    for order, spec in enumerate(specs, start=1):
        link = ChainLink.objects.filter(chain=chain, parent=parent, name=spec.name).first()
        if link is None:
            link = ChainLink(
                chain=chain,
                parent=parent,
                segment=spec.segment,
                name=spec.name,
                description=spec.description,
                min_enterprises=spec.min_enterprises,
                order=order,
            )
            link = parks.link_create(actor=actor, link=link)
            created += 1
        created += _load_links(actor, chain, link, spec.children)
    return created


def chain_links(government: Region) -> dict[tuple[str, str], ChainLink]:
    """The government's links by (chain name, link name)."""
    links = ChainLink.objects.filter(chain__government=government).select_related("chain")
    return {(link.chain.name, link.name): link for link in links}


def _load_parks(
    government: Region, actor: User, chains: dict[str, IndustryChain]
) -> tuple[dict[str, Park], int]:
    rows: dict[str, Park] = {}
    created = 0
    for spec in demo_data.PARKS:
        park = Park.objects.filter(government=government, name=spec.name).first()
        if park is None:
            park = Park(
                government=government,
                name=spec.name,
                area_mu=spec.area_mu,
                focus_industries=spec.focus_industries,
                managing_unit=demo_unit(spec.managing_unit),
                location=spec.location,
                description=spec.description,
                is_illustrative=True,
            )
            focus = [chains[name] for name in spec.chains]
            park = parks.park_create(actor=actor, park=park, chains=focus)
            created += 1
        rows[spec.name] = park
    return rows, created


def park_rows(government: Region) -> dict[str, Park]:
    return {park.name: park for park in Park.objects.filter(government=government)}


# --- projects -----------------------------------------------------------------------------------


def _tell(
    spec: ProjectSpec,
    government: Region,
    today: datetime.date,
    manager: User,
    parks_by_name: dict[str, Park],
    links: dict[tuple[str, str], ChainLink],
) -> int:
    """Create the project and play its story; 0 if it exists (then it is left alone)."""
    if Project.objects.filter(government=government, code=spec.code).exists():
        return 0

    def when(value: When) -> datetime.date:
        return resolve(value, today)

    project = Project(
        government=government,
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        description=spec.description,
        park=parks_by_name.get(spec.park),
        chain_link=links.get(spec.link) if spec.link else None,
        investor=spec.investor,
        total_investment=spec.total_investment,
        lead_unit=demo_unit(spec.lead_unit),
        leader=user_named(spec.leader),
        stage=Project.Stage.SIGNED,
        signed_on=when(spec.signed_on),
        planned_start=when(spec.planned_start),
        planned_completion=when(spec.planned_completion),
        planned_production=when(spec.planned_production) if spec.planned_production else None,
        town=demo_unit(spec.town) if spec.town else None,
        address=spec.address,
        is_illustrative=spec.is_illustrative,
    )
    plans = {demo_data.year_of(year, today.year): amount for year, amount in spec.plans}
    milestones = [(name, when(planned)) for name, planned, _reached in spec.milestones]
    project = services.project_create(
        actor=manager, project=project, plans=plans, milestones=milestones, note=DEMO_NOTE
    )
    reached = [(when(on), name) for name, _planned, on in spec.milestones if on is not None]
    created = 1 + len(plans) + len(milestones)
    created += play_project(
        project, today, stages=spec.stages, reports=spec.reports, reached=reached
    )
    if spec.problem_task:
        created += _raise_problem(project, spec.problem_task, today)
    return created


@dataclass(frozen=True)
class _Step:
    day: datetime.date
    order: int  # same day: stages before milestones before reports
    kind: str
    args: tuple[Any, ...]


def play_project(
    project: Project,
    today: datetime.date,
    *,
    stages: tuple[tuple[str, When], ...] = (),
    reports: Reports | None = None,
    reached: list[tuple[datetime.date, str]] | None = None,
) -> int:
    """Take a new project through its stages, milestones and monthly reports, in the order of
    their days, as its lead unit's staff; returns the reports filed."""
    reporter = unit_actor(project.lead_unit)
    steps = [_Step(resolve(on, today), 0, "stage", (stage,)) for stage, on in stages]
    steps += [_Step(day, 1, "milestone", (name,)) for day, name in reached or []]
    steps += _report_steps(reports, today)
    for step in sorted(steps, key=lambda s: (s.day, s.order)):
        project.refresh_from_db()
        if step.kind == "stage":
            services.project_advance(
                actor=reporter, project=project, to_stage=step.args[0], on=step.day, note=DEMO_NOTE
            )
        elif step.kind == "milestone":
            milestone = ProjectMilestone.objects.get(project=project, name=step.args[0])
            services.milestone_reach(actor=reporter, milestone=milestone, on=step.day)
        else:
            period, amount, progress, problems = step.args
            report = services.report_submit(
                actor=reporter,
                project=project,
                period=period,
                amount=amount,
                progress=progress,
                progress_text=demo_data.progress_text(progress),
                problems=problems,
                today=today,
            )
            # the service files a report as a person would; the demo marks its figures
            tracked_update(
                actor=reporter,
                obj=report,
                changes={"is_illustrative": True},
                expected_version=None,
                note=DEMO_NOTE,
            )
    return sum(1 for step in steps if step.kind == "report")


def _report_steps(reports: Reports | None, today: datetime.date) -> list[_Step]:
    """Each month's report, filed early the month after (or today, for the current month)."""
    if reports is None:
        return []
    first = resolve(reports.first, today).replace(day=1)
    steps = []
    for index, amount, progress, problems in demo_data.report_months(reports):
        month = add_months(first, index)
        filed = min(add_months(month, 1).replace(day=5), today)
        period = f"{month.year}-{month.month:02d}"
        steps.append(_Step(filed, 2, "report", (period, amount, progress, problems)))
    return steps


def _raise_problem(project: Project, title: str, today: datetime.date) -> int:
    """Raise the latest report's problems as a supervised task for the lead unit."""
    report = project.reports.exclude(problems="").order_by("-period").first()
    if report is None:
        return 0
    supervisor = User.objects.get(username=SUPERVISOR)
    services.project_raise_task(
        actor=supervisor,
        project=project,
        title=title,
        description=report.problems,
        deadline=today + datetime.timedelta(days=30),
        report=report,
    )
    return 2  # the task and its link to the project


# --- rules and the indicator --------------------------------------------------------------------


def _load_rules(government: Region) -> int:
    """The default schedule rules; the indicator fed is 重点项目完成投资 where the indicators
    demo has one (it does not at present: the feed then writes nothing)."""
    indicator = Indicator.objects.filter(
        government=government, name=COMPLETED_INVESTMENT_INDICATOR
    ).first()
    _, new = get_or_create(
        ProjectRules,
        lookup={"government": government},
        defaults={"completed_investment_indicator": indicator},
    )
    return int(new)
