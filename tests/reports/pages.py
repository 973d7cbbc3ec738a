"""URL arguments for the pages-render test of the reports pages, one module per part."""

from __future__ import annotations

import importlib
from typing import Any

PARTS = ("pages_briefings", "pages_wall", "pages_public")


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    samples: dict[str, dict[str, Any]] = {}
    for part in PARTS:
        module = importlib.import_module(f"tests.reports.{part}")
        samples.update(module.sample_url_kwargs(cast))
    return samples
