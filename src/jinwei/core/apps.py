from __future__ import annotations

import contextlib
from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The platform shell: layout, navigation, security middleware, demo, serve, dump and load."""

    name = "jinwei.core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from jinwei.lib.i18n import compile_catalogs

        with contextlib.suppress(OSError):  # a read-only install ships compiled catalogues
            compile_catalogs(Path(__file__).resolve().parent.parent / "locale")
