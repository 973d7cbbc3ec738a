"""`jinwei dump FILE`: every row of the database in one portable file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from jinwei.core.services import dump_database


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        # here rather than in `help`, which argparse cannot take lazily
        parser.description = _(
            "Write all data (users, memberships, tokens and the audit trail included) to FILE, "
            "as JSON, or gzip'd JSON if FILE ends with .gz. Restore it with `jinwei load`."
        )
        parser.add_argument("file", type=Path, help=_("The file to write."))

    def handle(self, *args: Any, **options: Any) -> None:
        dump_database(options["file"], self.stdout.write)
