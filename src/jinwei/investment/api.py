"""API endpoints of the investment app (mounted under /api/v1/investment/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["investment"])
