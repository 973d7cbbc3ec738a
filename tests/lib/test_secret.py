"""The secret key in the data folder: created once, private, and the same for every process."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

from jinwei.lib.secret import load_or_create_secret_key


def test_it_is_created_private_and_read_back_unchanged(tmp_path):
    key = load_or_create_secret_key(tmp_path / "data")
    assert len(key) >= 50
    assert stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode) == 0o600
    assert load_or_create_secret_key(tmp_path / "data") == key
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]  # no drafts left


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: load_or_create_secret_key(tmp_path), range(32)))
    assert len(keys) == 1 and "" not in keys
