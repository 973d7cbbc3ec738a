"""Samples for the pages-render test: URL arguments of the rankings pages."""

from __future__ import annotations

from typing import Any


def _league_samples(cast: Any) -> dict[str, dict[str, Any]]:
    """Peer groups and per-indicator ranking: 恩平 and 台山 with values in two years."""
    from decimal import Decimal

    from jinwei.indicators.models import Indicator
    from tests.indicators.factories import IndicatorFactory, ObservationFactory
    from tests.rankings.peer_groups import children_group

    group = children_group(cast)
    gdp = IndicatorFactory(owner_unit=cast.stats_bureau, name="地区生产总值", order=1)
    pm25 = IndicatorFactory(
        owner_unit=cast.stats_bureau, name="PM2.5", direction=Indicator.Direction.LOWER, order=2
    )
    for indicator, values in ((gdp, (230, 547)), (pm25, (18, 20))):
        for region, value in zip((cast.enping, cast.taishan), values, strict=True):
            for year, step in (("2022", 0), ("2023", 1)):
                ObservationFactory(
                    indicator=indicator, region=region, period=year, value=Decimal(value + step)
                )
    one = {"group_id": group.pk}
    return {
        "rankings:league": one,
        "rankings:league_export": one,
        "rankings:heatmap": one,
        "rankings:first_places": one,
        "rankings:group_edit": one,
        "rankings:region": {"group_id": group.pk, "code": cast.enping.code},
    }


def _evaluation_samples(cast: Any) -> dict[str, dict[str, Any]]:
    """Composite evaluation: a small scheme with one published run."""
    from jinwei.rankings.services import scheme_evaluate
    from tests.rankings.evaluation_data import build

    data = build(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)
    scheme, one_run = {"scheme_id": data.scheme.pk}, {"run_id": run.pk}
    return {
        "rankings:scheme_detail": scheme,
        "rankings:scheme_edit": scheme,
        "rankings:scheme_run": scheme,
        "rankings:run_detail": one_run,
        "rankings:run_export": one_run,
        "rankings:sensitivity": one_run,
        "rankings:what_moves": {"run_id": run.pk, "code": cast.enping.code},
    }


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    """URL name -> kwargs; filled in as the pages are written."""
    return {**_league_samples(cast), **_evaluation_samples(cast)}
