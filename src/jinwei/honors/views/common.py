"""What the honours and the practices pages share: the government shown, the filters, whether an
htmx request asks for the results only, and the delete step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from jinwei.accounts.models import Region
from jinwei.audit.services import StaleVersionError
from jinwei.honors.forms import FilterForm, VersionForm
from jinwei.projects.parks import chosen_government


def government_of(request: HttpRequest) -> tuple[Region, list[Region]]:
    """The government asked for (`?government=` code), else the viewer's first; 404 otherwise."""
    return chosen_government(viewer=request.user, code=request.GET.get("government", ""))


def filter_form(request: HttpRequest, *, years: list[int], with_category: bool) -> FilterForm:
    return FilterForm(request.GET, years=years, with_category=with_category)


def wants_results(request: HttpRequest, target: str) -> bool:
    """An htmx request aimed at the results part of a list page."""
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == target


def list_query(request: HttpRequest) -> str:
    """The list's query string (for the export link of the filtered list)."""
    return request.GET.urlencode()


def delete_with_version(
    request: HttpRequest, delete: Callable[[int | None], None], done: str
) -> bool:
    """Run a delete service with the version the button sent; a refusal becomes a message,
    success the message `done`."""
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        delete(version)
    except StaleVersionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
        return True
    return False
