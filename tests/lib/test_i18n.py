"""Catalogues compile at start-up without GNU gettext, and only when the .po changed."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import polib  # type: ignore[import-untyped]

from jinwei.lib.i18n import compile_catalogs


def _catalogue(locale: Path, translation: str) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Key projects", msgstr=translation))
    path = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def _read(mo: Path) -> str:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle).gettext("Key projects")


def test_it_compiles_a_new_or_changed_catalogue_and_leaves_a_current_one(tmp_path):
    po = _catalogue(tmp_path, "重点项目")
    mo = po.with_suffix(".mo")
    assert compile_catalogs(tmp_path) == [mo]
    assert _read(mo) == "重点项目"
    assert compile_catalogs(tmp_path) == []  # up to date: not rewritten

    _catalogue(tmp_path, "重点建设项目")
    later = mo.stat().st_mtime + 5
    os.utime(po, (later, later))
    assert compile_catalogs(tmp_path) == [mo]
    assert _read(mo) == "重点建设项目"
    assert {p.name for p in mo.parent.iterdir()} == {"django.po", "django.mo"}


def test_catalogues_loaded_before_ours_were_compiled_are_reloaded():
    from django.utils import translation
    from django.utils.translation import trans_real

    from jinwei.core.apps import forget_loaded_catalogues

    with translation.override("zh-hans"):
        translation.gettext("unit")
    assert trans_real._translations  # loaded, as an app imported early would have
    forget_loaded_catalogues()
    assert trans_real._translations == {}
    with translation.override("zh-hans"):
        assert translation.gettext("unit") == "单位"
