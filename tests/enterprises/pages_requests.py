"""Sample URL arguments for some enterprises pages."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    return {}
