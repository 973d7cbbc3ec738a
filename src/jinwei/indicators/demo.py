"""Indicator demo data: the catalogue, Jiangmen's seven county units 2019–2024, Enping's 2024
months and targets. The figures live in `demo_data`; this module only writes them, audited like
every other write (`get_or_create` for the catalogue and targets, a bulk `tracked_create` for the
observations), creating what is missing and leaving what exists alone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Region
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, snapshot
from jinwei.core.demo import DEMO_NOTE, demo_step, get_or_create
from jinwei.indicators import demo_data
from jinwei.indicators.demo_data import Row, Spec
from jinwei.indicators.models import Category, Indicator, Observation, Target


@demo_step("indicators")
def load_indicators() -> int:
    """Indicators: catalogue, seven Jiangmen counties 2019–2024, Enping's 2024 months, targets."""
    government = demo_government()
    indicators, created = _load_catalogue(government)
    created += _load_observations(indicators)
    created += _load_targets(indicators, government)
    return created


def _load_catalogue(government: Region) -> tuple[dict[str, Indicator], int]:
    categories = {c.code: c for c in Category.objects.all()}
    indicators: dict[str, Indicator] = {}
    created = 0
    for order, spec in enumerate(demo_data.INDICATORS, start=1):
        indicator, new = get_or_create(
            Indicator,
            lookup={"government": government, "code": spec.code},
            defaults=_indicator_fields(spec, categories[spec.category], order),
        )
        indicators[spec.code] = indicator
        created += new
    return indicators, created


def _indicator_fields(spec: Spec, category: Category, order: int) -> dict[str, object]:
    def decimal(value: int | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return {
        "name": spec.name,
        "aliases": list(spec.aliases),
        "unit": spec.unit,
        "decimals": spec.decimals,
        "direction": spec.direction,
        "frequency": spec.frequency,
        "value_kind": spec.value_kind,
        "category": category,
        "owner_unit": demo_unit(spec.owner),
        "valid_min": decimal(spec.valid_min),
        "valid_max": decimal(spec.valid_max),
        "thresholds": list(spec.thresholds),
        "swing_warning": decimal(spec.swing_warning),
        "is_headline": spec.is_headline,
        "is_public": spec.is_public,
        "order": order,
        "notes": spec.notes,
    }


def _load_observations(indicators: dict[str, Indicator]) -> int:
    regions = {r.code: r for r in Region.objects.filter(code__in=_region_codes())}
    existing = set(
        Observation.objects.filter(
            indicator__in=indicators.values(), region__isnull=False
        ).values_list("indicator_id", "region_id", "period")
    )
    now = timezone.now()
    missing = [
        _observation(row, indicators[row.indicator], regions[row.region], now)
        for row in demo_data.observation_rows()
        if (indicators[row.indicator].pk, regions[row.region].pk, row.period) not in existing
    ]
    return _create_audited(missing)


@transaction.atomic
def _create_audited(observations: list[Observation]) -> int:
    """`tracked_create` for a thousand rows at once: the same field checks and the same audit
    entry per row, in one INSERT. The per-row database checks of `full_clean` (related rows
    exist, uniqueness, constraints) are left to the database: the indicators and regions were
    just read, missing rows were found above, and the constraints hold in the schema."""
    for obs in observations:
        obs.full_clean(
            exclude=["indicator", "region"], validate_unique=False, validate_constraints=False
        )
    Observation.objects.bulk_create(observations)
    for obs in observations:
        if obs.pk is None:  # pragma: no cover - every supported database returns the ids
            raise RuntimeError("bulk_create returned no primary keys")
        record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            obj=obs,
            after=snapshot(obs),
            note=DEMO_NOTE,
        )
    return len(observations)


def _region_codes() -> list[str]:
    return [*demo_data.COUNTIES, demo_data.JIANGMEN]


def _observation(row: Row, indicator: Indicator, region: Region, now: datetime) -> Observation:
    approved = row.year <= demo_data.APPROVED_UNTIL
    return Observation(
        indicator=indicator,
        region=region,
        period=row.period,
        value=row.value,
        growth_rate=row.growth_rate,
        source=row.source,
        is_illustrative=row.is_illustrative,
        status=Observation.Status.APPROVED if approved else Observation.Status.SUBMITTED,
        submitted_at=now,
        approved_at=now if approved else None,
    )


def _load_targets(indicators: dict[str, Indicator], government: Region) -> int:
    created = 0
    for code, (value, note) in demo_data.TARGETS_2024.items():
        _, new = get_or_create(
            Target,
            lookup={"indicator": indicators[code], "region": government, "year": 2024},
            defaults={"kind": Target.Kind.LEVEL, "value": demo_data.number(value), "note": note},
        )
        created += new
    return created
