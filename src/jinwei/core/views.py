from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jinwei.accounts.selectors import governments_for, units_with_people
from jinwei.indicators.entry import home_concerns


def home(request: HttpRequest) -> HttpResponse:
    """The government, its units and people; later modules add what concerns the user."""
    governments = list(governments_for(request.user).select_related("parent"))
    sections = [
        (government, list(units_with_people(viewer=request.user, government=government)))
        for government in governments
    ]
    concerns = home_concerns(viewer=request.user)
    return render(request, "core/home.html", {"sections": sections, "concerns": concerns})
