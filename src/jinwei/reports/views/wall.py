"""The wall dashboard (大屏): a full-screen page for the command centre, and the panels it polls.

The page is the shell; every `POLL_SECONDS` (or `?every=` seconds, for a test or a busier room)
htmx fetches the panels and swaps them in place, so the screen never reloads. When a poll fails
the last panels stay up and `static/reports/wall.js` says since when.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from jinwei.projects.parks import chosen_government
from jinwei.reports import wall as wall_selectors

POLL_SECONDS = 60
POLL_BOUNDS = (5, 3600)
# A poll that hangs longer than this counts as failed (and the next one is tried on time).
TIMEOUT_SHARE = 0.8
PANELS_HEADER = "X-Jinwei-Wall"  # wall.js swaps only responses that carry it (not a login page)


def poll_seconds(value: str | None) -> int:
    """`?every=` as whole seconds within POLL_BOUNDS; the default when absent or not a number."""
    try:
        seconds = int(value or "")
    except ValueError:
        return POLL_SECONDS
    low, high = POLL_BOUNDS
    return max(low, min(high, seconds))


def _context(request: HttpRequest) -> dict[str, Any]:
    government, _governments = chosen_government(
        viewer=request.user, code=request.GET.get("government", "")
    )
    every = poll_seconds(request.GET.get("every"))
    query = urlencode({"government": government.code, "every": str(every)})
    return {
        "wall": wall_selectors.wall(
            viewer=request.user, government=government, now=timezone.localtime()
        ),
        "every": every,
        "timeout_ms": int(every * 1000 * TIMEOUT_SHARE),
        "panels_url": f"{reverse('reports:wall_panels')}?{query}",
    }


@never_cache
def wall(request: HttpRequest) -> HttpResponse:
    """The full-screen page; ?government=<code> (default: the viewer's), ?every=<seconds>."""
    return render(request, "reports/wall.html", _context(request))


@never_cache
def wall_panels(request: HttpRequest) -> HttpResponse:
    """The panels alone, for the page's polling."""
    response = render(request, "reports/_wall_panels.html", _context(request))
    response[PANELS_HEADER] = "panels"
    return response


urlpatterns = [
    path("", wall, name="wall"),
    path("panels/", wall_panels, name="wall_panels"),
]
