"""API endpoints for benefit-sharing agreements (mounted under /api/v1/investment/agreements/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["benefit sharing"])
