"""Sample URL arguments for the public page: Enping and Taishan each publish one indicator with
approved values, so the home lists both (with one it would redirect) and a page has figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinwei.accounts.models import OrgUnit
from jinwei.indicators.models import Observation
from tests.factories import OrgUnitFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory


def _publish(owner: OrgUnit) -> None:
    indicator = IndicatorFactory(
        owner_unit=owner, name="地区生产总值", is_public=True, thresholds=[200]
    )
    for period, value in (("2022", "190"), ("2023", "205")):
        ObservationFactory(
            indicator=indicator,
            period=period,
            value=Decimal(value),
            status=Observation.Status.APPROVED,
        )


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    _publish(cast.stats_bureau)
    _publish(OrgUnitFactory(government=cast.taishan))
    return {"public:region": {"code": cast.enping.code}}
