"""API endpoints of the enterprises app (mounted under /api/v1/enterprises/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["enterprises"])
