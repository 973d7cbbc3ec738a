"""Running a check or a commit in a background thread started by the view (no task queue).

The thread gets its own database connection, which it closes when done. With the setting
`JINWEI_IMPORTS_INLINE = True` (the tests) the work runs in the request instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress

from django.conf import settings
from django.db import connections
from django.utils import translation

from jinwei.accounts.models import User
from jinwei.indicators.importing import services
from jinwei.indicators.importing.commit import ImportRejected
from jinwei.indicators.models import ImportBatch

log = logging.getLogger(__name__)


Job = Callable[[int, int | None], None]


def run_check(batch_id: int, user_id: int | None) -> None:
    batch = ImportBatch.objects.select_related("government", "created_by").get(pk=batch_id)
    services.import_batch_check(batch=batch)


def run_commit(batch_id: int, user_id: int | None) -> None:
    batch = ImportBatch.objects.select_related("government").get(pk=batch_id)
    actor = User.objects.get(pk=user_id) if user_id is not None else None
    with suppress(ImportRejected):  # the batch then holds the problems; the page shows them
        services.import_batch_commit(actor=actor, batch=batch)


def _run(job: Job, batch_id: int, user_id: int | None, language: str) -> None:
    try:
        with translation.override(language):
            job(batch_id, user_id)
    except Exception:  # the service marked the batch failed; keep the trace in the log
        log.exception("import %s failed", batch_id)


def _in_thread(job: Job, batch_id: int, user_id: int | None, language: str) -> None:
    try:
        _run(job, batch_id, user_id, language)
    finally:
        connections.close_all()  # this thread's connection, which nobody else would close


def start(job: Job, batch_id: int, user_id: int | None = None) -> threading.Thread | None:
    """Run `job` in a thread (returned, so a caller may join it), or inline when so configured.

    The language of the request goes along, so the problems are written in the user's language.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    if getattr(settings, "JINWEI_IMPORTS_INLINE", False):
        _run(job, batch_id, user_id, language)
        return None
    thread = threading.Thread(
        target=_in_thread,
        args=(job, batch_id, user_id, language),
        name=f"import-{batch_id}",
        daemon=True,
    )
    thread.start()
    return thread
