"""The access helpers every request page starts with: the object, or 404 / PermissionDenied.

Everyone in a government reads its requests; managers of enterprise service (supervisors, admins,
investment staff) record, assign, resolve and rate them; the assigned unit's staff respond.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jinwei.accounts.access import get_for_view, scope_to_governments
from jinwei.enterprises.models import Enterprise, ServiceRequest
from jinwei.enterprises.request_selectors import visible_requests
from jinwei.enterprises.requests import may_respond
from jinwei.projects.access import may_manage


def get_request_for_view(request: HttpRequest, request_id: int) -> ServiceRequest:
    """The request with its enterprise, unit and task; 404 outside the user's governments."""
    queryset = visible_requests(request.user).select_related(
        "government", "enterprise", "assigned_unit", "task", "task__lead_unit"
    )
    return get_for_view(request, queryset, pk=request_id)


def get_request_for_manage(request: HttpRequest, request_id: int) -> ServiceRequest:
    service_request = get_request_for_view(request, request_id)
    if not may_manage(request.user, service_request.government_id):
        raise PermissionDenied
    return service_request


def get_request_for_response(request: HttpRequest, request_id: int) -> ServiceRequest:
    """The request if the user works for the unit it is assigned to."""
    service_request = get_request_for_view(request, request_id)
    if not may_respond(request.user, service_request):
        raise PermissionDenied
    return service_request


def get_enterprise_for_request(request: HttpRequest, enterprise_id: int) -> Enterprise:
    """The enterprise a new request is recorded for: managers of its government only."""
    enterprises = scope_to_governments(Enterprise.objects.all(), request.user, "government_id")
    enterprise = get_for_view(request, enterprises.select_related("government"), pk=enterprise_id)
    if not may_manage(request.user, enterprise.government_id):
        raise PermissionDenied
    return enterprise
