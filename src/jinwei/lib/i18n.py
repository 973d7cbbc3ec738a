"""Compile gettext catalogues (.po -> .mo) without GNU gettext, so a fresh checkout just runs."""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]


def compile_catalogs(locale_dir: Path) -> list[Path]:
    """Compile each .po under `locale_dir` whose .mo is missing or stale; return those written."""
    written: list[Path] = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
