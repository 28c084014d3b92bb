"""Purge inactive profiles now, in batches, as the nightly task does."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from helpseekers.services import profile_purge_inactive


class Command(BaseCommand):
    help = "Delete profiles inactive for more than RETENTION_DAYS, with everything they own."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        total = 0
        while deleted := profile_purge_inactive(batch_size=batch_size):
            total += deleted
        self.stdout.write(f"Purged {total} profile(s) inactive for more than {settings.RETENTION_DAYS} days.")
