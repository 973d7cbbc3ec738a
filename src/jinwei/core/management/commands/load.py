"""`jinwei load FILE`: restore a dump written by `jinwei dump` into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.core.services import DatabaseNotEmpty, load_database


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        # here rather than in `help`, which argparse cannot take lazily
        parser.description = _(
            "Restore FILE (written by `jinwei dump`) into an empty database: migrates it first, "
            "loads everything in one transaction and resets the id sequences."
        )
        parser.add_argument("file", type=Path, help=_("The dump to restore."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load_database(options["file"], self.stdout.write)
        except (DatabaseNotEmpty, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
