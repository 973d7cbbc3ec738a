"""The access helpers every lead page starts with: 404 for what the user may not see, 403 for
what they see but may not change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.investment import selectors
from jinwei.investment.models import Lead
from jinwei.projects.access import may_manage


def viewer_governments(request: HttpRequest) -> list[Region]:
    """The governments the user works for (403 for someone who works for none)."""
    governments = list(governments_for(request.user).order_by("code"))
    if not governments:
        raise PermissionDenied
    return governments


def lead_for_view(request: HttpRequest, lead_id: int, *, page: bool = False) -> Lead:
    """The lead, or 404 when it does not exist or belongs to another government; `page`
    brings what its page shows along, with its stage history."""
    queryset = (
        selectors.lead_page_queryset(request.user)
        if page
        else selectors.visible_leads(request.user)
    )
    return get_for_view(request, queryset, pk=lead_id)


def lead_for_change(request: HttpRequest, lead_id: int) -> Lead:
    """The lead if the user manages its government's leads; 404 when invisible, else 403."""
    lead = lead_for_view(request, lead_id)
    if not may_manage(request.user, lead.government_id):
        raise PermissionDenied
    return lead
