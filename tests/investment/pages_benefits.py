"""Sample URL arguments of the benefit-sharing pages (tests/core/test_pages_render.py renders
them): an agreement with two terms, a co-builder and an unshared year, so the pages show every
part."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    from tests.investment.benefit_helpers import appliance_park, regions, water_park

    r = regions(cast)
    water = water_park(cast, r)
    appliance_park(cast, r)
    term = water.terms.order_by("start_year").first()
    figure = water.figures.order_by("year").first()
    assert term is not None and figure is not None
    one = {"agreement_id": water.pk}
    return {
        "investment:agreement": one,
        "investment:agreement_edit": one,
        "investment:term_save": one,
        "investment:figure_save": one,
        "investment:term_delete": {"term_id": term.pk},
        "investment:figure_delete": {"figure_id": figure.pk},
    }
