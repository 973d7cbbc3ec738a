"""Serve plotly.js from the installed plotly package, so the chart library is neither vendored
in the repository nor fetched from a CDN (the intranet has no internet; the CSP allows none)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PLOTLY_PATH = "vendor/plotly.min.js"
PLOTLY_FILE = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


class _VendorStorage(FileSystemStorage):
    """Names under vendor/ mapped onto the package's files (collectstatic reads through this)."""

    def __init__(self, files: dict[str, Path]) -> None:
        super().__init__(location=str(next(iter(files.values())).parent))
        self.files = files

    def path(self, name: str) -> str:
        if name in self.files:
            return str(self.files[name])
        return super().path(name)


class PlotlyFinder(BaseFinder):
    """`{% static 'vendor/plotly.min.js' %}` in development, tests and `collectstatic`."""

    files = {PLOTLY_PATH: PLOTLY_FILE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = _VendorStorage(self.files)

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        missing = [str(path) for path in self.files.values() if not path.is_file()]
        return [Error(f"plotly.js is missing: {path}", id="jinwei.E001") for path in missing]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        find_all = find_all or bool(kwargs.get("all"))  # the name before Django 5.2
        found = self.files.get(path)
        matches = [str(found)] if found is not None and found.is_file() else []
        if find_all:
            return matches
        return matches[0] if matches else None

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, path in self.files.items():
            if path.is_file():
                yield name, self.storage
