"""Sample URL arguments for the indicator pages (tests/core/test_pages_render.py renders them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinwei.indicators.models import ImportBatch, Observation
from tests.conftest import Cast
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau, thresholds=[100], is_headline=True, name="地区生产总值"
    )
    ObservationFactory(indicator=indicator, period="2022", value=Decimal(90))
    ObservationFactory(indicator=indicator, period="2023", value=Decimal(120), is_illustrative=True)
    ObservationFactory(indicator=indicator, region=cast.taishan, period="2023", value=Decimal(500))
    approved = ObservationFactory(
        indicator=indicator, period="2024", value=Decimal(130), status=Observation.Status.APPROVED
    )
    TargetFactory(indicator=indicator, year=2024, value=Decimal(150))
    batch = ImportBatch.objects.create(
        government=cast.enping, created_by=cast.statistician, filename="sample.xlsx"
    )
    one = {"pk": indicator.pk}
    region = {"code": cast.enping.code}
    imports = {"pk": batch.pk}
    observation = {"pk": approved.pk}
    return {
        "indicators:indicator_detail": one,
        "indicators:indicator_edit": one,
        "indicators:indicator_export": one,
        "indicators:indicator_targets": one,
        "indicators:situation": region,
        "indicators:situation_export": region,
        "indicators:milestones": region,
        "indicators:entry_grid": {"unit_id": cast.stats_bureau.pk, "period": "2024"},
        "indicators:observation_reopen": observation,
        "indicators:observation_explain": observation,
        "indicators:import_detail": imports,
        "indicators:import_progress": imports,
        "indicators:import_mapping": imports,
        "indicators:import_commit": imports,
    }
