"""API endpoints of the enterprises app (mounted under /api/v1/enterprises/): the registry here,
the requests in `request_api.py`."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["enterprises"])
router.add_router("/requests/", "jinwei.enterprises.request_api.router")
