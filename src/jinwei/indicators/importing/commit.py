"""Writing a checked import: all or nothing, in one transaction, with its audit trail.

The comparison with stored values (`pipeline.settle`) runs again inside the transaction, on rows
locked for update, so what is written is what was compared, even if someone saved a value between
the dry run and the commit. New values are inserted in large batches; only changed values are
updated. The audit trail gets one entry per changed observation (field by field, before and
after) and one entry for the import as a whole; every new observation points to its import
(`Observation.batch`), which records who imported it and when.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record
from jinwei.indicators.importing.layouts import Record
from jinwei.indicators.importing.pipeline import (
    Candidate,
    Change,
    Issue,
    Key,
    Options,
    Outcome,
    Report,
    paused_gc,
    quiet,
    read_and_prepare,
)
from jinwei.indicators.importing.settle import prepare_records, settle
from jinwei.indicators.models import ImportBatch, Observation
from jinwei.indicators.validation import ERROR

INSERT_BATCH = 20_000
SQLITE_MAX_PARAMS = 32_000  # SQLite's limit per statement is 32,766 (since 3.32)
UPDATE_BATCH = 500
AUDIT_BATCH = 2000


class ImportRejected(Exception):
    """Nothing was written; `outcome.issues` says why."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        super().__init__("; ".join(i.message for i in outcome.errors[:5]))


def commit_file(
    path: Path, options: Options, *, batch: ImportBatch, report: Report = quiet
) -> Outcome:
    """Check `path` and write it, or write nothing and raise ImportRejected."""
    with paused_gc():
        outcome = read_and_prepare(path, options, report, span=(0, 40))
        if not outcome.ok:
            settle(outcome, options)  # the counts a dry run would show, with every problem
            raise ImportRejected(outcome)
        return _commit(outcome, options, batch=batch, report=report)


def commit_records(
    records: list[Record], options: Options, *, batch: ImportBatch, report: Report = quiet
) -> Outcome:
    """The API's path: the same checks and the same writes for records built from JSON."""
    with paused_gc():
        outcome = prepare_records(records, options)
        if not outcome.ok:
            settle(outcome, options)
            raise ImportRejected(outcome)
        return _commit(outcome, options, batch=batch, report=report)


def _commit(outcome: Outcome, options: Options, *, batch: ImportBatch, report: Report) -> Outcome:
    try:
        with transaction.atomic():
            settle(outcome, options, lock=True, report=lambda p, n: report(40 + p // 10, n))
            if not outcome.ok:
                raise ImportRejected(outcome)
            write(outcome, batch=batch, actor=options.actor, report=report)
    except IntegrityError as error:
        message = _(
            "Someone saved some of these values while the import ran; nothing was saved. "
            "Check the file again. (%(error)s)"
        ) % {"error": error}
        outcome.issues.append(Issue(ERROR, "conflict", message))
        raise ImportRejected(outcome) from error
    return outcome


def write(outcome: Outcome, *, batch: ImportBatch, actor: Any, report: Report = quiet) -> None:
    """Insert the new values, update the changed ones, and write the audit trail."""
    now = timezone.now()
    insert_new(outcome.new, batch=batch, now=now, due=outcome.explanation_due, report=report)
    report(90, _("Saving changed values"))
    update_changed(outcome.changed, batch=batch, now=now, due=outcome.explanation_due)
    audit_changes(outcome.changed, batch=batch, actor=actor, now=now, due=outcome.explanation_due)
    counts = outcome.counts()
    record(
        actor=actor,
        action=AuditEntry.Action.EVENT,
        obj=batch,
        after={k: counts[k] for k in ("new", "changed", "unchanged")} | {"file": batch.filename},
        note=_("Import of %(file)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
        % {"file": batch.filename, **counts},
    )
    report(100, _("Saved"))


# --- inserts ----------------------------------------------------------------------------------

_INSERT_COLUMNS = (
    "indicator_id",
    "region_id",
    "unit_id",
    "period",
    "value",
    "growth_rate",
    "source",
    "is_illustrative",
    "status",
    "explanation",
    "explanation_due",
    "batch_id",
    "submitted_at",
    "version",
    "created_at",
    "updated_at",
)  # fmt: skip  (approved_at and approved_by_id stay NULL)


def insert_new(
    new: list[Candidate], *, batch: ImportBatch, now: datetime, due: set[Key], report: Report
) -> None:
    """Rows straight to the database: one COPY on PostgreSQL (fed chunk by chunk, so the server
    stores one chunk while the next is formatted), multi-row INSERTs on SQLite. The ORM's
    bulk_create builds a model object per row, which would cost more than all the checks of a
    large import; the values here are already checked and quantised to the columns' scale."""
    if not new:
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _INSERT_COLUMNS)
    stamp = connection.ops.adapt_datetimefield_value(now)
    submitted, batch_id = Observation.Status.SUBMITTED.value, batch.pk
    total = len(new)
    with connection.cursor() as cursor:
        unchecked = _without_key_triggers(cursor, new, batch_id)
        with _target(cursor, table, columns) as target:
            for start in range(0, total, INSERT_BATCH):
                chunk = new[start : start + INSERT_BATCH]
                rows = [
                    (*c.key, c.value, c.growth, c.source, False, submitted, c.explanation,
                     c.key in due, batch_id, stamp, 1, stamp, stamp)
                    for c in chunk
                ]  # fmt: skip
                _insert_rows(target, table, columns, rows)
                report(50 + 40 * (start + len(chunk)) // total, _("Saving new values"))
        if unchecked:
            cursor.execute("SET LOCAL session_replication_role = origin")


@contextmanager
def _target(cursor: Any, table: str, columns: str) -> Iterator[Any]:
    """Where `_insert_rows` writes: a COPY on PostgreSQL, the sqlite3 cursor on SQLite."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            yield copy
    else:
        yield cursor.cursor


def _insert_rows(target: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        target.write(_copy_text(rows))
        return
    # Multi-row INSERTs (measured faster than executemany of a one-row INSERT: far fewer calls
    # from Python into SQLite), through sqlite3's own execute: Django's wrapper would first
    # rewrite every "%s" of these long statements with a regular expression.
    width = len(_INSERT_COLUMNS)
    per_statement = max(1, min(len(rows), SQLITE_MAX_PARAMS // width))
    one = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}"  # noqa: S608
        sqlite3.Cursor.execute(target, sql, [value for row in part for value in row])


def _copy_text(rows: list[tuple[Any, ...]]) -> str:
    """`rows` (in `_INSERT_COLUMNS` order) in COPY's text format, one f-string per row: psycopg's
    `write_row` adapts value by value, several times slower."""
    texts: dict[Any, str] = {}  # strings and timestamps repeat: each escaped once

    def text(value: Any) -> str:
        found = texts.get(value)
        if found is None:
            found = texts[value] = _copy_escape(str(value))
        return found

    null = "\\N"
    lines: list[str] = []
    append = lines.append
    for row in rows:
        (indicator, region, unit, period, value, growth, source, illustrative, status,
         explanation, due, batch, submitted, version, created, updated) = row  # fmt: skip
        append(
            f"{indicator}\t{null if region is None else region}\t"
            f"{null if unit is None else unit}\t{text(period)}\t{value}\t"
            f"{null if growth is None else growth}\t{text(source)}\t"
            f"{'t' if illustrative else 'f'}\t{text(status)}\t{text(explanation)}\t"
            f"{'t' if due else 'f'}\t{null if batch is None else batch}\t{text(submitted)}\t"
            f"{version}\t{text(created)}\t{text(updated)}\n"
        )
    return "".join(lines)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(text: str) -> str:
    return text.translate(_COPY_ESCAPES)


# --- PostgreSQL: the foreign keys checked once per distinct key, not once per row -------------

_FOREIGN_KEYS = [
    (position, field)
    for position, column in enumerate(_INSERT_COLUMNS)
    for field in Observation._meta.concrete_fields
    if field.column == column and isinstance(field, ForeignKey)
]


def _without_key_triggers(cursor: Any, new: list[Candidate], batch_id: int) -> bool:
    """On PostgreSQL, switch off the foreign-key triggers of the inserts that follow, if this
    database role may (a superuser, or a role granted SET on session_replication_role): they
    look up every key of every row at COMMIT, three look-ups per row, more than the whole rest
    of the import. `_lock_referenced` does their work once per distinct key instead: each row
    referenced must exist, and is locked (FOR KEY SHARE, as they do) until the transaction ends,
    so no one can delete it meanwhile. A role that may not keeps the triggers: slower, just as
    correct. Not done if the table has triggers or rules of its own, which replica mode would
    switch off too."""
    if connection.vendor != "postgresql":
        return False
    keys: dict[str, set[Any]] = {
        "indicator_id": {c.key[0] for c in new},
        "region_id": {c.key[1] for c in new},
        "unit_id": {c.key[2] for c in new},
        "batch_id": {batch_id},
    }
    if any(field.column not in keys for _position, field in _FOREIGN_KEYS):
        return False  # a key column this function does not know: leave it to the triggers
    table = Observation._meta.db_table
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass "
        "AND NOT tgisinternal) OR EXISTS (SELECT 1 FROM pg_rules WHERE tablename = %s)",
        [table, table],
    )
    if cursor.fetchone()[0]:
        return False
    try:
        with transaction.atomic():  # a refusal rolls back to here, not the whole import
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    _lock_referenced(cursor, keys)
    return True


def _lock_referenced(cursor: Any, keys: dict[str, set[Any]]) -> None:
    """What the foreign-key triggers would check, once per distinct key: the rows referenced
    exist, locked against deletion until the transaction ends."""
    quote = connection.ops.quote_name
    for _position, field in _FOREIGN_KEYS:
        wanted = keys[field.column] - {None}
        if not wanted:
            continue
        target = field.target_field
        sql = (
            f"SELECT {quote(target.column)} FROM {quote(target.model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(target.column)} = ANY(%s) FOR KEY SHARE"
        )
        cursor.execute(sql, [sorted(wanted)])
        missing = wanted - {found for (found,) in cursor.fetchall()}
        if missing:
            raise IntegrityError(
                f"{field.name} {', '.join(map(str, sorted(missing)))} no longer exists"
            )


# --- updates and their audit entries ----------------------------------------------------------


def update_changed(
    changed: list[Change], *, batch: ImportBatch, now: datetime, due: set[Key]
) -> None:
    rows = []
    for change in changed:
        stored, candidate = change.stored, change.candidate
        rows.append(
            Observation(
                pk=stored.id,
                value=change.fields.get("value", stored.value),
                growth_rate=change.fields.get("growth_rate", stored.growth),
                source=change.fields.get("source", stored.source),
                explanation=change.fields.get("explanation", stored.explanation),
                explanation_due=candidate.key in due,
                status=Observation.Status.SUBMITTED,
                submitted_at=now,
                batch_id=batch.pk,
                version=stored.version + 1,
                updated_at=now,
            )
        )
    fields = [
        "value", "growth_rate", "source", "explanation", "explanation_due", "status",
        "submitted_at", "batch", "version", "updated_at",
    ]  # fmt: skip
    Observation.objects.bulk_update(rows, fields, batch_size=UPDATE_BATCH)


def _json(value: Any) -> Any:
    return str(value) if value is not None and not isinstance(value, bool | int | str) else value


def audit_changes(
    changed: list[Change], *, batch: ImportBatch, actor: Any, now: datetime, due: set[Key]
) -> None:
    """One entry per changed observation, like `tracked_update` writes for a form."""
    if not changed:
        return
    user = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(Observation)
    note = _("import of %(file)s") % {"file": batch.filename}
    entries = []
    for change in changed:
        candidate = change.candidate
        before, after = _before_after(change, batch.pk, candidate.key in due)
        entries.append(
            AuditEntry(
                at=now,
                actor=user,
                actor_name=user.get_username() if user else "",
                action=AuditEntry.Action.UPDATE,
                content_type=content_type,
                object_id=str(change.stored.id),
                object_repr=f"{candidate.indicator.name} · {candidate.place} · {candidate.key[3]}"[
                    :300
                ],
                object_version=change.stored.version + 1,
                government_id=candidate.indicator.government_id,
                before=before,
                after=after,
                note=note[:500],
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=AUDIT_BATCH)


_STORED_NAMES = {
    "value": "value",
    "growth_rate": "growth",
    "source": "source",
    "explanation": "explanation",
}


def _before_after(
    change: Change, batch_id: int, due: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    stored = change.stored
    before = {f: _json(getattr(stored, _STORED_NAMES[f])) for f in change.fields}
    after = {f: _json(v) for f, v in change.fields.items()}
    extra = {
        "explanation_due": (stored.explanation_due, due),
        "status": (stored.status, Observation.Status.SUBMITTED.value),
        "batch_id": (stored.batch_id, batch_id),
    }
    for name, (old, new) in extra.items():
        if old != new:
            before[name], after[name] = old, new
    return before, after
