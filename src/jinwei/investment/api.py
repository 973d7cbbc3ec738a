"""API endpoints of the investment app (mounted under /api/v1/investment/): leads here, the
benefit-sharing agreements in `benefit_api.py`."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["investment"])
router.add_router("/agreements/", "jinwei.investment.benefit_api.router")
