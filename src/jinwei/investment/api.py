"""API endpoints of the investment app (mounted under /api/v1/investment/): leads here, the
benefit-sharing agreements in `benefit_api.py`.

Everyone in a government reads its leads; the investors' contact details and the contact log
come only to whom `projects.access.may_see_contacts` allows (null otherwise). A move goes through
`services.lead_move`, which checks the caller's right itself: 403 when the role may not, 409 when
the lead's stage does not allow it or the version is stale, 400 for bad input; every message
says why. Amounts are in 万元.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from jinwei.api_parts import ErrorOut, Ref, api_user, typed_for_paging
from jinwei.audit.services import StaleVersionError
from jinwei.investment import selectors, services
from jinwei.investment.models import Lead, LeadContact, LeadStageChange
from jinwei.projects.access import may_see_contacts

router = Router(tags=["investment"])
router.add_router("/agreements/", "jinwei.investment.benefit_api.router")
PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])


def _sees_contacts(context: dict[str, Any], lead: Lead) -> bool:
    return may_see_contacts(context["request"].user, lead.government_id)


# --- schemas ------------------------------------------------------------------------------------


class ChainLinkRef(Schema):
    id: int
    name: str
    chain: str = Field(alias="chain.name")


class ContactDetails(Schema):
    name: str
    phone: str
    email: str


class LeadOut(Schema):
    id: int
    government: str = Field(alias="government.code")
    company: str
    project_name: str
    industry: str
    chain_link: ChainLinkRef | None
    intended_investment: Decimal = Field(description="万元")
    source: Lead.Source
    source_detail: str
    stage: Lead.Stage
    stage_since: datetime.date
    owner_unit: Ref
    owner: str | None
    next_action: str
    next_action_on: datetime.date | None
    signed_on: datetime.date | None
    signed_investment: Decimal | None = Field(description="万元")
    project_id: int | None
    dropped_on: datetime.date | None
    drop_reason: str
    is_illustrative: bool
    contact: ContactDetails | None = Field(
        description="Null unless the caller may see investors' contact details."
    )
    version: int = Field(description="Send it back with a move; a stale one is refused (409).")

    @staticmethod
    def resolve_owner(obj: Lead) -> str | None:
        return obj.owner.get_username() if obj.owner is not None else None

    @staticmethod
    def resolve_contact(obj: Lead, context: dict[str, Any]) -> dict[str, str] | None:
        if not _sees_contacts(context, obj):
            return None
        return {"name": obj.contact_name, "phone": obj.contact_phone, "email": obj.contact_email}


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    on: datetime.date
    actor: str | None
    note: str

    @staticmethod
    def resolve_actor(obj: LeadStageChange) -> str | None:
        return obj.actor.get_username() if obj.actor is not None else None


class ContactOut(Schema):
    on: datetime.date
    kind: LeadContact.Kind
    summary: str
    by: str | None

    @staticmethod
    def resolve_by(obj: LeadContact) -> str | None:
        return obj.by.get_username() if obj.by is not None else None


class LeadDetailOut(LeadOut):
    notes: str
    stage_changes: list[StageChangeOut]
    contacts: list[ContactOut] | None = Field(
        description="The contact log, newest first; null unless the caller may see it."
    )
    allowed_moves: list[str] = Field(description="Stages a move may take the lead to now.")

    @staticmethod
    def resolve_stage_changes(obj: Lead) -> list[LeadStageChange]:
        return list(obj.stage_changes.all())

    @staticmethod
    def resolve_contacts(obj: Lead, context: dict[str, Any]) -> list[LeadContact] | None:
        if not _sees_contacts(context, obj):
            return None
        return list(selectors.contact_log(obj))

    @staticmethod
    def resolve_allowed_moves(obj: Lead) -> list[str]:
        return services.allowed_moves(obj)


class MoveIn(Schema):
    to_stage: Lead.Stage
    on: datetime.date | None = Field(default=None, description="Default: today.")
    note: str = Field(default="", max_length=300)
    version: int | None = Field(
        default=None, ge=1, description="The version the move is based on (recommended)."
    )


# --- reads --------------------------------------------------------------------------------------


def _leads(request: HttpRequest) -> QuerySet[Lead]:
    return selectors.visible_leads(api_user(request)).select_related(
        "government", "owner_unit", "owner", "chain_link__chain"
    )


@router.get("/leads/", response=list[LeadOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def lead_list(
    request: HttpRequest,
    government: str | None = None,
    stage: Lead.Stage | None = None,
    source: Lead.Source | None = None,
    chain: int | None = None,
    owner_unit: int | None = None,
    dropped: bool | None = None,
) -> Any:
    """Leads the caller may see, newest stage first. `government` is the region code; `chain`
    an industry chain's id; `dropped` keeps only the dropped (true) or the pursued (false)."""
    leads = _leads(request)
    if government:
        leads = leads.filter(government__code=government)
    if stage is not None:
        leads = leads.filter(stage=stage)
    if source is not None:
        leads = leads.filter(source=source)
    if chain is not None:
        leads = leads.filter(chain_link__chain_id=chain)
    if owner_unit is not None:
        leads = leads.filter(owner_unit_id=owner_unit)
    if dropped is not None:
        leads = leads.filter(dropped_on__isnull=not dropped)
    return leads.order_by("-stage_since", "-id")


def _detail(request: HttpRequest, lead_id: int) -> Lead:
    changes = LeadStageChange.objects.select_related("actor").order_by("on", "id")
    lead = (
        _leads(request)
        .prefetch_related(Prefetch("stage_changes", queryset=changes))
        .filter(pk=lead_id)
        .first()
    )
    if lead is None:
        raise Http404
    return lead


@router.get("/leads/{lead_id}", response={200: LeadDetailOut, 404: ErrorOut})
def lead_detail(request: HttpRequest, lead_id: int) -> Lead:
    """One lead with its stage history, its contact log (when allowed) and the moves open now."""
    return _detail(request, lead_id)


# --- writes -------------------------------------------------------------------------------------


@router.post(
    "/leads/{lead_id}/move",
    response={200: LeadDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def lead_move(request: HttpRequest, lead_id: int, payload: MoveIn) -> Any:
    """Move the lead to another stage (signing is not a move: it creates the project on the
    lead's page). Going back before signing needs a note."""
    user = api_user(request)
    lead = _detail(request, lead_id)
    try:
        services.lead_move(
            actor=user,
            lead=lead,
            to_stage=payload.to_stage,
            on=payload.on or timezone.localdate(),
            note=payload.note,
            expected_version=payload.version,
        )
    except services.LeadRefused as refused:
        status = 400 if refused.field in ("note", "on") else 409
        raise HttpError(status, refused.message) from None
    except StaleVersionError as stale:
        raise HttpError(409, stale.message) from None
    return _detail(request, lead_id)
