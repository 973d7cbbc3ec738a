"""The steps of a request: assign it to a unit, the unit's response, resolve it or send it back,
rate it. Each is a form page (GET) and its action (POST); a refusal comes back in the form with
HTTP 400, a success redirects to the request's page with a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.enterprises import requests as services
from jinwei.enterprises.models import ServiceRequest
from jinwei.enterprises.request_access import get_request_for_manage, get_request_for_response
from jinwei.enterprises.request_forms import (
    AssignForm,
    RateForm,
    ResolveForm,
    RespondForm,
    ReturnForm,
)


def refuse(form: forms.BaseForm, error: services.RequestRefused | ValidationError) -> None:
    """Put a service's refusal into the form, next to the field it names when it names one."""
    if isinstance(error, services.RequestRefused):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _step(
    request: HttpRequest,
    service_request: ServiceRequest,
    form: forms.Form,
    *,
    heading: Any,
    act: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """The common shape of a step: validate, call the service, redirect or show the errors."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except (services.RequestRefused, ValidationError) as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect("enterprises:request", request_id=service_request.pk)
    return render(
        request,
        "enterprises/request_step.html",
        {"form": form, "service_request": service_request, "heading": heading},
        status=400 if request.method == "POST" else 200,
    )


def request_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    service_request = get_request_for_manage(request, request_id)
    form = AssignForm(request.POST or None, government_id=service_request.government_id)
    return _step(
        request,
        service_request,
        form,
        heading=gettext_lazy("Assign to a unit"),
        act=lambda data: services.request_assign(
            actor=request.user, request=service_request, unit=data["unit"]
        ),
        done=_("The request was assigned; the unit's task was created."),
    )


def request_respond(request: HttpRequest, request_id: int) -> HttpResponse:
    service_request = get_request_for_response(request, request_id)
    form = RespondForm(request.POST or None, initial={"on": timezone.localdate()})
    return _step(
        request,
        service_request,
        form,
        heading=gettext_lazy("Respond to the enterprise"),
        act=lambda data: services.request_respond(
            actor=request.user, request=service_request, response=data["response"], on=data["on"]
        ),
        done=_("The response was recorded."),
    )


def request_resolve(request: HttpRequest, request_id: int) -> HttpResponse:
    service_request = get_request_for_manage(request, request_id)
    form = ResolveForm(request.POST or None)
    return _step(
        request,
        service_request,
        form,
        heading=gettext_lazy("Resolve the request"),
        act=lambda data: services.request_resolve(
            actor=request.user,
            request=service_request,
            resolution=data["resolution"],
            score_timeliness=data["score_timeliness"],
            score_quality=data["score_quality"],
        ),
        done=_("The request is resolved; its task is closed."),
    )


def request_return(request: HttpRequest, request_id: int) -> HttpResponse:
    service_request = get_request_for_manage(request, request_id)
    form = ReturnForm(request.POST or None)
    return _step(
        request,
        service_request,
        form,
        heading=gettext_lazy("Send back to the unit"),
        act=lambda data: services.request_return(
            actor=request.user, request=service_request, note=data["note"]
        ),
        done=_("The request was sent back to the unit."),
    )


def request_rate(request: HttpRequest, request_id: int) -> HttpResponse:
    service_request = get_request_for_manage(request, request_id)
    initial = {
        "satisfaction": service_request.satisfaction,
        "note": service_request.satisfaction_note,
    }
    form = RateForm(request.POST or None, initial=initial)
    return _step(
        request,
        service_request,
        form,
        heading=gettext_lazy("Record the enterprise's rating"),
        act=lambda data: services.request_rate(
            actor=request.user,
            request=service_request,
            satisfaction=data["satisfaction"],
            note=data["note"],
        ),
        done=_("The rating was recorded."),
    )
