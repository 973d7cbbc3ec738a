"""Peer groups: everyone in the government reads them; supervisors and admins create and edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.audit.services import StaleVersionError
from jinwei.rankings import groups as group_services
from jinwei.rankings import selectors
from jinwei.rankings.forms import PeerGroupForm
from jinwei.rankings.views.league import group_for_view


def _managed_governments(user: Any) -> list[int]:
    return [g.pk for g in governments_for(user) if can_manage(user, g.pk)]


def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.peer_group_list(viewer=request.user))
    managed = set(_managed_governments(request.user))
    rows = [(group, group.government_id in managed) for group in groups]
    return render(
        request,
        "rankings/group_list.html",
        {"rows": rows, "may_create": bool(managed)},
    )


def group_create(request: HttpRequest) -> HttpResponse:
    managed = _managed_governments(request.user)
    if not managed:
        raise PermissionDenied
    governments = Region.objects.filter(pk__in=managed).order_by("code")
    form = PeerGroupForm(request.POST or None, governments=governments)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_services.peer_group_create(
                actor=request.user,
                government=form.cleaned_data["government"],
                **form.group_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The peer group was added."))
            return redirect("rankings:league", group_id=group.pk)
    return render(request, "rankings/group_form.html", {"form": form, "group": None})


def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for_view(request, group_id)
    if not can_manage(request.user, group.government_id):
        raise PermissionDenied
    form = PeerGroupForm(
        request.POST or None,
        instance=group,
        governments=Region.objects.none(),
        initial={"version": group.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group_services.peer_group_update(
                actor=request.user,
                group=group,
                changes=form.changed_fields(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rankings:group_list")
    return render(request, "rankings/group_form.html", {"form": form, "group": group})
