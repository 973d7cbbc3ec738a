from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The platform shell: layout, navigation, security middleware, demo, serve, dump and load."""

    name = "jinwei.core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from jinwei.lib.i18n import compile_catalogs

        written: list[Path] = []
        with contextlib.suppress(OSError):  # a read-only install ships compiled catalogues
            written = compile_catalogs(Path(__file__).resolve().parent.parent / "locale")
        if written:
            forget_loaded_catalogues()


def forget_loaded_catalogues() -> None:
    """Drop the catalogues Django has loaded so far: an app imported before this one was ready
    may have translated something, loading the catalogues before ours were compiled (as Django
    does when LOCALE_PATHS changes)."""
    from asgiref.local import Local
    from django.utils.translation import trans_real

    # private state, reset exactly as django.test.signals.language_changed resets it
    real: Any = trans_real
    real._default = None
    real._active = Local()
    real._translations = {}
    real.translation_catalog_exists.cache_clear()
