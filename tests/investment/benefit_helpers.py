"""Shared set-up of the benefit-sharing tests: regions of a co-built park and a fixed data set
of two agreements (one with two terms), with known attributed totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinwei.accounts.models import Region
from jinwei.investment import benefits
from jinwei.investment.benefits import ShareInput
from jinwei.investment.models import BenefitAgreement
from tests.factories import RegionFactory
from tests.investment.factories import BenefitAgreementFactory


def d(value: str) -> Decimal:
    return Decimal(value)


def share(region: Region, output: str, tax: str, investment: str) -> ShareInput:
    return ShareInput(region, d(output), d(tax), d(investment))


@dataclass
class Regions:
    enping: Region
    jianghai: Region
    pengjiang: Region
    zhongshan: Region


def regions(cast: Any) -> Regions:
    return Regions(
        enping=cast.enping,
        jianghai=RegionFactory(code="440704", name="江海区", parent=cast.jiangmen),
        pengjiang=RegionFactory(code="440703", name="蓬江区", parent=cast.jiangmen),
        zhongshan=RegionFactory(
            code="442000", name="中山市", level=Region.Level.PREFECTURE, parent=cast.province
        ),
    )


def water_park(cast: Any, r: Regions) -> BenefitAgreement:
    """Introduced by 恩平, hosted by 江海, 蓬江 co-building: 2022–2023, then from 2024 on."""
    agreement = BenefitAgreementFactory(
        government=cast.enping,
        name="江门水都产业园利益分享协议",
        introducing_region=r.enping,
        host_region=r.jianghai,
    )
    benefits.term_save(
        actor=cast.investment,
        agreement=agreement,
        start_year=2022,
        end_year=2023,
        shares=[
            share(r.enping, "50", "50", "60"),
            share(r.jianghai, "30", "30", "25"),
            share(r.pengjiang, "20", "20", "15"),
        ],
    )
    benefits.term_save(
        actor=cast.investment,
        agreement=agreement,
        start_year=2024,
        end_year=None,
        shares=[
            share(r.enping, "40", "40", "50"),
            share(r.jianghai, "35", "35", "30"),
            share(r.pengjiang, "25", "25", "20"),
        ],
    )
    for year, output, tax, investment in [
        (2022, "1000.00", "100.00", "6000.00"),
        (2023, "2000.00", "96.00", "7500.00"),
        (2024, "3333.33", "120.05", "8000.00"),
    ]:
        figure(cast, agreement, year, output, tax, investment)
    return agreement


def appliance_park(cast: Any, r: Regions) -> BenefitAgreement:
    """Introduced by 中山, hosted by 恩平, 2024–2025; its 2026 figures have no term."""
    agreement = BenefitAgreementFactory(
        government=cast.enping,
        name="中山(恩平)智能家电产业园利益分享协议",
        introducing_region=r.zhongshan,
        host_region=r.enping,
    )
    benefits.term_save(
        actor=cast.investment,
        agreement=agreement,
        start_year=2024,
        end_year=2025,
        shares=[share(r.zhongshan, "30", "30", "20"), share(r.enping, "70", "70", "80")],
    )
    figure(cast, agreement, 2024, "1000.00", "50.00", "12000.00")
    figure(cast, agreement, 2026, "500.00", "20.00", "100.00")
    return agreement


def figure(
    cast: Any, agreement: BenefitAgreement, year: int, output: str, tax: str, investment: str
) -> None:
    benefits.figure_save(
        actor=cast.investment,
        agreement=agreement,
        year=year,
        output_value=d(output),
        tax=d(tax),
        investment=d(investment),
    )
