"""`jinwei serve`: refuses to expose demo accounts that keep the published password."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import waitress
from django.core.management import CommandError, call_command, load_command_class

from jinwei.accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    demo_accounts_with_published_password,
    load_foundation,
)
from jinwei.accounts.models import User
from jinwei.core.services import (
    STATIC_MANIFEST,
    ServeRefused,
    check_can_serve,
    collect_static,
    static_files_current,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data() -> None:
    load_foundation()


@pytest.fixture
def served(monkeypatch, settings, tmp_path: Path) -> list[dict[str, Any]]:
    """Calls that would have started waitress, recorded instead."""
    settings.STATIC_ROOT = tmp_path / "static"
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        waitress, "serve", lambda app, **kwargs: calls.append({"app": app, **kwargs})
    )
    return calls


def change_every_demo_password() -> None:
    for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]):
        user.set_password("a-private-password-7")
        user.save(update_fields=["password"])


def test_it_refuses_while_demo_accounts_keep_the_published_password(demo_data):
    with pytest.raises(ServeRefused) as refusal:
        check_can_serve(allow_demo=False)
    for account in DEMO_ACCOUNTS:
        assert account.username in str(refusal.value)


def test_it_accepts_the_published_password_with_allow_demo(demo_data):
    check_can_serve(allow_demo=True)


def test_it_serves_once_every_demo_password_is_changed(demo_data):
    change_every_demo_password()
    assert demo_accounts_with_published_password() == []
    check_can_serve(allow_demo=False)


def test_one_forgotten_account_is_enough_to_refuse(demo_data):
    change_every_demo_password()
    viewer = User.objects.get(username="viewer")
    viewer.set_password(DEMO_PASSWORD)
    viewer.save(update_fields=["password"])
    assert demo_accounts_with_published_password() == ["viewer"]
    viewer.is_active = False  # a deactivated account cannot sign in
    viewer.save(update_fields=["is_active"])
    check_can_serve(allow_demo=False)


def test_an_installation_without_demo_accounts_serves(cast):
    check_can_serve(allow_demo=False)


def test_the_command_exits_with_the_reason_before_starting(demo_data, served):
    with pytest.raises(CommandError, match="viewer"):
        call_command("serve", stdout=io.StringIO())
    assert served == []


def test_the_command_hands_the_site_to_waitress(demo_data, served, settings):
    from jinwei.wsgi import application

    out = io.StringIO()
    call_command("serve", "--allow-demo", "--port", "8765", "--threads", "3", stdout=out)
    assert served == [{"app": application, "host": "127.0.0.1", "port": 8765, "threads": 3}]
    assert "http://127.0.0.1:8765/" in out.getvalue()
    assert (Path(settings.STATIC_ROOT) / "jinwei" / "jinwei.css").exists()


def test_demo_serves_through_the_same_path_on_localhost(served, monkeypatch):
    # The demo's data is tested in tests/core/test_demo.py; here only where it is served.
    loaded: list[bool] = []
    monkeypatch.setattr(
        "jinwei.core.management.commands.demo.run_demo_steps", lambda say: loaded.append(True)
    )
    call_command("demo", "--port", "8766", stdout=io.StringIO())
    assert loaded == [True]
    assert [(c["host"], c["port"]) for c in served] == [("127.0.0.1", 8766)]


def test_static_files_are_collected_only_when_stale(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    assert not static_files_current()
    collect_static(lambda line: None)
    assert static_files_current()
    manifest = tmp_path / "static" / STATIC_MANIFEST
    data = json.loads(manifest.read_text())
    del data["paths"]["jinwei/jinwei.css"]  # a source file the last collection did not see
    manifest.write_text(json.dumps(data))
    assert not static_files_current()


def test_its_help_renders():
    parser = load_command_class("jinwei.core", "serve").create_parser("jinwei", "serve")
    assert isinstance(parser.description, str) and parser.description  # argparse takes no lazy text
    assert parser.format_help().startswith("usage: jinwei")
    assert "--allow-demo" in parser.format_help()
