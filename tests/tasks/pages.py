"""Samples for the pages-render test: URL arguments of the tasks pages, one module per part."""

from __future__ import annotations

import importlib
from typing import Any

PARTS = ("pages_work", "pages_detail", "pages_goals", "pages_ledger")


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    samples: dict[str, dict[str, Any]] = {}
    for part in PARTS:
        module = importlib.import_module(f"tests.tasks.{part}")
        samples.update(module.sample_url_kwargs(cast))
    return samples
