"""Import a translated PO or XLIFF file into a program's draft: all of it, or nothing."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from authoring import exchange
from modules.models import Program


class Command(BaseCommand):
    help = (
        "Check a translated PO or XLIFF file and, only if it has no problem, write it into the program's draft "
        "as the staff member --user; every problem is listed with its id. Then submit the language for review."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("program")
        parser.add_argument("language")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the staff account the change is recorded against")

    def handle(self, *args: Any, program: str, language: str, file: Path, user: str, **options: Any) -> None:
        live = Program.objects.live().filter(slug=program).first()
        if live is None:
            raise CommandError(f"no program with slug '{program}'")
        staff = get_user_model().objects.filter(username=user, is_staff=True).first()
        if staff is None:
            raise CommandError(f"no staff account '{user}'")
        report = exchange.translations_import(program=live, language=language, data=file.read_bytes(), user=staff)
        if report.problems:
            for unit_id, problem in report.problems:
                self.stderr.write(f"{unit_id}: {problem}" if unit_id else problem)
            raise CommandError(f"nothing imported: {len(report.problems)} problem(s)")
        self.stdout.write(f"{report.applied} translation(s) imported into the draft of '{program}' ({language}).")
