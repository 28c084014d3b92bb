"""``export_release --period 2026-11``: a stored release as CSV on standard output."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics import selectors
from redirection.errors import ApplicationError


class Command(BaseCommand):
    help = "Print a stored release as CSV (the columns of docs/evaluators.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2026-11, 2026-Q4 or 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            release = selectors.release_get(period=options["period"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(selectors.figures_csv(selectors.figures(release=release)), ending="")
