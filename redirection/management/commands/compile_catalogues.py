"""Compile every UI catalogue with Babel (no GNU gettext needed)."""

from typing import Any

from django.core.management.base import BaseCommand

from redirection.catalogues import catalogue_paths, compile_catalogue


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo files (pure Python)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogue_paths():
            po_path.with_suffix(".mo").write_bytes(compile_catalogue(po_path))
            self.stdout.write(f"compiled {po_path}")
