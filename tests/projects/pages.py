"""Samples for the pages-render test: URL arguments of the projects pages, one module per part."""

from __future__ import annotations

import importlib
from typing import Any

PARTS = ("pages_projects", "pages_parks", "pages_imports")


def sample_url_kwargs(cast: Any) -> dict[str, dict[str, Any]]:
    samples: dict[str, dict[str, Any]] = {}
    for part in PARTS:
        module = importlib.import_module(f"tests.projects.{part}")
        samples.update(module.sample_url_kwargs(cast))
    return samples
