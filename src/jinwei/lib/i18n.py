"""Compile gettext catalogues (.po -> .mo) without GNU gettext, so a fresh checkout just runs."""

from __future__ import annotations

import os
from pathlib import Path

import polib  # type: ignore[import-untyped]


def compile_catalogs(locale_dir: Path) -> list[Path]:
    """Compile each .po under `locale_dir` whose .mo is missing or stale; return those written."""
    written: list[Path] = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # written beside, then moved into place: a process starting meanwhile (a test run, the
        # server) reads the old catalogue or the new one, never half of one
        partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
        polib.pofile(str(po_path)).save_as_mofile(str(partial))
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written
