"""Reads for briefings, scoped to who is asking: everyone in a government sees its briefings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import Region
from jinwei.reports.models import Briefing

RECENT = 20


def briefing_queryset(*, viewer: Any) -> QuerySet[Briefing]:
    briefings = Briefing.objects.select_related("government", "created_by")
    return scope_to_governments(briefings, viewer, "government_id")


def briefing_list(*, viewer: Any, government: Region, limit: int = RECENT) -> list[Briefing]:
    """The government's latest briefings, newest first (one query)."""
    return list(briefing_queryset(viewer=viewer).filter(government=government)[:limit])


def briefing_file(briefing: Briefing, kind: str) -> Path | None:
    """The stored Word ("docx") or PDF ("pdf") file, if it is there."""
    stored = briefing.docx_path if kind == "docx" else briefing.pdf_path
    if not stored:
        return None
    path = Path(settings.MEDIA_ROOT) / stored
    return path if path.is_file() else None
