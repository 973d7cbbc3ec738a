"""Sample URL arguments of the pipeline pages (tests/core/test_pages_render.py renders them): one
lead with a contact logged, a stage change and a project-free stage, so every part of its page
shows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jinwei.investment import services
from jinwei.investment.models import Lead
from tests.conftest import Cast

LEAD_PAGES = ("lead", "lead_edit", "lead_move", "lead_drop", "contact_add", "lead_sign")


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    today = timezone.localdate()
    lead = services.lead_create(
        actor=cast.investment,
        lead=Lead(
            government=cast.enping,
            company="恩大组团",
            intended_investment=Decimal("20000"),
            source=Lead.Source.COMPATRIOTS,
            owner_unit=cast.investment_bureau,
            owner=cast.investment,
            stage_since=today - datetime.timedelta(days=30),
            contact_name="张先生",
            contact_phone="13800001111",
        ),
    )
    services.contact_add(
        actor=cast.investment, lead=lead, on=today, kind="visit", summary="春节走访"
    )
    services.lead_move(actor=cast.investment, lead=lead, to_stage="contact", on=today)
    return {f"investment:{name}": {"lead_id": lead.pk} for name in LEAD_PAGES}
