"""Write a program from the database as a bundle folder."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from authoring.services import program_export_path
from modules.models import Program


class Command(BaseCommand):
    help = "Export a program as a bundle folder (program.yaml plus Markdown per language)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, slug: str, path: Path, **options: Any) -> None:
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"no program with slug '{slug}'")
        program_export_path(program=program, path=path)
        self.stdout.write(f"Program '{slug}' written to {path}.")
