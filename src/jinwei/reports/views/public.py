"""The public page (公开数据): a read-only page per government with the indicators and
milestones marked public, open to anyone without signing in when the deployment turns it on
(JINWEI_PUBLIC_PAGE); otherwise every URL here answers 404.

The templates are rendered without the request, so they see no user, no session, no CSRF token
and none of the app's navigation: nothing but what the views below put in their context.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from jinwei.reports import public

MAX_AGE = 300  # seconds a browser or proxy may keep the page: figures change monthly at most

View = Callable[..., HttpResponse]


def public_view(view: View) -> View:
    """Open without login, GET and HEAD only, cacheable by anyone; 404 unless turned on."""
    safe = require_safe(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.JINWEI_PUBLIC_PAGE:
            raise Http404
        response = safe(request, *args, **kwargs)
        if response.status_code < 400:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return login_not_required(wrapped)


def _page(template: str, context: dict[str, Any]) -> HttpResponse:
    return HttpResponse(render_to_string(template, context))


@public_view
def home(request: HttpRequest) -> HttpResponse:
    """The governments that publish figures; straight to the one when there is only one."""
    governments = list(public.public_governments())
    if len(governments) == 1:
        return redirect("public:region", code=governments[0].code)
    return _page("reports/public_home.html", {"governments": governments})


@public_view
def region(request: HttpRequest, code: str) -> HttpResponse:
    governments = list(public.public_governments())
    government = next((g for g in governments if g.code == code), None)
    if government is None:
        raise Http404
    figures = public.public_figures(government)
    context = {
        "government": government,
        "governments": governments,
        "figures": figures,
        "milestones": public.public_milestones(figures),
        "has_illustrative": any(p.is_illustrative for f in figures for p in f.points),
    }
    return _page("reports/public_region.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("<str:code>/", region, name="region"),
]
