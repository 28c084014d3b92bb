"""Tell translators which fields of a program still need their language."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from modules.models import Program
from modules.selectors import program_missing_translations


class Command(BaseCommand):
    help = "List the untranslated fields of a program, per language (or for one language)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("language", nargs="?")

    def handle(self, *args: Any, slug: str, language: str | None, **options: Any) -> None:
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"no program with slug '{slug}'")
        codes = [code for code, _name in settings.LANGUAGES]
        if language and language not in codes:
            raise CommandError(f"'{language}' is not a configured language ({', '.join(codes)})")
        for code in [language] if language else codes:
            missing = program_missing_translations(program=program, language=code)
            self.stdout.write(f"{code}: {'complete' if not missing else f'{len(missing)} field(s) missing'}")
            for item in missing:
                self.stdout.write(f"  {item.model} #{item.object_id} ({item.label}): {item.field}")
