"""How far an import has got, for the page's progress bar and the command line's.

The work runs in one thread; the page polls from another request. During the check the batch row
is updated every few percent. During the commit the work holds a transaction whose writes no
other connection can see (and on SQLite, the write lock), so progress is also kept in this
process's memory, which the progress view reads first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from jinwei.indicators.models import ImportBatch

_live: dict[int, tuple[int, str]] = {}
_lock = threading.Lock()
DB_EVERY_PERCENT = 5
DB_EVERY_SECONDS = 1.0


def live(batch_id: int) -> tuple[int, str] | None:
    with _lock:
        return _live.get(batch_id)


def forget(batch_id: int) -> None:
    with _lock:
        _live.pop(batch_id, None)


class Reporter:
    """A `report(percent, note)` callable: memory always, the batch row now and then."""

    def __init__(self, batch_id: int | None, echo: Callable[[int, str], None] | None = None):
        self.batch_id = batch_id
        self.echo = echo
        self.to_db = batch_id is not None
        self.last: tuple[int, str] = (-DB_EVERY_PERCENT, "")
        self.last_at = 0.0

    def __call__(self, percent: int, note: str) -> None:
        percent = max(0, min(100, int(percent)))
        if self.echo is not None:
            self.echo(percent, note)
        if self.batch_id is None:
            return
        with _lock:
            _live[self.batch_id] = (percent, note)
        now = time.monotonic()
        due = percent - self.last[0] >= DB_EVERY_PERCENT or now - self.last_at >= DB_EVERY_SECONDS
        if self.to_db and (due or note != self.last[1]):
            ImportBatch.objects.filter(pk=self.batch_id).update(
                progress=percent, progress_note=note[:200]
            )
            self.last, self.last_at = (percent, note), now

    @contextmanager
    def memory_only(self) -> Iterator[None]:
        was, self.to_db = self.to_db, False
        try:
            yield
        finally:
            self.to_db = was
