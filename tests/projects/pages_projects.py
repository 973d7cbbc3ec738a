"""Sample URL arguments for some projects pages (tests/core/test_pages_render.py renders them)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    return {}
