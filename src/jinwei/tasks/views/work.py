"""The lists of tasks: "My work", the filtered task list with saved views, the supervisor's red
list and the ledger (台账) export.

Everyone in a government reads its lists (the drive is run in the open); people of another
government see none of its tasks. Each page costs a fixed number of queries (see selectors).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import can_manage
from jinwei.accounts.models import Region
from jinwei.lib import xlsx
from jinwei.tasks import list_forms, saved_views, selectors, work_selectors
from jinwei.tasks.access import acting_unit_ids
from jinwei.tasks.list_forms import SavedViewForm, TaskFilterForm, canonical_query
from jinwei.tasks.models import SavedView, Task
from jinwei.tasks.timing import COLOUR_LABELS, Colour, Rules, TimeStatus

LIST_TARGET = "task-results"  # the element the list's htmx requests replace


class CountedPaginator(Paginator):
    """A paginator told its count (the list's aggregate query already counted the rows)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _list_url(query: str | dict[str, str]) -> str:
    query = urlencode(query) if isinstance(query, dict) else query
    return f"{reverse('tasks:list')}?{query}" if query else reverse("tasks:list")


# --- My work ----------------------------------------------------------------------------------


def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    work = work_selectors.my_work(viewer=request.user, today=today)
    sections = [(section, _list_url(section.more_query)) for section in work.sections]
    may_see_red = bool(
        selectors.managed_government_ids(request.user)
        or selectors.leader_government_ids(request.user)
    )
    return render(
        request,
        "tasks/work_my.html",
        {"work": work, "sections": sections, "today": today, "may_see_red": may_see_red},
    )


# --- the task list ----------------------------------------------------------------------------


@dataclass
class Listing:
    """The list's government, rules, filter form and filters, from the query string."""

    government: Region
    governments: list[Region]
    rules: Rules
    form: TaskFilterForm
    filters: selectors.TaskFilters
    query: str  # the filters, canonical (no page)

    def tasks(self, request: HttpRequest, today: datetime.date) -> Any:
        return selectors.filtered_tasks(
            viewer=request.user, filters=self.filters, today=today, rules=self.rules
        )


def _listing(request: HttpRequest) -> Listing:
    governments = selectors.list_governments(request.user)
    if not governments:
        raise PermissionDenied
    government = list_forms.chosen_government(request.GET, governments)
    form = TaskFilterForm(
        request.GET,
        governments=governments,
        government=government,
        units=selectors.unit_choices(government.pk),
        goals=selectors.goal_tree(government.pk),
        leaders=selectors.leader_choices(government.pk, request.GET.get("leader")),
        my_units=acting_unit_ids(request.user),
    )
    return Listing(
        government=government,
        governments=governments,
        rules=selectors.rules_by_government([government.pk])[government.pk],
        form=form,
        filters=form.filters(),
        query=canonical_query(request.GET),
    )


def _page_links(page: Page, query: str) -> dict[str, str]:
    def link(number: int) -> str:
        return "?" + "&".join(part for part in (query, f"page={number}") if part)

    links = {}
    if page.has_previous():
        links["previous"] = link(page.previous_page_number())
    if page.has_next():
        links["next"] = link(page.next_page_number())
    return links


def _summary(listing: Listing, counts: selectors.ListCounts) -> dict[str, Any]:
    """The colour and state counts, each a link to the list narrowed to it."""
    data = listing.form.data
    colours = [
        (c.value, COLOUR_LABELS[c], counts.by_colour[c.value], canonical_query(data, colour=c))
        for c in selectors.COLOURS
    ]
    states = [
        (value, label, counts.by_state[value], canonical_query(data, state=value))
        for value, label in Task.State.choices
        if counts.by_state[value]
    ]
    return {"colours": colours, "states": states}


def task_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listing = _listing(request)
    tasks = listing.tasks(request, today)
    counts = selectors.list_counts(tasks, today, listing.rules)
    paginator = CountedPaginator(
        selectors.ordered_ids(tasks, listing.filters.sort), selectors.PAGE_SIZE, counts.total
    )
    page = paginator.get_page(request.GET.get("page"))
    rules = {listing.government.pk: listing.rules}
    context = {
        "listing": listing,
        "form": listing.form,
        "query": listing.query,
        "counts": counts,
        "summary": _summary(listing, counts),
        "page": page,
        "rows": selectors.rows_for(selectors.tasks_by_id(page.object_list), today, rules),
        "page_links": _page_links(page, listing.query),
        "save_form": SavedViewForm(initial={"query": listing.query}),
        "list_target": LIST_TARGET,
    }
    if getattr(request, "htmx", False) and request.htmx.target == LIST_TARGET:  # type: ignore[attr-defined]
        return render(request, "tasks/_list_results.html", context)
    context["saved_views"] = selectors.saved_views_of(request.user)
    context["may_see_red"] = selectors.may_see_red_list(request.user, listing.government.pk)
    context["may_manage"] = can_manage(request.user, listing.government.pk)
    return render(request, "tasks/list_tasks.html", context)


@require_POST
def view_save(request: HttpRequest) -> HttpResponse:
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(
            request, _("The view was not saved: %(problems)s") % {"problems": " ".join(problems)}
        )
        return redirect(_list_url(canonical_query(QueryDict(request.POST.get("query", "")))))
    name, query = form.cleaned_data["name"], form.cleaned_data["query"]
    _view, created = saved_views.saved_view_save(user=request.user, name=name, query=query)
    if created:
        messages.success(request, _("View “%(name)s” saved.") % {"name": name})
    else:
        messages.success(request, _("View “%(name)s” updated.") % {"name": name})
    return redirect(_list_url(query))


@require_POST
def view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=view_id, user=request.user)
    saved_views.saved_view_delete(user=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("tasks:list")


# --- the red list -----------------------------------------------------------------------------


def red_list(request: HttpRequest) -> HttpResponse:
    """Red tasks by lead unit, for the supervising office and the leaders; printable."""
    allowed = [
        g
        for g in selectors.list_governments(request.user)
        if selectors.may_see_red_list(request.user, g.pk)
    ]
    if not allowed:
        raise PermissionDenied
    wanted = request.GET.get("government")
    if wanted and wanted not in {str(g.pk) for g in allowed}:
        raise PermissionDenied
    government = list_forms.chosen_government(request.GET, allowed)
    today = timezone.localdate()
    rules = selectors.rules_by_government([government.pk])[government.pk]
    groups = selectors.red_list(
        viewer=request.user, government_id=government.pk, today=today, rules=rules
    )
    more = {
        group.unit.pk: _list_url(
            {
                "government": str(government.pk),
                "unit": str(group.unit.pk),
                "role": selectors.LEAD,
                "colour": Colour.RED.value,
            }
        )
        for group in groups
    }
    return render(
        request,
        "tasks/list_red.html",
        {
            "government": government,
            "governments": allowed,
            "groups": [(group, more[group.unit.pk]) for group in groups],
            "total": sum(group.total for group in groups),
            "today": today,
            "per_unit": selectors.RED_PER_UNIT,
        },
    )


# --- the ledger export ------------------------------------------------------------------------


def _label(name: str) -> str:
    return str(capfirst(getattr(Task._meta.get_field(name), "verbose_name", name)))


def ledger_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_label("code"), 12),
        xlsx.Column(_label("title"), 40),
        xlsx.Column(_label("goal"), 24),
        xlsx.Column(_label("lead_unit"), 16),
        xlsx.Column(_("Co-units and their parts"), 40),
        xlsx.Column(_label("leader"), 12),
        xlsx.Column(_label("start_date"), 12),
        xlsx.Column(_label("deadline"), 12),
        xlsx.Column(_label("original_deadline"), 12),
        xlsx.Column(_label("state"), 12),
        xlsx.Column(_label("progress"), 10, decimals=0),
        xlsx.Column(_("Colour"), 8),
        xlsx.Column(_("Time status"), 12),
        xlsx.Column(_("Late"), 8),
        xlsx.Column(_label("closed_on"), 12),
        xlsx.Column(_label("score_timeliness"), 10, decimals=0),
        xlsx.Column(_label("score_quality"), 10, decimals=0),
        xlsx.Column(_label("source_kind"), 12),
        xlsx.Column(_label("source_reference"), 24),
    ]


LATE_VALUES = {TimeStatus.OVERDUE.value, TimeStatus.CLOSED_LATE.value}


def ledger_row(task: Task) -> list[object]:
    """One task as a ledger row (co-units prefetched; colour and status annotated)."""
    colour, status = getattr(task, "colour", ""), getattr(task, "time_status", "")
    co_units = "；".join(
        f"{c.unit.name}：{c.part}" if c.part else c.unit.name for c in task.co_units.all()
    )
    return [
        task.code,
        task.title,
        task.goal.title if task.goal else "",
        task.lead_unit.name,
        co_units,
        str(task.leader) if task.leader else "",
        task.start_date,
        task.deadline,
        task.original_deadline,
        task.get_state_display(),
        task.progress,
        Colour(colour).label if colour else "",
        TimeStatus(status).label if status else "",
        _("yes") if status in LATE_VALUES else "",
        task.closed_on,
        task.score_timeliness,
        task.score_quality,
        task.get_source_kind_display(),
        task.source_reference,
    ]


def task_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an .xlsx ledger, in the list's order."""
    today = timezone.localdate()
    listing = _listing(request)
    tasks = listing.tasks(request, today).order_by(
        *selectors.SORTS.get(listing.filters.sort, selectors.SORTS["deadline"])
    )
    rows = (ledger_row(task) for task in selectors.ledger_rows(tasks, today, listing.rules))
    title = _("%(government)s task ledger, %(date)s") % {
        "government": listing.government.name,
        "date": today.isoformat(),
    }
    sheet = xlsx.Sheet(
        title=title,
        columns=ledger_columns(),
        # The writer only iterates over the rows, so a generator streams 100,000 tasks.
        rows=cast("Sequence[Sequence[object]]", rows),
        name=_("Task ledger"),
    )
    filename = _("task-ledger-%(date)s.xlsx") % {"date": today.isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])
