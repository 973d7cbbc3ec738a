"""Sample URL arguments for the enterprise registry pages (tests/core/test_pages_render.py renders
them): an enterprise on a chain link and in a park, with two service managers."""

from __future__ import annotations

from typing import Any

from jinwei.enterprises.models import ServiceManager
from tests.conftest import Cast
from tests.enterprises.factories import EnterpriseFactory
from tests.projects.factories import ChainLinkFactory, IndustryChainFactory, ParkFactory


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    link = ChainLinkFactory(chain=IndustryChainFactory(government=cast.enping), name="灯光整机")
    enterprise = EnterpriseFactory(
        government=cast.enping,
        name="江门市浩明电子有限公司",
        chain_link=link,
        park=ParkFactory(government=cast.enping),
        town=cast.encheng,
        contact_name="陈经理",
        contact_phone="0750-7123456",
    )
    ServiceManager.objects.create(enterprise=enterprise, position=1, user=cast.investment)
    ServiceManager.objects.create(enterprise=enterprise, position=2, user=cast.encheng_staff)
    kwargs = {"enterprise_id": enterprise.pk}
    return {
        "enterprises:detail": kwargs,
        "enterprises:edit": kwargs,
        "enterprises:managers": kwargs,
    }
