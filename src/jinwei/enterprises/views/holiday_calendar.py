"""The holiday calendar by year: twelve month grids with the holidays and worked weekend days,
the list of exceptions, and for managers the forms to mark a day or paste a list of dates."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jinwei.accounts.access import get_for_view, scope_to_governments
from jinwei.accounts.models import Region
from jinwei.enterprises import holidays
from jinwei.enterprises.models import CalendarDay
from jinwei.enterprises.request_forms import (
    CalendarDayForm,
    CalendarImportForm,
    chosen_government,
)
from jinwei.enterprises.request_selectors import list_governments
from jinwei.enterprises.views.request_actions import refuse
from jinwei.enterprises.workdays import is_weekend
from jinwei.projects.access import may_manage

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Cell:
    day: datetime.date
    in_month: bool
    is_workday: bool
    exception: CalendarDay | None


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell]]


def month_grids(year: int, exceptions: dict[datetime.date, CalendarDay]) -> list[Month]:
    weeks_of = calendar.Calendar(firstweekday=0).monthdatescalendar
    months = []
    for number in range(1, 13):
        weeks = [
            [
                Cell(
                    day=day,
                    in_month=day.month == number,
                    is_workday=exceptions[day].is_workday
                    if day in exceptions
                    else not is_weekend(day),
                    exception=exceptions.get(day),
                )
                for day in week
            ]
            for week in weeks_of(year, number)
        ]
        months.append(Month(number=number, weeks=weeks))
    return months


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return timezone.localdate().year


def _calendar_url(government: Region, year: int) -> str:
    query = urlencode({"government": government.pk, "year": year})
    return f"{reverse('enterprises:calendar')}?{query}"


def _context(request: HttpRequest, government: Region, year: int, **forms: Any) -> dict[str, Any]:
    days = list(CalendarDay.objects.filter(government=government, date__year=year).order_by("date"))
    manager = may_manage(request.user, government.pk)
    return {
        "government": government,
        "governments": list_governments(request.user),
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "months": month_grids(year, {d.date: d for d in days}),
        "days": days,
        "holiday_count": sum(1 for d in days if not d.is_workday and not is_weekend(d.date)),
        "workday_count": sum(1 for d in days if d.is_workday),
        "may_manage": manager,
        "day_form": forms.get("day_form") or (CalendarDayForm() if manager else None),
        "import_form": forms.get("import_form") or (CalendarImportForm() if manager else None),
    }


def calendar_page(request: HttpRequest) -> HttpResponse:
    governments = list_governments(request.user)
    if not governments:
        raise PermissionDenied
    government = chosen_government(request.GET, governments)
    year = _year(request)
    return render(request, "enterprises/calendar.html", _context(request, government, year))


def _managed_government(request: HttpRequest) -> Region:
    """The government named in the form, if the user keeps its calendar (else 403)."""
    raw = request.POST.get("government", "")
    regions = scope_to_governments(Region.objects.all(), request.user, "pk")
    government = regions.filter(pk=int(raw)).first() if raw.isdigit() else None
    if government is None or not may_manage(request.user, government.pk):
        raise PermissionDenied
    return government


@require_POST
def day_save(request: HttpRequest) -> HttpResponse:
    government = _managed_government(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            holidays.calendar_day_save(
                actor=request.user,
                government=government,
                date=day,
                is_workday=form.is_workday,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(date)s was saved.") % {"date": day.isoformat()})
            return redirect(_calendar_url(government, day.year))
    context = _context(request, government, _year(request), day_form=form)
    return render(request, "enterprises/calendar.html", context, status=400)


@require_POST
def day_delete(request: HttpRequest, day_id: int) -> HttpResponse:
    days = scope_to_governments(CalendarDay.objects.all(), request.user, "government_id")
    day = get_for_view(request, days.select_related("government"), pk=day_id)
    if not may_manage(request.user, day.government_id):
        raise PermissionDenied
    holidays.calendar_day_delete(actor=request.user, day=day)
    messages.success(
        request, _("%(date)s follows the plain week again.") % {"date": day.date.isoformat()}
    )
    return redirect(_calendar_url(day.government, day.date.year))


@require_POST
def days_import(request: HttpRequest) -> HttpResponse:
    government = _managed_government(request)
    form = CalendarImportForm(request.POST)
    if form.is_valid():
        try:
            saved = holidays.calendar_import(
                actor=request.user,
                government=government,
                text=form.cleaned_data["dates"],
                is_workday=form.is_workday,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            refuse(form, error)
        else:
            count = len(saved)
            messages.success(
                request,
                ngettext("%(count)s day was saved.", "%(count)s days were saved.", count)
                % {"count": count},
            )
            return redirect(_calendar_url(government, saved[0].date.year))
    context = _context(request, government, _year(request), import_form=form)
    return render(request, "enterprises/calendar.html", context, status=400)
