"""``demo_statistics``: synthetic help-seekers on a laptop, so the evaluator pages have
figures to show. Refused unless ``DEMO_DATA`` is on (``make run`` turns it on for
this command only), and a no-op where help-seekers exist already: it never mixes invented
people into real ones."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from analytics.periods import months_before
from helpseekers.models import HelpSeekerProfile
from modules.models import Program
from questionnaires import synthetic

EVALUATOR = "demo-evaluator"


class Command(BaseCommand):
    help = "Fill a demonstration database with synthetic help-seekers and release the past months' figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profiles", type=int, default=1500)
        parser.add_argument("--months", type=int, default=6)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, profiles: int, months: int, seed: int, **options: Any) -> None:
        if not settings.DEMO_DATA:
            raise CommandError("DEMO_DATA is off: synthetic help-seekers are for demonstration databases only.")
        program = Program.objects.live().order_by("pk").first()
        if program is None:
            raise CommandError("Load a program first (make run loads the sample).")
        if HelpSeekerProfile.objects.exists():
            self.stdout.write("Help-seekers exist already: no synthetic ones added.")
            return
        today = timezone.now().date()
        periods = months_before(today, months)
        languages = list(program.published_languages) or [settings.LANGUAGE_CODE]
        weights = [0.6 if index == 0 else 0.4 / max(1, len(languages) - 1) for index in range(len(languages))]
        written = synthetic.generate(
            program=program, profiles=profiles, start=periods[0].start, end=periods[-1].end,
            seed=seed, languages=languages, language_weights=weights,
        )  # fmt: skip
        self.stdout.write(f"Synthetic help-seekers: {written.profiles} profiles, {written.rows()} rows.")
        for period in periods:
            call_command("release_stats", period=period.label, stdout=self.stdout)
        self._evaluator()

    def _evaluator(self) -> None:
        users = get_user_model()
        if users.objects.filter(username=EVALUATOR).exists():
            return
        password = secrets.token_urlsafe(12)
        path = settings.BASE_DIR / "var" / "demo-evaluator.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"username: {EVALUATOR}\npassword: {password}\n")
        path.chmod(0o600)
        user = users.objects.create_user(username=EVALUATOR, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name="evaluator"))
        self.stdout.write(f"Evaluator pages: /evaluation/ (sign in as {EVALUATOR}; the password is in {path}).")
