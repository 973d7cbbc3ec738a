"""API for enterprise requests (mounted under /api/v1/enterprises/requests/): list, one request,
record a new one.

Reads are scoped to the caller's governments (everyone in a government reads its requests);
recording goes through `requests.request_create`, which checks the caller's right itself: 403
for a caller who does not manage enterprise service, 400 with the reason for bad input.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from jinwei.accounts.access import scope_to_governments
from jinwei.api_parts import ErrorOut, Ref, api_user, typed_for_paging
from jinwei.enterprises import request_selectors as selectors
from jinwei.enterprises import requests as services
from jinwei.enterprises.models import Enterprise, ServiceRequest
from jinwei.tasks.timing import Colour, Rules

router = Router(tags=["enterprise requests"])
PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])
Category = Literal[
    "land", "approval", "finance", "labour", "utilities", "policy", "market", "other"
]
State = Literal["new", "awaiting_response", "in_hand", "resolved", "rated", "cancelled"]


def _rules(request: HttpRequest, government_id: int) -> Rules:
    cache: dict[int, Rules] = request.__dict__.setdefault("_request_rules", {})
    if government_id not in cache:
        cache[government_id] = selectors.rules_for(government_id)
    return cache[government_id]


# --- schemas ----------------------------------------------------------------------------------


class RequestOut(Schema):
    id: int
    government: str = Field(alias="government.code")
    enterprise: Ref
    category: str
    title: str
    received_on: datetime.date
    assigned_unit: Ref | None
    task_id: int | None = Field(description="The supervised task carrying the request.")
    response_due: datetime.date
    responded_on: datetime.date | None
    resolution_due: datetime.date
    resolved_on: datetime.date | None = Field(
        description="Recorded here, or the day the task was closed."
    )
    satisfaction: int | None
    state: str = Field(description="new, awaiting_response, in_hand, resolved, rated, cancelled.")
    colour: str = Field(description="green, yellow, red; empty once resolved or cancelled.")
    response_overdue: bool
    is_illustrative: bool
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_resolved_on(obj: ServiceRequest) -> datetime.date | None:
        return services.resolution_date(obj)

    @staticmethod
    def resolve_state(obj: ServiceRequest) -> str:
        return selectors.state_of(obj).value

    @staticmethod
    def resolve_colour(obj: ServiceRequest, context: dict[str, Any]) -> str:
        request = context["request"]
        today = timezone.localdate()
        return selectors.colour_of(obj, today, _rules(request, obj.government_id)).value

    @staticmethod
    def resolve_response_overdue(obj: ServiceRequest) -> bool:
        return selectors.response_overdue(obj, timezone.localdate())


class RequestDetailOut(RequestOut):
    description: str
    response: str
    resolution: str
    satisfaction_note: str
    task_code: str | None
    task_state: str | None

    @staticmethod
    def resolve_task_code(obj: ServiceRequest) -> str | None:
        return obj.task.code if obj.task else None

    @staticmethod
    def resolve_task_state(obj: ServiceRequest) -> str | None:
        return obj.task.state if obj.task else None


class RequestIn(Schema):
    enterprise_id: int
    category: Category
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    received_on: datetime.date


# --- reads ------------------------------------------------------------------------------------


def _requests(request: HttpRequest) -> QuerySet[ServiceRequest]:
    return selectors.visible_requests(api_user(request)).select_related(
        "government", "enterprise", "assigned_unit", "task"
    )


def _colour_filter(request: HttpRequest, requests: QuerySet[ServiceRequest], colour: Colour) -> Q:
    """One colour, each government's requests by its own task rules."""
    today = timezone.localdate()
    government_ids = requests.order_by().values_list("government_id", flat=True).distinct()
    condition = Q(pk__in=[])
    for government_id in government_ids:
        rules = _rules(request, government_id)
        condition |= Q(government_id=government_id) & selectors.request_colour_q(
            colour, today, rules
        )
    return condition


@router.get("/", response=list[RequestOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def request_list(
    request: HttpRequest,
    government: str | None = None,
    category: Category | None = None,
    unit: int | None = None,
    state: State | None = None,
    colour: Literal["green", "yellow", "red"] | None = None,
    enterprise: int | None = None,
) -> Any:
    """Requests the caller may see, latest received first. `unit` is the assigned unit's id
    (0: not yet assigned)."""
    requests = _requests(request)
    if government:
        requests = requests.filter(government__code=government)
    if category is not None:
        requests = requests.filter(category=category)
    if unit == 0:
        requests = requests.filter(assigned_unit__isnull=True)
    elif unit is not None:
        requests = requests.filter(assigned_unit_id=unit)
    if state is not None:
        requests = requests.filter(selectors.state_q(selectors.RequestState(state)))
    if enterprise is not None:
        requests = requests.filter(enterprise_id=enterprise)
    if colour is not None:
        requests = requests.filter(_colour_filter(request, requests, Colour(colour)))
    return requests.order_by("-received_on", "-id")


def _detail(request: HttpRequest, request_id: int) -> ServiceRequest:
    found = _requests(request).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


@router.get("/{request_id}", response={200: RequestDetailOut, 404: ErrorOut})
def request_detail(request: HttpRequest, request_id: int) -> ServiceRequest:
    """One request with its response, resolution and rating."""
    return _detail(request, request_id)


# --- writes -----------------------------------------------------------------------------------


@router.post("/", response={201: RequestDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def request_create(request: HttpRequest, payload: RequestIn) -> Any:
    """Record an enterprise's request; its respond-by and resolve-by dates are counted in working
    days on the holiday calendar."""
    user = api_user(request)
    enterprises = scope_to_governments(Enterprise.objects.all(), user, "government_id")
    enterprise = enterprises.filter(pk=payload.enterprise_id).first()
    if enterprise is None:
        raise Http404
    try:
        created = services.request_create(
            actor=user,
            enterprise=enterprise,
            category=payload.category,
            title=payload.title,
            description=payload.description,
            received_on=payload.received_on,
        )
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return Status(201, _detail(request, created.pk))
