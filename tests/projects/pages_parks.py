"""Sample URL arguments for the park and chain pages (tests/core/test_pages_render.py renders
them): a park with a project and an enterprise, a chain with a covered, a thin and an empty link."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.enterprises.factories import EnterpriseFactory
from tests.projects.factories import (
    ChainLinkFactory,
    IndustryChainFactory,
    ParkFactory,
    ProjectFactory,
)


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    chain = IndustryChainFactory(government=cast.enping, name="数控机床")
    top = ChainLinkFactory(chain=chain, name="数控系统", segment="upstream", min_enterprises=1)
    sub = ChainLinkFactory(chain=chain, parent=top, name="伺服电机", segment="upstream")
    ChainLinkFactory(chain=chain, name="整机装配", segment="midstream")
    park = ParkFactory(
        government=cast.enping, name="智能装备特色产业园", managing_unit=cast.encheng
    )
    park.chains.add(chain)
    ProjectFactory(lead_unit=cast.encheng, park=park, chain_link=sub)
    EnterpriseFactory(government=cast.enping, park=park, chain_link=sub, town=cast.encheng)
    return {
        "projects:park": {"park_id": park.pk},
        "projects:park_edit": {"park_id": park.pk},
        "projects:chain": {"chain_id": chain.pk},
        "projects:chain_edit": {"chain_id": chain.pk},
        "projects:link_create": {"chain_id": chain.pk},
        "projects:link_edit": {"link_id": sub.pk},
        "projects:link_delete": {"link_id": sub.pk},
    }
