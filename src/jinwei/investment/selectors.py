"""Reads of the leads, scoped to who is asking: the pipeline board, the list, a lead's page.

Everyone working for a government reads its leads (the drive is run in the open); the investors'
contact details and the contact log are shown only to whom `projects.access.may_see_contacts`
allows. Each page costs a fixed number of queries, whatever the number of leads.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import OrgUnit, User
from jinwei.investment.funnel import rank_of
from jinwei.investment.models import Lead, LeadContact, LeadStageChange
from jinwei.investment.services import SIGNED_RANK, STAGES
from jinwei.projects.models import ChainLink, IndustryChain

Stage = Lead.Stage
PAGE_SIZE = 50
BOARD_CAP = 12  # cards per column; the rest are one click away in the list

ACTIVE, DROPPED, ALL = "active", "dropped", "all"
# soonest next action first (the overdue ones on top), then the biggest
CARD_ORDER = [
    F("next_action_on").asc(nulls_last=True),
    F("intended_investment").desc(),
    F("id").asc(),
]
SORTS: dict[str, list[Any]] = {
    "next_action": CARD_ORDER,
    "amount": [F("intended_investment").desc(), F("id").asc()],
    "company": [F("company").asc(), F("id").asc()],
    "recent": [F("stage_since").desc(), F("id").desc()],
    "stage": [F("stage_rank").asc(), F("next_action_on").asc(nulls_last=True), F("id").asc()],
}


def visible_leads(viewer: Any) -> QuerySet[Lead]:
    return scope_to_governments(Lead.objects.all(), viewer, "government_id")


@dataclass(frozen=True)
class LeadFilters:
    government_id: int
    source: str = ""
    chain_id: int | None = None
    owner_unit_id: int | None = None
    owner_id: int | None = None
    stage: str = ""
    status: str = ACTIVE
    q: str = ""
    overdue: bool = False
    sort: str = "stage"


def filtered_leads(*, viewer: Any, filters: LeadFilters, today: datetime.date) -> QuerySet[Lead]:
    leads = visible_leads(viewer).filter(government_id=filters.government_id)
    if filters.source:
        leads = leads.filter(source=filters.source)
    if filters.chain_id:
        leads = leads.filter(chain_link__chain_id=filters.chain_id)
    if filters.owner_unit_id:
        leads = leads.filter(owner_unit_id=filters.owner_unit_id)
    if filters.owner_id:
        leads = leads.filter(owner_id=filters.owner_id)
    if filters.stage:
        leads = leads.filter(stage=filters.stage)
    if filters.status == ACTIVE:
        leads = leads.filter(dropped_on__isnull=True)
    elif filters.status == DROPPED:
        leads = leads.filter(dropped_on__isnull=False)
    if filters.q:
        leads = leads.filter(
            Q(company__icontains=filters.q)
            | Q(project_name__icontains=filters.q)
            | Q(industry__icontains=filters.q)
        )
    if filters.overdue:
        leads = leads.filter(next_action_on__lt=today, dropped_on__isnull=True)
    return leads.order_by()


def with_rank(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    return leads.annotate(stage_rank=rank_of("stage"))


def row_queryset(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """What a row of the list or a card of the board shows, in one query."""
    return leads.select_related("owner_unit", "owner", "chain_link__chain", "project")


# --- the board ----------------------------------------------------------------------------------


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int
    intended: Decimal
    signed: Decimal
    cards: list[Lead]

    @property
    def is_signed(self) -> bool:
        return STAGES.index(self.stage) >= SIGNED_RANK

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def board(*, leads: QuerySet[Lead], cap: int = BOARD_CAP) -> list[BoardColumn]:
    """One column per stage: its count and sums, and its first `cap` cards (three queries)."""
    totals = {
        row["stage"]: row
        for row in leads.values("stage").annotate(
            n=Count("id"), intended=Sum("intended_investment"), signed=Sum("signed_investment")
        )
    }
    cards: dict[str, list[Lead]] = {stage: [] for stage in STAGES}
    ids = card_ids(leads, [stage for stage in STAGES if stage in totals], cap)
    for lead in row_queryset(Lead.objects.filter(pk__in=ids)).order_by(*CARD_ORDER):
        cards[lead.stage].append(lead)
    columns = []
    for stage in STAGES:
        row = totals.get(stage, {})
        columns.append(
            BoardColumn(
                stage=stage,
                label=str(Stage(stage).label),
                count=row.get("n", 0),
                intended=row.get("intended") or Decimal(0),
                signed=row.get("signed") or Decimal(0),
                cards=cards[stage],
            )
        )
    return columns


def card_ids(leads: QuerySet[Lead], stages: list[str], cap: int) -> list[int]:
    """The first `cap` leads of each stage in card order, in one query: a UNION ALL of one
    limited query per stage (each a top-N sort over its stage alone, before any join)."""
    if not stages:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for stage in stages:
        limited = leads.filter(stage=stage).order_by(*CARD_ORDER).values("id")[:cap]
        sql, stage_params = limited.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS s{len(parts)}")  # noqa: S608 (ORM-compiled)
        params.extend(stage_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[0] for row in cursor.fetchall()]


# --- the list and a lead's page -----------------------------------------------------------------


def ordered(leads: QuerySet[Lead], sort: str) -> QuerySet[Lead]:
    order = SORTS.get(sort, SORTS["stage"])
    return row_queryset(with_rank(leads)).order_by(*order)


def lead_page_queryset(viewer: Any) -> QuerySet[Lead]:
    """A lead with what its page shows, and its stage history."""
    changes = LeadStageChange.objects.select_related("actor").order_by("on", "id")
    leads = visible_leads(viewer).select_related(
        "government", "owner_unit", "owner", "chain_link__chain", "project"
    )
    return leads.prefetch_related(Prefetch("stage_changes", queryset=changes))


def contact_log(lead: Lead) -> QuerySet[LeadContact]:
    """The lead's contact log, newest first (only for whom may see the contacts)."""
    return LeadContact.objects.filter(lead=lead).select_related("by").order_by("-on", "-id")


def contact_summary(lead: Lead) -> dict[str, Any]:
    """How many entries the contact log has and the latest date (for those who don't see it)."""
    return LeadContact.objects.filter(lead=lead).aggregate(n=Count("id"), latest=Max("on"))


# --- choices for the forms ----------------------------------------------------------------------


def unit_choices(government_id: int) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(government_id=government_id, is_active=True).order_by(
        "kind", "order", "name"
    )


def chain_choices(government_id: int) -> QuerySet[IndustryChain]:
    return IndustryChain.objects.filter(government_id=government_id).order_by("order", "id")


def chain_link_choices(government_id: int) -> QuerySet[ChainLink]:
    return (
        ChainLink.objects.filter(chain__government_id=government_id)
        .select_related("chain")
        .order_by("chain__order", "chain_id", "order", "id")
    )


def people_choices(government_id: int) -> QuerySet[User]:
    """The people working for the government (a lead's owner, a project's leader)."""
    return (
        User.objects.filter(memberships__unit__government_id=government_id, is_active=True)
        .distinct()
        .order_by("name", "username")
    )
