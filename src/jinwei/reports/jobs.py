"""Writing a briefing in a background thread started by the page (no task queue), as the
indicator import does (`jinwei.indicators.importing.jobs`).

The thread gets its own database connection, which it closes when done. With the setting
`JINWEI_IMPORTS_INLINE = True` (the tests) the work runs in the request instead.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections
from django.utils import translation

from jinwei.reports import services
from jinwei.reports.models import Briefing

log = logging.getLogger(__name__)


def _run(briefing_id: int, language: str) -> None:
    try:
        with translation.override(language):
            briefing = Briefing.objects.select_related("government").get(pk=briefing_id)
            services.briefing_write(briefing=briefing)
    except Exception:  # the service marked the briefing failed; keep the trace in the log
        log.exception("briefing %s failed", briefing_id)


def _in_thread(briefing_id: int, language: str) -> None:
    try:
        _run(briefing_id, language)
    finally:
        connections.close_all()  # this thread's connection, which nobody else would close


def start(briefing_id: int) -> threading.Thread | None:
    """Write the briefing in a thread (returned, so a caller may join it), or inline when so
    configured. The request's language goes along: the notes are written in it."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if getattr(settings, "JINWEI_IMPORTS_INLINE", False):
        _run(briefing_id, language)
        return None
    thread = threading.Thread(
        target=_in_thread, args=(briefing_id, language), name=f"briefing-{briefing_id}", daemon=True
    )
    thread.start()
    return thread
