"""Project pages to read: the filtered list (with its Excel export), one project's page and the
annual investment summary (plan vs completed, with its export). The pages that change a project
are in `project_actions.py`; this module lists the URLs of both.

Everyone in a government reads its projects; investors' contact details only those
`access.may_see_contacts` allows. Each page costs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.core.middleware import allows_inline_styles
from jinwei.indicators.services import may_approve
from jinwei.lib import xlsx
from jinwei.lib.xlsx import Column
from jinwei.projects import access, charts, investment_totals, selectors
from jinwei.projects.forms import (
    AdvanceForm,
    MilestoneForm,
    PlanForm,
    ProjectFilterForm,
    YearForm,
    canonical_query,
    chosen_government,
)
from jinwei.projects.investment_totals import Totals
from jinwei.projects.models import Project, ProjectRules
from jinwei.projects.schedule import COLOURS, project_schedule
from jinwei.projects.views import project_actions

LIST_TARGET = "project-results"  # the element the list's htmx requests replace


def _governments(request: HttpRequest) -> list[Any]:
    governments = selectors.list_governments(request.user)
    if not governments:
        raise PermissionDenied
    return governments


def _is_htmx_for(request: HttpRequest, target: str) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == target  # type: ignore[union-attr]


# --- the list -----------------------------------------------------------------------------------


def _listing(request: HttpRequest) -> tuple[ProjectFilterForm, selectors.ProjectFilters]:
    governments = _governments(request)
    government = chosen_government(request.GET, governments)
    form = ProjectFilterForm(request.GET, governments=governments, government=government)
    return form, form.filters()


def _page_link(query: str, number: int) -> str:
    return "?" + "&".join(part for part in (query, f"page={number}") if part)


def project_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, filters = _listing(request)
    rules = selectors.rules_for(filters.government.pk)
    projects = selectors.filtered_projects(viewer=request.user, filters=filters)
    index = selectors.list_index(projects, colour=filters.colour, today=today, rules=rules)
    paginator = selectors.CountedPaginator(index.projects, selectors.PAGE_SIZE, index.total)
    page = paginator.get_page(request.GET.get("page"))
    query = canonical_query(request.GET)
    context = {
        "form": form,
        "government": filters.government,
        "index": index,
        "colours": [
            (c, index.by_colour[c.value], canonical_query(request.GET, colour=c.value))
            for c in COLOURS
        ],
        "page": page,
        "rows": selectors.rows_for(page.object_list, today, rules),
        "previous_link": _page_link(query, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_link": _page_link(query, page.next_page_number()) if page.has_next() else "",
        "query": query,
        "list_target": LIST_TARGET,
    }
    if _is_htmx_for(request, LIST_TARGET):
        return render(request, "projects/_project_list_results.html", context)
    context["may_manage"] = access.may_manage(request.user, filters.government.pk)
    return render(request, "projects/project_list.html", context)


def list_columns(with_contacts: bool) -> list[Column]:
    columns = [
        Column(_("Code"), 12),
        Column(_("Name"), 36),
        Column(_("Type"), 12),
        Column(_("Park"), 20),
        Column(_("Lead unit"), 16),
        Column(_("Leader in charge"), 12),
        Column(_("Investor"), 24),
    ]
    if with_contacts:
        columns += [Column(_("Contact"), 12), Column(_("Phone"), 14), Column(_("E-mail"), 20)]
    return [
        *columns,
        Column(_("Total investment (10,000 yuan)"), 14, decimals=2),
        Column(_("Stage"), 12),
        Column(_("Planned start"), 12),
        Column(_("Planned completion"), 12),
        Column(_("Started on"), 12),
        Column(_("Completed on"), 12),
        Column(_("In production on"), 12),
        Column(_("Physical progress (%)"), 10, decimals=0),
        Column(_("Time progress (%)"), 10, decimals=0),
        Column(_("Schedule"), 12),
        Column(_("Town"), 12),
        Column(_("Address"), 24),
    ]


def list_row(row: selectors.ProjectRow, with_contacts: bool) -> list[object]:
    p, s = row.project, row.schedule
    cells: list[object] = [
        p.code,
        p.name,
        p.get_kind_display(),
        p.park.name if p.park else "",
        p.lead_unit.name,
        p.leader.name if p.leader else "",
        p.investor,
    ]
    if with_contacts:
        cells += [p.investor_contact, p.investor_phone, p.investor_email]
    return [
        *cells,
        p.total_investment,
        p.get_stage_display(),
        p.planned_start,
        p.planned_completion,
        p.started_on,
        p.completed_on,
        p.production_on,
        p.progress,
        s.elapsed_percent,
        s.colour.label,
        p.town.name if p.town else "",
        p.address,
    ]


def project_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as .xlsx, in the list's order; rows are loaded a chunk at a time."""
    today = timezone.localdate()
    _form, filters = _listing(request)
    rules = selectors.rules_for(filters.government.pk)
    projects = selectors.filtered_projects(viewer=request.user, filters=filters)
    index = selectors.list_index(projects, colour=filters.colour, today=today, rules=rules)
    contacts = access.may_see_contacts(request.user, filters.government.pk)
    rows = (list_row(row, contacts) for row in selectors.all_rows(index.projects, today, rules))
    title = _("%(government)s key projects, %(date)s") % {
        "government": filters.government.name,
        "date": today.isoformat(),
    }
    sheet = xlsx.Sheet(
        title=title,
        columns=list_columns(contacts),
        rows=cast("Sequence[Sequence[object]]", rows),
        name=_("Key projects"),
    )
    filename = _("key-projects-%(date)s.xlsx") % {"date": today.isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


# --- one project --------------------------------------------------------------------------------


def _chosen_year(request: HttpRequest, years: list[int], today: datetime.date) -> int:
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and 2000 <= int(wanted) <= 2100:
        return int(wanted)
    return years[0] if years and today.year not in years else today.year


def _last_month(year: int, today: datetime.date) -> int:
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


@allows_inline_styles
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    today = timezone.localdate()
    queryset = selectors.project_for_page(access.visible_projects(request.user))
    project = access.get_project_for_view(request, project_id, queryset)
    rules = selectors.rules_for(project.government_id)
    years = selectors.report_years(project)
    year = _chosen_year(request, years, today)
    totals = investment_totals.project_totals(project, year)
    may_report = access.may_report(request.user, project)
    may_manage = access.may_manage(request.user, project.government_id)
    context = {
        "project": project,
        "schedule": project_schedule(project, today, rules),
        "rules": rules,
        "today": today,
        "year": year,
        "years": sorted({*years, today.year}, reverse=True),
        "totals": totals,
        "figure": charts.investment_figure(totals, year, _last_month(year, today)),
        "may_manage": may_manage,
        "may_report": may_report,
        "may_see_contacts": access.may_see_contacts(request.user, project.government_id),
        "may_raise_task": access.may_raise_task(request.user, project.government_id),
        "advance_form": AdvanceForm.for_project(project) if may_report else None,
        "milestone_form": MilestoneForm(prefix="ms") if may_manage else None,
        "plan_form": PlanForm(prefix="plan", initial={"year": year}) if may_manage else None,
    }
    return render(request, "projects/project_detail.html", context)


# --- investment: plan against completed ---------------------------------------------------------

PROJECT_ROWS_TARGET = "investment-projects"


def _investment(request: HttpRequest) -> tuple[YearForm, Any, int]:
    governments = _governments(request)
    government = chosen_government(request.GET, governments)
    form = YearForm(request.GET, governments=governments, government=government)
    return form, government, form.chosen_year()


def _indicator_of(government_id: int) -> Any:
    rules = (
        ProjectRules.objects.filter(government_id=government_id)
        .select_related("completed_investment_indicator")
        .first()
    )
    return rules.completed_investment_indicator if rules else None


@allows_inline_styles
def investment_summary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, government, year = _investment(request)
    projects = access.visible_projects(request.user).filter(government=government)
    page = Paginator(
        investment_totals.active_projects(projects, year).values_list("pk", flat=True),
        selectors.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    on_page = Project.objects.filter(pk__in=list(page.object_list))
    summary = investment_totals.summary(projects, year)
    total = summary.total
    query = f"government={government.pk}&year={year}"
    indicator = _indicator_of(government.pk)
    context = {
        "form": form,
        "government": government,
        "year": year,
        "total": total,
        "groups": [("park", summary.by_park), ("unit", summary.by_unit)],
        "project_rows": investment_totals.totals_by(on_page, year, "project"),
        "page": page,
        "previous_link": _page_link(query, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_link": _page_link(query, page.next_page_number()) if page.has_next() else "",
        "query": query,
        "figure": charts.investment_figure(total, year, _last_month(year, today)),
        "indicator": indicator,
        "may_feed": indicator is not None and may_approve(request.user, government.pk),
        "rows_target": PROJECT_ROWS_TARGET,
    }
    if _is_htmx_for(request, PROJECT_ROWS_TARGET):
        return render(request, "projects/_project_investment_projects.html", context)
    return render(request, "projects/project_investment.html", context)


def investment_columns(first: str) -> list[Column]:
    months = [Column(_("1–%(month)s cumulative") % {"month": m}, 11, 2) for m in range(1, 13)]
    return [
        Column(first, 30),
        Column(_("Planned (10,000 yuan)"), 14, 2),
        Column(_("Completed (10,000 yuan)"), 14, 2),
        Column(_("Completed of plan (%)"), 12, 1),
        *months,
    ]


def investment_row(name: str, totals: Totals) -> list[object]:
    return [name, totals.planned, totals.completed, totals.rate, *totals.cumulative]


def _sheet(title: str, first: str, rows: Iterator[list[object]]) -> xlsx.Sheet:
    return xlsx.Sheet(title=title, columns=investment_columns(first), rows=list(rows), name=first)


def investment_export(request: HttpRequest) -> HttpResponse:
    """The summary as .xlsx: a tab per project, park and lead unit, with the total on each."""
    _form, government, year = _investment(request)
    projects = access.visible_projects(request.user).filter(government=government)
    summary = investment_totals.summary(projects, year)
    title = _("%(government)s key projects' investment, %(year)s: plan and completed") % {
        "government": government.name,
        "year": year,
    }
    tabs = [
        (_("Project"), investment_totals.totals_by(projects, year, "project")),
        (_("Park"), summary.by_park),
        (_("Lead unit"), summary.by_unit),
    ]
    sheets = []
    for head, groups in tabs:
        rows = (
            investment_row(f"{t.code} {t.name}".strip() or _("No park"), t)
            for t in [*groups, summary.total]
        )
        sheets.append(_sheet(title, str(head), rows))
    filename = _("key-projects-investment-%(year)s.xlsx") % {"year": year}
    return xlsx.response(filename=filename, sheets=sheets)


urlpatterns: list[URLPattern] = [
    path("", project_list, name="list"),
    path("export.xlsx", project_export, name="export"),
    path("new/", project_actions.project_create, name="create"),
    path("<int:project_id>/", project_detail, name="detail"),
    path("<int:project_id>/edit/", project_actions.project_edit, name="edit"),
    path("<int:project_id>/advance/", project_actions.project_advance, name="advance"),
    path("<int:project_id>/report/", project_actions.report_create, name="report"),
    path("<int:project_id>/raise-task/", project_actions.raise_task, name="raise_task"),
    path("<int:project_id>/milestones/", project_actions.milestone_add, name="milestone_add"),
    path(
        "milestones/<int:milestone_id>/reach/",
        project_actions.milestone_reach,
        name="milestone_reach",
    ),
    path("<int:project_id>/plans/", project_actions.plan_set, name="plan_set"),
    path("investment/", investment_summary, name="investment"),
    path("investment/export.xlsx", investment_export, name="investment_export"),
    path("investment/feed/", project_actions.investment_feed, name="investment_feed"),
]
