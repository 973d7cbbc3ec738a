"""`jinwei serve`: run the site with waitress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.core.services import ServeRefused, serve


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        # here rather than in `help`, which argparse cannot take lazily
        parser.description = _(
            "Serve jinwei with waitress. Refuses while a demo account keeps the published password."
        )
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port to listen on."))
        parser.add_argument("--threads", type=int, default=8, help=_("Worker threads."))
        parser.add_argument(
            "--allow-demo",
            action="store_true",
            help=_("Serve even though demo accounts keep the published password."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            serve(
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                allow_demo=options["allow_demo"],
                say=self.stdout.write,
            )
        except ServeRefused as refusal:
            raise CommandError(str(refusal)) from refusal
