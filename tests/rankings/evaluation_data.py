"""A small evaluation scheme on the cast: 江门市's counties, three indicators in two dimensions.

Built directly (the scheme services have their own tests). Values are chosen so that the ranks
change between the years and 恩平市 is not first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jinwei.accounts.models import Region
from jinwei.indicators.models import Category, Indicator, Observation
from jinwei.rankings.models import EvaluationScheme, PeerGroup, SchemeIndicator
from tests.conftest import Cast
from tests.factories import RegionFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory

# region code -> {indicator: (2022, 2023)}; PM25 is lower-is-better
VALUES = {
    "440785": {"GDP": (230, 250), "RD": (1.5, 2.4), "PM25": (20, 17)},  # 恩平市
    "440781": {"GDP": (500, 520), "RD": (1.8, 1.9), "PM25": (18, 19)},  # 台山市
    "440703": {"GDP": (900, 950), "RD": (2.9, 3.0), "PM25": (25, 24)},  # 蓬江区
    "440783": {"GDP": (400, 410), "RD": (1.2, 1.3), "PM25": (22, 23)},  # 开平市
}
YEARS = ("2022", "2023")


@dataclass
class Evaluated:
    group: PeerGroup
    scheme: EvaluationScheme
    indicators: dict[str, Indicator]
    regions: dict[str, Region]


def county(cast: Cast, code: str, name: str) -> Region:
    return RegionFactory(code=code, name=name, level=Region.Level.COUNTY, parent=cast.jiangmen)


def build(
    cast: Cast,
    *,
    name: str = "综合评价",
    group_name: str = "江门市辖县（评价）",
    extra_regions: int = 0,
    **scheme_fields: object,
) -> Evaluated:
    regions = {
        "440785": cast.enping,
        "440781": cast.taishan,
        "440703": county(cast, "440703", "蓬江区"),
        "440783": county(cast, "440783", "开平市"),
    }
    for k in range(extra_regions):  # more regions of the same group, for query-count tests
        extra = county(cast, f"4407{90 + k}", f"测试区{k}")
        regions[extra.code] = extra
    group = PeerGroup.objects.create(government=cast.enping, name=group_name, parent=cast.jiangmen)
    economy = Category.objects.get(code="economy")
    innovation = Category.objects.get(code="innovation")
    green = Category.objects.get(code="green")
    indicators = {
        code: _indicator(cast, code, **fields)
        for code, fields in _specs(economy, innovation, green).items()
    }
    for code, region in regions.items():
        series = VALUES.get(code) or {"GDP": (300, 300), "RD": (1.0, 1.0), "PM25": (30, 30)}
        for indicator_code, values in series.items():
            for period, value in zip(YEARS, values, strict=True):
                if Observation.objects.filter(
                    indicator=indicators[indicator_code], region=region, period=period
                ).exists():
                    continue  # a second scheme on the same data
                ObservationFactory(
                    indicator=indicators[indicator_code],
                    region=region,
                    period=period,
                    value=Decimal(str(value)),
                    status=Observation.Status.APPROVED,
                )
    fields: dict[str, object] = {
        "normalization": "minmax",
        "weighting": "equal",
        "aggregation": "wsum",
        "first_year": 2022,
        "last_year": 2023,
        "alternatives": {
            "normalizations": ["zscore"],
            "weightings": ["entropy-cn"],
            "aggregations": ["topsis"],
        },
        **scheme_fields,
    }
    scheme = EvaluationScheme.objects.create(
        government=cast.enping, name=name, peer_group=group, **fields
    )
    dimensions = {"GDP": economy, "RD": innovation, "PM25": green}
    for order, (code, indicator) in enumerate(indicators.items(), start=1):
        SchemeIndicator.objects.create(
            scheme=scheme, indicator=indicator, dimension=dimensions[code], order=order
        )
    return Evaluated(group=group, scheme=scheme, indicators=indicators, regions=regions)


def _specs(
    economy: Category, innovation: Category, green: Category
) -> dict[str, dict[str, object]]:
    return {
        "GDP": {"name": "地区生产总值", "category": economy},
        "RD": {"name": "研发投入强度", "unit": "%", "category": innovation},
        "PM25": {
            "name": "PM2.5年均浓度",
            "unit": "微克/立方米",
            "decimals": 0,
            "valid_min": Decimal(0),
            "direction": Indicator.Direction.LOWER,
            "category": green,
        },
    }


def _indicator(cast: Cast, code: str, **fields: object) -> Indicator:
    existing = Indicator.objects.filter(government=cast.enping, code=code).first()
    if existing is not None:
        return existing
    return IndicatorFactory(owner_unit=cast.stats_bureau, code=code, **fields)
