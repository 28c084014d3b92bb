"""Tell translators which fields of a program's draft still need their language (missing or
outdated), and which languages help-seekers can read the live program in."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from authoring.selectors import program_missing_translations
from authoring.services import program_languages_refresh
from authoring.translations import program_outdated_translations
from authoring.workflow import program_draft
from modules.models import Program


class Command(BaseCommand):
    help = (
        "List the untranslated fields of a program, per language (or for one language), and whether "
        "each language is published. With --publish, publish exactly the complete languages first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("language", nargs="?")
        parser.add_argument("--publish", action="store_true", help="publish exactly the complete languages")

    def handle(self, *args: Any, slug: str, language: str | None, publish: bool, **options: Any) -> None:
        program = Program.objects.live().filter(slug=slug).first()
        if program is None:
            raise CommandError(f"no program with slug '{slug}'")
        codes = [code for code, _name in settings.LANGUAGES]
        if language and language not in codes:
            raise CommandError(f"'{language}' is not a configured language ({', '.join(codes)})")
        if publish and program_languages_refresh(program=program):
            self.stdout.write(f"Published languages are now: {', '.join(program.published_languages)}.")
        draft = program_draft(program=program)
        for code in [language] if language else codes:
            missing = program_missing_translations(program=draft, language=code)
            outdated = program_outdated_translations(program=draft, language=code)
            state = "complete" if not missing else f"{len(missing)} field(s) missing"
            if outdated:
                state += f", {len(outdated)} outdated"
            shown = "published" if code in program.published_languages else "not published"
            self.stdout.write(f"{code}: {state}, {shown}")
            for item in missing:
                self.stdout.write(f"  {item.model} #{item.object_id} ({item.label}): {item.field}")
            for stale in outdated:
                self.stdout.write(f"  outdated: {stale.model} #{stale.object_id} ({stale.label}): {stale.field}")
