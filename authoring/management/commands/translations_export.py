"""Write one language of a program's draft as a PO or XLIFF 1.2 file for translators' tools."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from authoring import exchange
from modules.models import FALLBACK_LANGUAGE, Program


class Command(BaseCommand):
    help = "Export a language of a program's draft as a PO file (default) or XLIFF 1.2, to --output or stdout."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("program")
        parser.add_argument("language")
        parser.add_argument("--format", choices=["po", "xliff"], default="po")
        parser.add_argument("--output", type=Path)

    def handle(self, *args: Any, program: str, language: str, format: str, output: Path | None, **options: Any) -> None:
        live = Program.objects.live().filter(slug=program).first()
        if live is None:
            raise CommandError(f"no program with slug '{program}'")
        if language == FALLBACK_LANGUAGE or language not in dict(settings.LANGUAGES):
            raise CommandError(f"'{language}' is not a language to translate into")
        export = exchange.export_po if format == "po" else exchange.export_xliff
        data = export(program=live, language=language)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            output.write_bytes(data)
            self.stderr.write(f"Wrote {output}.")
