"""`jinwei check --deploy` with a production configuration, run as the operator would run it."""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "JINWEI_HTTPS": "1",
    "JINWEI_DEBUG": "0",
    "JINWEI_ALLOWED_HOSTS": "jinwei.example.gov.cn",
}


def _env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The test runner's environment minus every jinwei and Django setting it carries."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JINWEI_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(JINWEI_DATA_DIR=str(data_dir), **overrides)
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _check(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(["-m", "jinwei.cli", "check", "--deploy", "--fail-level", "WARNING"], env, cwd)


def test_the_deploy_check_passes_in_production(tmp_path: Path) -> None:
    env = _env(tmp_path, **PRODUCTION, JINWEI_SECRET_KEY=secrets.token_urlsafe(64))
    result = _check(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert not (tmp_path / "secret_key").exists()  # the given key is used, none is generated


def test_the_deploy_check_fails_without_https(tmp_path: Path) -> None:
    env = _env(tmp_path, **{**PRODUCTION, "JINWEI_HTTPS": "0"})
    result = _check(env, tmp_path)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_deploy_check_fails_with_debug_on(tmp_path: Path) -> None:
    env = _env(tmp_path, **{**PRODUCTION, "JINWEI_DEBUG": "1"})
    result = _check(env, tmp_path)
    assert result.returncode != 0
    assert "security.W018" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_without_a_secret_key_it_generates_a_private_key_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = _env(data_dir, **PRODUCTION)
    result = _check(env, tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert _check(env, tmp_path).returncode == 0
    assert key_file.read_text() == key  # kept, not regenerated on the next start


PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DEBUG",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


@pytest.mark.parametrize("https", ["0", "1"])
def test_cookies_are_secure_exactly_when_https_is_on(tmp_path: Path, https: str) -> None:
    env = _env(
        tmp_path,
        **{**PRODUCTION, "JINWEI_HTTPS": https},
        JINWEI_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SETTINGS_MODULE="jinwei.settings",
    )
    result = _run(["-c", PRINT_SETTINGS], env, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    on = https == "1"
    assert values["SESSION_COOKIE_SECURE"] is on
    assert values["CSRF_COOKIE_SECURE"] is on
    assert values["LANGUAGE_COOKIE_SECURE"] is on
    assert values["SECURE_SSL_REDIRECT"] is on
    assert (values["SECURE_HSTS_SECONDS"] > 0) is on
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["DEBUG"] is False
