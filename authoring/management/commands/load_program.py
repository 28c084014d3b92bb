"""Load a program bundle folder into the live program (idempotent, one transaction), record it
as a revision, and bring the staff draft up to date unless it holds unpublished edits."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from authoring.bundles.format import BundleError
from authoring.services import program_load_path
from authoring.workflow import after_bundle_load


class Command(BaseCommand):
    help = "Load (or update) a program from a bundle folder. Loading the same bundle again changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            program, changed = program_load_path(path=path)
        except BundleError as exc:
            raise CommandError(f"bundle not loaded, nothing changed: {exc}") from exc
        state = "loaded" if changed else "already up to date"
        self.stdout.write(f"Program '{program.slug}' {state} (content version {program.content_version}).")
        self.stdout.write(f"Staff draft: {after_bundle_load(program=program)}.")
