"""API endpoints for enterprise requests (mounted under /api/v1/enterprises/requests/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["enterprise requests"])
