"""The wall's pages for the pages-render test: they take no URL arguments, so nothing to add.

The render test shows them with the cast alone (empty panels); `tests/reports/test_wall.py`
renders them with data in both languages.
"""

from __future__ import annotations

from typing import Any


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    return {}
