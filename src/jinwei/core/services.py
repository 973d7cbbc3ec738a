"""Operations on the installation itself: serve it, reset it, dump and load all of its data.

The management commands (`jinwei demo`, `serve`, `dump`, `load`) are thin wrappers over these.
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import waitress  # type: ignore[import-untyped]
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import serializers
from django.core.management import call_command
from django.core.management.commands import loaddata
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from jinwei.accounts.demo import demo_accounts_with_published_password

Say = Callable[[str], None]

# Left out of dumps: rebuilt by `migrate` (content types, permissions), or transient (sessions,
# login attempts and lock-outs).
DUMP_EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "axes"})
DUMP_EXCLUDED_MODELS = frozenset({"auth.permission"})
STATIC_MANIFEST = "staticfiles.json"  # written by whitenoise's manifest storage


class LosslessJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but keeping microseconds (it cuts times to milliseconds), so that a
    restored database dumps back to the same file."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class ServeRefused(Exception):
    """The installation is not fit to serve; the message says why and what to do."""


class DatabaseNotEmpty(Exception):
    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        super().__init__(
            _(
                "The database already holds data (%(models)s). "
                "`jinwei load` only restores into an empty database."
            )
            % {"models": ", ".join(labels)}
        )


def database_label() -> str:
    """Where the data lives, for progress lines."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return _("SQLite file %(path)s") % {"path": db["NAME"]}
    return _("%(vendor)s database %(name)s on %(host)s") % {
        "vendor": connection.display_name,
        "name": db["NAME"],
        "host": db.get("HOST") or "localhost",
    }


def reset_database(say: Say) -> None:
    """Start over: delete the SQLite file, or empty every table of a PostgreSQL database."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        say(_("Resetting: deleting %(path)s") % {"path": path})
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        say(_("Resetting: deleting all data in %(db)s") % {"db": database_label()})
        call_command("flush", interactive=False, verbosity=0)


def migrate(say: Say) -> None:
    say(_("Applying migrations to %(db)s…") % {"db": database_label()})
    call_command("migrate", interactive=False, verbosity=0)


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def static_files_current() -> bool:
    """True when the collected files (and their manifest) are newer than every source file."""
    manifest = Path(settings.STATIC_ROOT) / STATIC_MANIFEST
    if not manifest.exists():
        return False
    built_at = manifest.stat().st_mtime
    try:
        collected = json.loads(manifest.read_text())["paths"]
    except (ValueError, KeyError):
        return False
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if path not in collected or os.path.getmtime(storage.path(path)) > built_at:
                return False
    return True


def collect_static(say: Say) -> None:
    if static_files_current():
        say(_("Static files are up to date in %(path)s.") % {"path": settings.STATIC_ROOT})
        return
    say(_("Collecting static files into %(path)s…") % {"path": settings.STATIC_ROOT})
    call_command("collectstatic", interactive=False, verbosity=0)


def check_can_serve(*, allow_demo: bool) -> None:
    """Refuse to serve an unmigrated database, or one whose demo accounts keep the published
    password (anyone who has read the README could sign in as administrator)."""
    pending = unapplied_migrations()
    if pending:
        raise ServeRefused(
            _(
                "The database is not up to date (%(count)d migrations to apply): "
                "run `jinwei migrate` first."
            )
            % {"count": len(pending)}
        )
    if allow_demo:
        return
    exposed = demo_accounts_with_published_password()
    if exposed:
        raise ServeRefused(
            _(
                "These demo accounts still have the published demo password: %(accounts)s. "
                "Change their passwords (`jinwei changepassword <name>`) or deactivate them "
                "before serving, or pass --allow-demo to serve a demo."
            )
            % {"accounts": ", ".join(exposed)}
        )


def serve(*, host: str, port: int, threads: int, allow_demo: bool, say: Say) -> None:
    """Check, collect static files if needed, and serve with waitress until interrupted."""
    check_can_serve(allow_demo=allow_demo)
    collect_static(say)
    from jinwei.wsgi import application

    shown_host = f"[{host}]" if ":" in host else host
    say(
        _("Serving jinwei on http://%(host)s:%(port)d/ (press Ctrl+C to stop).")
        % {"host": shown_host, "port": port}
    )
    waitress.serve(application, host=host, port=port, threads=threads)


def dumped_models() -> list[type[models.Model]]:
    """Every model whose rows a dump holds, ordered so natural keys resolve on load."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in DUMP_EXCLUDED_APPS
        and model._meta.label_lower not in DUMP_EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def dump_database(path: Path, say: Say) -> int:
    """Write every row to `path` (gzip'd JSON if it ends with .gz); return how many.

    Foreign keys to content types and users travel by natural key, primary keys as they are
    (the audit trail refers to objects by id). Written to a side file and renamed, so a failed
    dump never leaves half a file under the expected name.
    """
    say(_("Dumping %(db)s to %(path)s…") % {"db": database_label(), "path": path})
    partial = path.with_name(path.name + ".partial")
    count = 0

    def rows() -> Iterator[models.Model]:
        nonlocal count
        for model in dumped_models():
            for obj in _rows_of(model).iterator():
                count += 1
                yield obj

    # on PostgreSQL, a consistent snapshot that does not block writers (only possible when the
    # dump opens the transaction itself)
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), _open_for_writing(partial, compress=path.suffix == ".gz") as stream:
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        serializers.serialize(
            "json", rows(), stream=stream, use_natural_foreign_keys=True, cls=LosslessJSONEncoder
        )
    partial.replace(path)
    say(_("Wrote %(count)d objects to %(path)s.") % {"count": count, "path": path})
    return count


def _rows_of(model: type[models.Model]) -> models.QuerySet[models.Model]:
    # join the rows that travel by natural key (content types, users, regions): one query, not
    # one per row
    natural = [
        field.name
        for field in model._meta.fields
        if field.remote_field and hasattr(field.remote_field.model, "natural_key")
    ]
    return model._base_manager.select_related(*natural).order_by(model._meta.pk.name)


@contextmanager
def _open_for_writing(path: Path, *, compress: bool) -> Iterator[io.TextIOWrapper]:
    with path.open("wb") as raw:
        if not compress:
            with io.TextIOWrapper(raw, encoding="utf-8") as text:
                yield text
            return
        # mtime=0 and no file name in the header: the same data gives the same bytes
        with (
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
            io.TextIOWrapper(packed, encoding="utf-8") as text,
        ):
            yield text


def load_database(path: Path, say: Say) -> int:
    """Restore a dump into an empty, migrated database, in one transaction; return how many rows.

    loaddata resets the sequences, so new rows get ids after the restored ones.
    """
    if not path.is_file():
        raise FileNotFoundError(_("No such file: %(path)s") % {"path": path})
    migrate(say)
    say(_("Loading %(path)s into %(db)s…") % {"path": path, "db": database_label()})
    command = loaddata.Command()
    with transaction.atomic(), _as_fixture(path) as fixture:
        # rows a migration seeded are replaced by the dump's own; look for other data first
        # (other rows may refer to the seeded ones, which then cannot be deleted)
        seeded = [m for m in dumped_models() if getattr(m, "seeded_by_migration", False)]
        occupied = [
            m._meta.label for m in dumped_models() if m not in seeded and m._base_manager.exists()
        ]
        if occupied:
            raise DatabaseNotEmpty(occupied)
        for model in seeded:
            model._base_manager.all().delete()
        call_command(command, str(fixture), verbosity=0)
    count: int = command.loaded_object_count
    say(_("Loaded %(count)d objects.") % {"count": count})
    return count


@contextmanager
def _as_fixture(path: Path) -> Iterator[Path]:
    """The file under a name loaddata accepts (it reads format and compression from the name)."""
    with path.open("rb") as handle:
        compressed = handle.read(2) == b"\x1f\x8b"
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / ("dump.json.gz" if compressed else "dump.json")
        try:
            fixture.symlink_to(path.resolve())
        except OSError:  # no symlinks (some Windows setups)
            shutil.copyfile(path, fixture)
        yield fixture
