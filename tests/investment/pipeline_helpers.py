"""Leads made through the services, as the pages make them, for the pipeline tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jinwei.investment import services
from jinwei.investment.models import Lead
from jinwei.projects.models import Project

Stage = Lead.Stage


def today() -> datetime.date:
    """The county's date now, read at each call: a module constant goes stale when a run
    crosses midnight in the county's time zone."""
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def new_lead(cast: Any, *, actor: Any = None, **fields: Any) -> Lead:
    values: dict[str, Any] = {
        "government": cast.enping,
        "company": "恩大组团",
        "industry": "智能装备制造",
        "intended_investment": Decimal("20000"),
        "source": Lead.Source.COMPATRIOTS,
        "owner_unit": cast.investment_bureau,
        "owner": cast.investment,
        "stage": Stage.CLUE,
        "stage_since": days_ago(100),
        "contact_name": "张先生",
        "contact_phone": "13800001111",
        "contact_email": "zhang@example.com",
    }
    values.update(fields)
    return services.lead_create(actor=actor or cast.investment, lead=Lead(**values))


def move(cast: Any, lead: Lead, to_stage: str, ago: int, note: str = "") -> Lead:
    return services.lead_move(
        actor=cast.investment, lead=lead, to_stage=to_stage, on=days_ago(ago), note=note
    )


def sign(cast: Any, lead: Lead, *, ago: int = 10, code: str = "", **options: Any) -> Project:
    arguments: dict[str, Any] = {
        "on": days_ago(ago),
        "signed_investment": Decimal("30000"),
        "project_code": code or f"ZS-{lead.pk:04d}",
        "lead_unit": cast.encheng,
        "kind": Project.Kind.INDUSTRIAL,
    }
    arguments.update(options)
    return services.lead_sign(actor=cast.investment, lead=lead, **arguments)
