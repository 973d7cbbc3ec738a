"""The rows against what is stored: new or changed projects with their stage steps and plans,
new or changed monthly reports, and the rules that span rows (codes given twice, dates in order,
a stage that does not go back, reports only on one's own unit's projects).

What is stored is loaded in chunks for the file's codes only, with the related rows the preview
names, so the work per row is plain Python.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from jinwei.indicators.importing.lookups import key
from jinwei.indicators.validation import WARNING
from jinwei.projects.importing import columns as c
from jinwei.projects.importing.rows import ImportOutcome, ProjectRow, ReportRow, Step, shown
from jinwei.projects.importing.values import STAGE_ORDER
from jinwei.projects.models import (
    InvestmentPlan,
    InvestmentReport,
    Project,
    ProjectStageChange,
)
from jinwei.projects.services import STAGE_DATE_FIELDS

if TYPE_CHECKING:
    from jinwei.projects.importing.check import Context, Read

CHUNK = 500
Stage = Project.Stage
# the actual date that says when a stage was reached (在建 continues from the start)
STAGE_DATE = {
    Stage.SIGNED: c.SIGNED_ON,
    Stage.STARTED: c.STARTED_ON,
    Stage.UNDER_CONSTRUCTION: c.STARTED_ON,
    Stage.COMPLETED: c.COMPLETED_ON,
    Stage.IN_PRODUCTION: c.PRODUCTION_ON,
}
ACTUAL_DATES = (c.SIGNED_ON, c.STARTED_ON, c.COMPLETED_ON, c.PRODUCTION_ON)
PLANNED_DATES = (c.PLANNED_START, c.PLANNED_COMPLETION, c.PLANNED_PRODUCTION)
# the stage a date belongs to (a completion date on a project under construction is an error)
DATE_STAGE = {c.STARTED_ON: Stage.STARTED, c.COMPLETED_ON: Stage.COMPLETED,
              c.PRODUCTION_ON: Stage.IN_PRODUCTION}  # fmt: skip
DONE = (Stage.COMPLETED, Stage.IN_PRODUCTION)  # a built project: its progress is 100 %
RELATED = ("lead_unit", "leader", "park", "chain_link__chain", "town")


def settle(read: Read, ctx: Context, outcome: ImportOutcome) -> None:
    codes = {row.code for row in read.projects} | {row.code for row in read.reports}
    stored = _stored_projects(ctx, codes)
    ids = [stored[r.code].pk for r in read.projects if r.code in stored]
    known = Known(_stored_plans(ids), _last_steps(ids))
    seen: dict[str, ProjectRow] = {}
    for row in read.projects:
        first = seen.setdefault(row.code, row)
        if first is not row:
            row.sheet.issue(
                "duplicate_code",
                _("The code “%(code)s” is also in row %(row)s of sheet %(sheet)s.")
                % {"code": row.code, "row": first.row, "sheet": first.sheet.name},
                row.row,
                row.column(c.CODE),
            )
        elif not row.failed and settle_project(row, stored.get(row.code), known, ctx):
            outcome.projects.append(row)
    settle_reports(read.reports, stored, {r.code for r in read.projects}, ctx, outcome)


def _stored_projects(ctx: Context, codes: Iterable[str]) -> dict[str, Project]:
    found: dict[str, Project] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        projects = Project.objects.filter(government=ctx.government, code__in=chunk)
        found.update((p.code, p) for p in projects.select_related(*RELATED))
    return found


def _stored_plans(project_ids: list[int]) -> dict[int, dict[int, Decimal]]:
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for start in range(0, len(project_ids), CHUNK):
        rows = InvestmentPlan.objects.filter(project_id__in=project_ids[start : start + CHUNK])
        for project_id, year, amount in rows.values_list("project_id", "year", "amount"):
            plans[project_id][year] = amount
    return plans


def _last_steps(project_ids: list[int]) -> dict[int, datetime.date]:
    """The day each project last changed stage: a new step may not come before it."""
    last: dict[int, datetime.date] = {}
    for start in range(0, len(project_ids), CHUNK):
        steps = ProjectStageChange.objects.filter(project_id__in=project_ids[start : start + CHUNK])
        last.update(
            steps.values("project_id").annotate(last=Max("on")).values_list("project_id", "last")
        )
    return last


@dataclass
class Known:
    """What is stored about the file's stored projects besides the rows themselves."""

    plans: dict[int, dict[int, Decimal]]
    last_steps: dict[int, datetime.date]


def header(row: ProjectRow | ReportRow, name: str) -> str:
    column = row.column(name)
    return column.header if column else c.HEADERS[name]


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


# --- projects ---------------------------------------------------------------------------------


def settle_project(row: ProjectRow, stored: Project | None, known: Known, ctx: Context) -> bool:
    """Settle one project row: False (with its problems reported) if it cannot be imported."""
    given = row.given
    if stored is None:
        missing = [name for name in c.PROJECT_REQUIRED if name not in given]
        for name in missing:
            row.sheet.issue(
                "missing_value",
                _("The project “%(code)s” is new: “%(header)s” is needed.")
                % {"code": row.code, "header": header(row, name)},
                row.row,
                row.column(name),
            )
        if missing:
            return False
        merged = dict(given)
        stage = given.get(c.STAGE) or _stage_from_dates(given)
    else:
        dated = (c.STAGE, *ACTUAL_DATES, *PLANNED_DATES)
        merged = {name: getattr(stored, name) for name in dated} | given
        stage = merged[c.STAGE]
        if STAGE_ORDER.index(stage) < STAGE_ORDER.index(stored.stage):
            row.sheet.issue(
                "stage_back",
                _("The project is already at the stage %(stored)s; an import does not move it "
                  "back to %(stage)s.")
                % {"stored": _stage_label(stored.stage), "stage": _stage_label(stage)},
                row.row,
                row.column(c.STAGE),
            )  # fmt: skip
            return False
    if not _dates_agree(row, merged, stage, ctx.today):
        return False
    last = known.last_steps.get(stored.pk) if stored else None
    row.steps = _steps(row, stored.stage if stored else "", stage, merged, ctx.today, last)
    if not _steps_in_order(row, last):
        return False
    _settled(row, stored, stage, known, ctx)
    return True


def _steps_in_order(row: ProjectRow, last: datetime.date | None) -> bool:
    """No step before the one before it (the stored project's last one, for the first)."""
    before = last
    for step in row.steps:
        if before is not None and step.on < before:
            row.sheet.issue(
                "step_before_last",
                _("The stage %(stage)s would be reached on %(date)s, before the stage change "
                  "before it (%(before)s).")
                % {"stage": _stage_label(step.to_stage), "date": step.on, "before": before},
                row.row,
                row.column(STAGE_DATE[Stage(step.to_stage)]),
            )  # fmt: skip
            return False
        before = step.on
    return True


def _settled(
    row: ProjectRow, stored: Project | None, stage: str, known: Known, ctx: Context
) -> None:
    """The project to create, or the stored one with its changes: the given cells, the stage,
    the dates its steps set, and a progress of 100 % once completed (as a stage step sets it)."""
    values = dict(row.given) | {c.STAGE: stage}
    for step in row.steps:
        name = STAGE_DATE_FIELDS.get(step.to_stage)
        if name:
            values.setdefault(name, step.on)
    if any(step.to_stage in DONE for step in row.steps):
        values["progress"] = 100
    if stored is None:
        row.project = Project(government=ctx.government, code=row.code, **values)
        row.new = True
        row.plan_changes = dict(row.plans)
        return
    row.project = stored
    row.changes = {name: v for name, v in values.items() if differs(stored, name, v)}
    row.stored_plans = known.plans.get(stored.pk, {})
    row.plan_changes = {y: a for y, a in row.plans.items() if row.stored_plans.get(y) != a}


def differs(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return getattr(obj, f"{name}_id") != value.pk
    return bool(getattr(obj, name) != value)


def _stage_from_dates(given: dict[str, Any]) -> str:
    """A new project without a stage: the furthest stage its dates say it reached."""
    for name, stage in reversed(DATE_STAGE.items()):
        if given.get(name):
            return stage
    return Stage.SIGNED


def _dates_agree(row: ProjectRow, merged: dict[str, Any], stage: str, today: datetime.date) -> bool:
    ok = True

    def refuse(code: str, message: str, name: str) -> None:
        nonlocal ok
        ok = False
        row.sheet.issue(code, message, row.row, row.column(name))

    for name, needs in DATE_STAGE.items():
        if name in row.given and STAGE_ORDER.index(stage) < STAGE_ORDER.index(needs):
            refuse(
                "date_beyond_stage",
                _("“%(header)s” is given, but the project is at the stage %(stage)s.")
                % {"header": header(row, name), "stage": _stage_label(stage)},
                name,
            )
    for name in ACTUAL_DATES:
        if name in row.given and row.given[name] > today:
            refuse(
                "date_to_come",
                _("%(date)s is still to come: “%(header)s” is the date it happened "
                  "(planned dates go in the planned columns).")
                % {"date": row.given[name], "header": header(row, name)},
                name,
            )  # fmt: skip
    for earlier, later in _pairs(ACTUAL_DATES, merged) + _pairs(PLANNED_DATES[:2], merged):
        if merged[later] < merged[earlier] and (later in row.given or earlier in row.given):
            refuse(
                "dates_out_of_order",
                _("“%(later)s” %(later_date)s is before “%(earlier)s” %(earlier_date)s.")
                % {"later": header(row, later), "later_date": merged[later],
                   "earlier": header(row, earlier), "earlier_date": merged[earlier]},
                later if later in row.given else earlier,
            )  # fmt: skip
    return ok


def _pairs(names: Iterable[str], merged: dict[str, Any]) -> list[tuple[str, str]]:
    """Consecutive pairs of the dates that are filled in."""
    filled = [name for name in names if merged.get(name)]
    return list(itertools.pairwise(filled))


def _steps(
    row: ProjectRow,
    from_stage: str,
    to_stage: str,
    merged: dict[str, Any],
    today: datetime.date,
    last: datetime.date | None,
) -> list[Step]:
    """The stages passed from the stored one (none for a new project) to the row's, each dated
    by its own date, else the step before's (the last stored one's), else the earliest date
    known, else today."""
    if from_stage == to_stage:
        return []
    first = STAGE_ORDER.index(from_stage) + 1 if from_stage else 0
    known = [merged[name] for name in ACTUAL_DATES if merged.get(name)]
    previous = last
    steps, before = [], from_stage
    for stage in STAGE_ORDER[first : STAGE_ORDER.index(to_stage) + 1]:
        own = merged.get(STAGE_DATE[Stage(stage)])
        on = own or previous or min(known, default=today)
        if own is None and stage != Stage.UNDER_CONSTRUCTION:
            name = STAGE_DATE[Stage(stage)]
            row.sheet.issue(
                "stage_without_date",
                _("No “%(header)s” for the stage %(stage)s: it is taken as %(date)s.")
                % {"header": header(row, name), "stage": _stage_label(stage), "date": on},
                row.row,
                row.column(name),
                WARNING,
            )  # fmt: skip
        steps.append(Step(before, stage, on))
        before, previous = stage, on
    return steps


# --- reports ----------------------------------------------------------------------------------


def settle_reports(
    rows: list[ReportRow],
    stored: dict[str, Project],
    in_sheet: set[str],
    ctx: Context,
    outcome: ImportOutcome,
) -> None:
    """Each report against its project and the month's stored report; then the checks over a
    project's months (progress falling back, more completed than the total)."""
    settled = {row.code: row for row in outcome.projects}
    new = {code for code, row in settled.items() if row.is_new}
    reports = _stored_reports({stored[r.code].pk for r in rows if r.code in stored})
    seen: dict[tuple[str, str], ReportRow] = {}
    for row in rows:
        first = seen.setdefault((row.code, row.period), row)
        if first is not row:
            row.sheet.issue(
                "duplicate_report",
                _("The report of “%(code)s” for %(month)s is also in row %(row)s of sheet "
                  "%(sheet)s.")
                % {"code": row.code, "month": row.period, "row": first.row,
                   "sheet": first.sheet.name},
                row.row,
                row.column(c.MONTH),
            )  # fmt: skip
            continue
        project = stored.get(row.code)
        if project is None and row.code not in new:
            if row.code not in in_sheet:  # else its row on the projects sheet has the problem
                row.sheet.issue(
                    "unknown_project",
                    _("There is no project with the code “%(code)s” in %(government)s.")
                    % {"code": row.code, "government": ctx.government},
                    row.row,
                    row.column(c.CODE),
                )
            continue
        if _settle_report(row, project, reports, ctx):
            outcome.reports.append(row)
    _over_months(outcome, reports, settled)


def _stored_reports(project_ids: set[int]) -> dict[tuple[int, str], InvestmentReport]:
    ids = sorted(project_ids)
    found: dict[tuple[int, str], InvestmentReport] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = InvestmentReport.objects.filter(project_id__in=ids[start : start + CHUNK])
        found.update(((r.project_id, r.period), r) for r in chunk)
    return found


def _settle_report(
    row: ReportRow,
    project: Project | None,
    reports: dict[tuple[int, str], InvestmentReport],
    ctx: Context,
) -> bool:
    if project is not None and not ctx.may_report(project):
        row.sheet.issue(
            "not_your_project",
            _("“%(code)s” is led by %(unit)s: only its staff and the managers report on it.")
            % {"code": row.code, "unit": project.lead_unit},
            row.row,
            row.column(c.CODE),
        )
        return False
    if project is not None and row.name and key(row.name) != key(project.name):
        row.sheet.issue(
            "other_name",
            _("The project with the code “%(code)s” is named “%(name)s”, not “%(given)s”.")
            % {"code": row.code, "name": project.name, "given": row.name},
            row.row,
            row.column(c.NAME),
            WARNING,
        )
    row.project = project
    row.report = reports.get((project.pk, row.period)) if project is not None else None
    if row.report is not None:
        row.changes = {n: v for n, v in row.given.items() if differs(row.report, n, v)}
        return True
    missing = [name for name in c.REPORT_REQUIRED if name not in row.given]
    for name in missing:
        row.sheet.issue(
            "missing_value",
            _("“%(header)s” is empty.") % {"header": header(row, name)},
            row.row,
            row.column(name),
        )
    return not missing


def _over_months(
    outcome: ImportOutcome,
    reports: dict[tuple[int, str], InvestmentReport],
    settled: dict[str, ProjectRow],
) -> None:
    """Per project, the months stored and imported together: warnings where the physical
    progress falls or the investment completed passes the total; and the latest progress, which
    the commit copies to the project (unless it is built: then it stays at 100 %)."""
    months: dict[int, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for (project_id, period), report in reports.items():
        months[project_id][period] = (report.progress, report.amount)
    by_project: dict[str, list[ReportRow]] = defaultdict(list)
    for row in outcome.reports:
        by_project[row.code].append(row)
    for code, rows in by_project.items():
        project_row = settled.get(code)
        project = rows[0].project or (project_row.project if project_row else None)
        assert project is not None  # noqa: S101 - settled rows have their project
        after = project_row.changes if project_row is not None else {}
        timeline = dict(months.get(project.pk, {})) if project.pk else {}
        timeline.update((r.period, (r.value("progress"), r.value("amount"))) for r in rows)
        _progress_warnings(rows, timeline)
        _total_warning(rows, timeline, after.get(c.TOTAL, project.total_investment))
        latest = max(timeline)
        progress = timeline[latest][0]
        built = after.get(c.STAGE, project.stage) in DONE
        imported = any(r.period == latest for r in rows)
        if imported and not built and (project.pk is None or progress != project.progress):
            outcome.progress[code] = progress


def _progress_warnings(rows: list[ReportRow], timeline: dict[str, tuple[int, Decimal]]) -> None:
    periods = sorted(timeline)
    for row in rows:
        index = periods.index(row.period)
        if index == 0:
            continue
        before = periods[index - 1]
        if timeline[before][0] > timeline[row.period][0]:
            row.sheet.issue(
                "progress_falls",
                _("The physical progress falls from %(before)s%% (%(month)s) to %(now)s%%.")
                % {"before": timeline[before][0], "month": before, "now": timeline[row.period][0]},
                row.row,
                row.column(c.PROGRESS),
                WARNING,
            )


def _total_warning(
    rows: list[ReportRow], timeline: dict[str, tuple[int, Decimal]], total: Decimal
) -> None:
    completed = sum((amount for _progress, amount in timeline.values()), Decimal(0))
    if completed > total:
        last = max(rows, key=lambda r: r.period)
        last.sheet.issue(
            "over_total",
            _("The investment completed so far, %(completed)s (10,000 yuan), exceeds the total "
              "investment of %(total)s.")
            % {"completed": shown(completed), "total": shown(total)},
            last.row,
            last.column(c.AMOUNT),
            WARNING,
        )  # fmt: skip
