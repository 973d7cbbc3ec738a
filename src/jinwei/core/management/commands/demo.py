"""`jinwei demo`: a working installation with Enping's demo data, in one command."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jinwei.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from jinwei.core.demo import run_demo_steps
from jinwei.core.services import ServeRefused, collect_static, migrate, reset_database, serve

# Only on this machine: the demo accounts' password is public.
DEMO_HOST = "127.0.0.1"


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        # here rather than in `help`, which argparse cannot take lazily
        parser.description = _(
            "Prepare a demo: create the database, load Enping's demo data, and serve it on "
            "127.0.0.1. Running it again changes nothing."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Prepare only; do not serve.")
        )
        parser.add_argument("--port", type=int, default=8000, help=_("Port to serve on."))
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Start over: delete all data first (SQLite file or PostgreSQL rows)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stdout.write
        say(_("Data folder: %(path)s") % {"path": settings.DATA_DIR})
        if options["reset"]:
            reset_database(say)
        migrate(say)
        collect_static(say)
        run_demo_steps(say)
        url = f"http://{DEMO_HOST}:{options['port']}/"
        self._show_accounts(url)
        if options["no_serve"]:
            say(_("Ready. Serve it with `jinwei demo` or `jinwei serve --allow-demo`."))
            return
        try:
            serve(host=DEMO_HOST, port=options["port"], threads=8, allow_demo=True, say=say)
        except ServeRefused as refusal:
            raise CommandError(str(refusal)) from refusal

    def _show_accounts(self, url: str) -> None:
        say = self.stdout.write
        say("")
        say(
            _("Open %(url)s and sign in with a demo account; every one has the password %(pw)s")
            % {"url": url, "pw": DEMO_PASSWORD}
        )
        for account in DEMO_ACCOUNTS:
            say(
                _("  %(username)-13s %(role)s, %(unit)s")
                % {
                    "username": account.username,
                    "role": account.role.label,
                    "unit": account.unit,
                }
            )
        say("")
