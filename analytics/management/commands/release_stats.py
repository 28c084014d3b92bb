"""``release_stats --period 2026-11``: what the Celery job does, run synchronously."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics import services
from redirection.errors import ApplicationError


class Command(BaseCommand):
    help = "Compute, protect, audit and store the release of a month (2026-11), quarter (2026-Q4) or year (2026)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2026-11, 2026-Q4 or 2026; it must be over.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            release = services.release(period=options["period"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        narrowest = "none" if release.narrowest_interval is None else f"{release.narrowest_interval:g}"
        self.stdout.write(
            f"{release.period}: {release.figures.count()} figures, {release.suppressed} suppressed; "
            f"audit checked {release.cells_checked} cells, narrowest interval {narrowest} "
            f"(protection {release.protection}); method {release.method}"
            + (f"; {release.note}" if release.note else "")
        )
