"""`jinwei dump` and `jinwei load`: every row in one portable file, SQLite to PostgreSQL."""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command, load_command_class

from jinwei.accounts.models import User
from jinwei.accounts.services import api_token_create

POSTGRES = "postgres://postgres@127.0.0.1:5432"

# Run after `jinwei demo` in the source database: rows in every kind of table a dump must carry.
EXTRA_DATA = """
from django.contrib.auth.models import Group, Permission
from jinwei.accounts.models import User
from jinwei.accounts.services import api_token_create, user_change_password
admin = User.objects.get(username="admin")
api_token_create(actor=admin, user=admin, name="nightly import")
viewer = User.objects.get(username="viewer")
user_change_password(actor=admin, user=viewer, new_password="x-9-y-8-z")
group = Group.objects.create(name="督查组")
group.permissions.add(Permission.objects.get(codename="view_auditentry"))
User.objects.get(username="supervisor").groups.add(group)
"""


def read_dump(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def by_model(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["model"]].append(row)
    return {model: sorted(items, key=lambda r: r["pk"]) for model, items in grouped.items()}


def assert_same_rows(expected: Path, actual: Path) -> None:
    before, after = by_model(read_dump(expected)), by_model(read_dump(actual))
    assert sorted(after) == sorted(before)
    for model, rows in before.items():
        assert after[model] == rows, f"{model} differs after the round trip"


# --- in process: what a dump holds, and what load refuses -------------------------------------


@pytest.mark.django_db
def test_a_dump_holds_users_tokens_and_the_trail_but_not_what_migrate_rebuilds(cast, tmp_path):
    api_token_create(actor=cast.admin, user=cast.admin, name="script")
    session = SessionStore()
    session["x"] = 1
    session.save()
    AccessAttempt.objects.create(username="ada", ip_address="10.0.0.1", failures_since_start=1)
    call_command("dump", str(tmp_path / "all.json"), stdout=io.StringIO())
    rows = by_model(read_dump(tmp_path / "all.json"))
    assert {"accounts.user", "accounts.membership", "accounts.apitoken", "audit.auditentry"} <= set(
        rows
    )
    assert not {m for m in rows if m.split(".")[0] in {"contenttypes", "sessions", "axes"}}
    assert "auth.permission" not in rows
    ada = next(r for r in rows["accounts.user"] if r["fields"]["username"] == "ada")
    assert ada["fields"]["password"] == cast.admin.password  # the hash travels
    entry = rows["audit.auditentry"][-1]
    assert entry["fields"]["content_type"] == ["accounts", "apitoken"]  # by natural key
    assert entry["fields"]["actor"] == ["ada"]
    membership = rows["accounts.membership"][0]
    assert isinstance(membership["fields"]["unit"], int)  # plain ids where no natural key


@pytest.mark.django_db
def test_a_dump_is_gzipped_when_its_name_ends_with_gz(cast, tmp_path):
    call_command("dump", str(tmp_path / "plain.json"), stdout=io.StringIO())
    call_command("dump", str(tmp_path / "packed.gz"), stdout=io.StringIO())
    assert (tmp_path / "packed.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert (
        gzip.decompress((tmp_path / "packed.gz").read_bytes())
        == (tmp_path / "plain.json").read_bytes()
    )
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.django_db
def test_a_dump_keeps_times_to_the_microsecond(cast, tmp_path):
    at = datetime(2024, 2, 20, 8, 30, 0, 400, tzinfo=UTC)  # 0.4 ms: lost if cut to milliseconds
    User.objects.filter(pk=cast.viewer.pk).update(last_login=at)
    call_command("dump", str(tmp_path / "all.json"), stdout=io.StringIO())
    users = by_model(read_dump(tmp_path / "all.json"))["accounts.user"]
    viewer = next(r for r in users if r["pk"] == cast.viewer.pk)
    assert viewer["fields"]["last_login"] == "2024-02-20T08:30:00.000400Z"


@pytest.mark.django_db
def test_load_refuses_a_database_that_holds_data(cast, tmp_path):
    call_command("dump", str(tmp_path / "all.json"), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"accounts\.Region"):
        call_command("load", str(tmp_path / "all.json"), stdout=io.StringIO())


@pytest.mark.django_db
def test_load_says_so_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match=r"nothing\.json"):
        call_command("load", str(tmp_path / "nothing.json"), stdout=io.StringIO())


@pytest.mark.parametrize("name", ["dump", "load"])
def test_its_help_renders(name):
    parser = load_command_class("jinwei.core", name).create_parser("jinwei", name)
    assert isinstance(parser.description, str) and parser.description  # argparse takes no lazy text
    assert parser.format_help().startswith("usage: jinwei")


# --- through the console script: SQLite → dump → PostgreSQL / SQLite → dump ------------------


def jinwei(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "jinwei.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def ok(env: dict[str, str], *args: str) -> str:
    done = jinwei(env, *args)
    assert done.returncode == 0, f"jinwei {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "JINWEI_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "jinwei.settings_test",
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> tuple[dict[str, str], Path]:
    """A demo installation on SQLite, with extra rows, and its dump."""
    folder = tmp_path_factory.mktemp("source")
    env = environment(folder, f"sqlite:///{folder / 'source.sqlite3'}")
    ok(env, "demo", "--no-serve")
    ok(env, "shell", "--no-imports", "-c", EXTRA_DATA)
    ok(env, "dump", str(folder / "source.json.gz"))
    return env, folder / "source.json.gz"


@pytest.fixture(scope="module")
def postgres_copy(source, tmp_path_factory) -> Iterator[tuple[dict[str, str], Path]]:
    """The source dump loaded into a fresh PostgreSQL database, and dumped back from it."""
    try:
        server = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES}: {error}")
    name = f"jinwei_rt_{secrets.token_hex(4)}"
    server.execute(f"CREATE DATABASE {name}")
    try:
        folder = tmp_path_factory.mktemp("postgres")
        env = environment(folder, f"{POSTGRES}/{name}")
        ok(env, "load", str(source[1]))
        ok(env, "dump", str(folder / "copy.json"))
        yield env, folder / "copy.json"
    finally:
        server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.close()


def test_every_table_survives_the_trip_to_postgresql(source, postgres_copy):
    assert_same_rows(source[1], postgres_copy[1])
    models = set(by_model(read_dump(source[1])))
    assert {"accounts.apitoken", "audit.auditentry", "auth.group", "accounts.region"} <= models


def test_every_table_survives_the_trip_to_another_sqlite_file(source, tmp_path):
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    out = ok(env, "load", str(source[1]))
    assert str(source[1]) in out  # a progress line naming the file
    ok(env, "dump", str(tmp_path / "copy.json"))
    assert_same_rows(source[1], tmp_path / "copy.json")


def test_load_into_postgresql_resets_the_id_sequences(postgres_copy):
    regions = by_model(read_dump(postgres_copy[1]))["accounts.region"]
    out = ok(
        postgres_copy[0],
        "shell",
        "--no-imports",
        "-c",
        "from jinwei.accounts.models import Region\n"
        "print(Region.objects.create(code='440800', name='湛江市', level='prefecture').pk)",
    )
    assert int(out.strip()) == max(r["pk"] for r in regions) + 1


def test_load_into_postgresql_refuses_when_data_is_there(source, postgres_copy):
    done = jinwei(postgres_copy[0], "load", str(source[1]))
    assert done.returncode != 0
    assert "accounts.Region" in done.stderr
