"""`jinwei demo`: Enping's foundation data, one account per role, and nothing new on a rerun."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, load_command_class
from django.test import override_settings

from jinwei.accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    UNITS,
    demo_government,
    demo_unit,
)
from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
from jinwei.audit.models import AuditEntry
from jinwei.core.demo import DEMO_NOTE, demo_step, demo_steps

# The whole demo takes many seconds to load: it is loaded once for the module (pytest-xdist
# runs a module whole on one worker, --dist=loadfile), and each test reads it or changes it in
# its own savepoint.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def static_root(settings, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.STATIC_ROOT


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run(module_db: None, tmp_path_factory: pytest.TempPathFactory) -> str:
    """What the first `jinwei demo` printed; its data stays in the database for the module."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        return run_demo()


def dump(path: Path) -> bytes:
    call_command("dump", str(path), stdout=io.StringIO())
    return path.read_bytes()


def test_a_second_run_changes_nothing(first_run, tmp_path):
    before = dump(tmp_path / "before.json")
    entries = AuditEntry.objects.count()
    run_demo()
    assert dump(tmp_path / "after.json") == before
    assert AuditEntry.objects.count() == entries
    assert b'"accounts.membership"' in before  # the dump really holds the demo data


def test_it_prints_each_role_account_with_the_password(first_run):
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)
    assert DEMO_PASSWORD in first_run
    assert "http://127.0.0.1:8000/" in first_run
    for account in DEMO_ACCOUNTS:
        line = next(
            line for line in first_run.splitlines() if line.split()[:1] == [account.username]
        )
        assert str(account.role.label) in line and account.unit in line


def test_each_account_signs_in_with_the_published_password_and_holds_its_role(first_run):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.name.startswith("示例·")  # illustrative, never a real official
        roles = set(Membership.objects.filter(user=user).values_list("unit__name", "role"))
        assert roles == {(account.unit, account.role)}
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


def test_it_builds_the_region_tree_and_enpings_units(first_run):
    enping = demo_government()
    assert (enping.code, enping.level) == ("440785", Region.Level.COUNTY)
    assert enping.parent is not None and enping.parent.code == "440700"
    assert enping.parent.parent is not None and enping.parent.parent.code == "440000"
    peers = Region.objects.filter(parent__code="440700").values_list("code", flat=True)
    assert sorted(peers) == ["440703", "440704", "440705", "440781", "440783", "440784", "440785"]
    towns = OrgUnit.objects.filter(government=enping, kind=OrgUnit.Kind.TOWN).order_by("order")
    assert [t.name for t in towns][:2] == ["恩城街道", "横陂镇"]
    assert [t.name for t in towns][-1] == "那吉镇" and towns.count() == 11
    assert OrgUnit.objects.filter(government=enping, kind=OrgUnit.Kind.DEPARTMENT).count() == 15
    assert demo_unit("市委督查室").kind == OrgUnit.Kind.SUPERVISION
    assert demo_unit("恩平市人民政府").kind == OrgUnit.Kind.LEADERSHIP
    assert OrgUnit.objects.count() == len(UNITS)
    # no invented contact details for real offices
    assert not OrgUnit.objects.exclude(phone="", address="", head="").exists()


def test_everything_it_creates_is_in_the_audit_trail_as_demo_data(first_run):
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, note=DEMO_NOTE)
    # the apps whose demo plays through the services as the demo accounts would; the indicators
    # app is among them because signed leads feed 新招产业项目投资总额
    played_apps = {
        "tasks",
        "supervision",
        "projects",
        "investment",
        "enterprises",
        "indicators",
        "honors",
        "opportunities",
    }
    foundation = created.exclude(content_type__app_label__in=played_apps)
    assert not foundation.exclude(actor=None).exists()
    # Everything else is those demos playing through the services, as the demo accounts would
    # (assign, acknowledge, report, close, sign…); nothing outside those apps.
    played = AuditEntry.objects.exclude(pk__in=created.values("pk"))
    apps_played = set(played.values_list("content_type__app_label", flat=True))
    assert apps_played <= played_apps
    for model in (Region, OrgUnit, User, Membership):
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        logged = created.filter(content_type__model=model._meta.model_name)
        assert set(logged.values_list("object_id", flat=True)) == ids


def test_a_rerun_keeps_what_people_changed_and_recreates_what_was_deleted(first_run):
    leader = User.objects.get(username="leader")
    leader.set_password("a-new-secret-42")
    leader.save(update_fields=["password"])
    OrgUnit.objects.filter(name="统计局").update(short_name="统计")
    Membership.objects.filter(user__username="hengpi").delete()
    entries = AuditEntry.objects.count()
    run_demo()
    assert User.objects.get(username="leader").password == leader.password
    assert OrgUnit.objects.get(name="统计局").short_name == "统计"
    assert Membership.objects.filter(user__username="hengpi", unit__name="横陂镇").exists()
    assert AuditEntry.objects.count() == entries + 1  # the recreated membership, nothing else


def test_every_step_is_documented_and_reported(first_run):
    steps = demo_steps()
    assert steps[0].name == "foundation"  # the other apps' data builds on it
    for step in steps:
        assert step.description, f"demo step {step.name} has no docstring"
        assert step.name in first_run


def test_two_steps_cannot_share_a_name():
    def impostor() -> int:
        return 0

    with pytest.raises(ImproperlyConfigured):
        demo_step("foundation")(impostor)
    assert demo_steps()[0].run is not impostor


def test_reset_starts_over_from_an_empty_sqlite_file(tmp_path):
    """Through the console script, as a user runs it, on a fresh data folder: whatever the old
    file held is gone and the demo is there."""
    env = {
        **os.environ,
        "JINWEI_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "jinwei.settings_test",
    }
    with closing(sqlite3.connect(tmp_path / "demo.sqlite3")) as db, db:
        db.execute("CREATE TABLE leftover (note TEXT)")
        db.execute("INSERT INTO leftover VALUES ('from an earlier installation')")
    command = [sys.executable, "-m", "jinwei.cli", "demo", "--no-serve", "--reset"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "demo.sqlite3") in done.stdout  # it says what it deletes
    assert (tmp_path / "data" / "static").is_dir()
    with closing(sqlite3.connect(tmp_path / "demo.sqlite3")) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        units = db.execute("SELECT count(*) FROM accounts_orgunit").fetchone()[0]
    assert "leftover" not in tables
    assert units == len(UNITS)


def test_its_help_renders():
    parser = load_command_class("jinwei.core", "demo").create_parser("jinwei", "demo")
    assert isinstance(parser.description, str) and parser.description  # argparse takes no lazy text
    assert parser.format_help().startswith("usage: jinwei")
    assert "--reset" in parser.format_help()
