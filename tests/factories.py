"""Test data: factories for content, questionnaires and help-seekers, and a small course.

Tests of behaviour build their own content here, so a clinician's edit of the sample program
never breaks them. Only ``tests/test_sample_program.py`` reads the shipped sample.

``course()`` builds a small, complete program (two modules, every exercise kind, a baseline /
end / follow-up questionnaire with a safety option, a check-in after the first module),
through the factories, in English and optionally in more languages; its slugs are constants
below. Texts in other languages are the English ones with the language code in front, which
is all a test needs to see which language a page shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory
from django.db.models import Model

from helpseekers.models import HelpSeekerProfile
from modules.models import Block, BlockKind, BlockOption, Helpline, Module, Program, Step
from questionnaires.models import FeedbackBand, Instrument, Item, ItemKind, ItemOption, Occasion, OccasionKind


def texts(model_fields: dict[str, str], languages: Iterable[str]) -> dict[str, str]:
    """``{field: text}`` as ``{field_<language>: text}`` for every language (English as given)."""
    result = {}
    for language in languages:
        for field, text in model_fields.items():
            result[f"{field}_{language}"] = text if language == "en" or not text else f"{language.upper()} {text}"
    return result


# --- Content ----------------------------------------------------------------------------


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"program-{n}")
    title_en = factory.Sequence(lambda n: f"Program {n}")
    summary_en = "A program made for a test."
    published_languages = factory.LazyFunction(lambda: ["en"])


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    program = factory.SubFactory(ProgramFactory)
    slug = factory.Sequence(lambda n: f"module-{n}")
    position = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Module {n}")


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"step-{n}")
    position = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Step {n}")
    estimated_minutes = 5


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    step = factory.SubFactory(StepFactory)
    slug = factory.Sequence(lambda n: f"block-{n}")
    position = factory.Sequence(lambda n: n + 1)
    kind = BlockKind.TEXT
    body_en = "Some text."


class BlockOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockOption

    block = factory.SubFactory(BlockFactory, kind=BlockKind.SINGLE_CHOICE)
    value = factory.Sequence(lambda n: f"option-{n}")
    position = factory.Sequence(lambda n: n + 1)
    label_en = factory.Sequence(lambda n: f"Option {n}")


class HelplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Helpline

    slug = factory.Sequence(lambda n: f"helpline-{n}")
    country = "FI"
    languages = factory.LazyFunction(lambda: ["fi", "en"])
    name_en = factory.Sequence(lambda n: f"Helpline {n}")
    description_en = "Anonymous help for people worried about their thoughts."
    website = "https://helpline.example.org/"


# --- Questionnaires ---------------------------------------------------------------------


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    slug = factory.Sequence(lambda n: f"instrument-{n}")
    title_en = factory.Sequence(lambda n: f"Questionnaire {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    instrument = factory.SubFactory(InstrumentFactory)
    slug = factory.Sequence(lambda n: f"item-{n}")
    position = factory.Sequence(lambda n: n + 1)
    kind = ItemKind.SCALE
    text_en = factory.Sequence(lambda n: f"Question {n}?")


class ItemOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemOption

    item = factory.SubFactory(ItemFactory, kind=ItemKind.SINGLE_CHOICE)
    value = factory.Sequence(lambda n: f"answer-{n}")
    position = factory.Sequence(lambda n: n + 1)
    label_en = factory.Sequence(lambda n: f"Answer {n}")


class FeedbackBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackBand

    instrument = factory.SubFactory(InstrumentFactory)
    lower = Decimal(0)
    upper = Decimal(10)
    text_en = "Feedback."


class OccasionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occasion

    program = factory.SubFactory(ProgramFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    slug = factory.Sequence(lambda n: f"occasion-{n}")
    kind = OccasionKind.BASELINE
    position = factory.Sequence(lambda n: n + 1)


# --- Help-seekers -----------------------------------------------------------------------


class ProfileFactory(factory.django.DjangoModelFactory):
    """A profile with a random digest: no codename, no hashing."""

    class Meta:
        model = HelpSeekerProfile

    codename_digest = factory.LazyFunction(lambda: os.urandom(32))
    key_salt = factory.LazyFunction(lambda: os.urandom(16))


# --- A small, complete course -----------------------------------------------------------

PROGRAM = "course"
FIRST, SECOND = "first", "second"
WELCOME, WHY, VALUES, PLAN = "welcome", "why", "values", "plan"
WAVES, HELP = "waves", "help"
SITUATION, CHECK_IN = "situation", "check-in"
START, AFTER_FIRST, END, FOLLOW_UP = "start", "after-first", "end", "follow-up"
FOLLOW_UP_DAYS = 90


@dataclass
class Course:
    """The rows of ``course()``, by slug, for tests to point at."""

    program: Program
    modules: dict[str, Module]
    steps: dict[str, Step]
    blocks: dict[str, Block]
    items: dict[str, Item]
    occasions: dict[str, Occasion]

    def step_url(self, step: str, language: str = "en") -> str:
        row = self.steps[step]
        return f"/{language}/program/{self.program.slug}/{row.module.slug}/{row.slug}/"

    def answers_url(self, step: str, language: str = "en") -> str:
        row = self.steps[step]
        return f"/{language}/me/answers/{self.program.slug}/{row.module.slug}/{row.slug}/"

    def questionnaire_url(self, occasion: str, language: str = "en") -> str:
        return f"/{language}/questionnaires/{self.program.slug}/{occasion}/"


def drafted(made: Course) -> Course:
    """The staff draft of ``made``'s program (made on first use), with its rows by the same
    slugs: what the staff site edits. Questionnaires stay the live ones."""
    from authoring.workflow import program_draft

    draft = program_draft(program=made.program)
    return Course(
        program=draft,
        modules={m.slug: m for m in Module.objects.filter(program=draft)},
        steps={s.slug: s for s in Step.objects.filter(module__program=draft).select_related("module")},
        blocks={b.slug: b for b in Block.objects.filter(step__module__program=draft)},
        items=made.items,
        occasions=made.occasions,
    )


def _blocks(step: Step, languages: tuple[str, ...], *specs: tuple[str, str, str, dict[str, Any]]) -> dict[str, Block]:
    made = {}
    for position, (slug, kind, body, extra) in enumerate(specs, start=1):
        options = extra.pop("options", [])
        block = BlockFactory(
            step=step, slug=slug, kind=kind, position=position, **texts({"body": body, **extra}, languages)
        )
        for o_position, (value, label) in enumerate(options, start=1):
            BlockOptionFactory(block=block, value=value, position=o_position, **texts({"label": label}, languages))
        made[slug] = block
    return made


def course(*, languages: tuple[str, ...] = ("en",), published: tuple[str, ...] | None = None) -> Course:
    """A small program with every exercise kind and questionnaire occasion (see the module doc).

    ``languages`` get every text; ``published`` (default: all of ``languages``) are the ones
    help-seekers may read it in.
    """
    program = ProgramFactory(
        slug=PROGRAM,
        published_languages=list(published if published is not None else languages),
        urge_words=[f"{FIRST}/{WHY}/reasons", f"{FIRST}/{PLAN}/first-link"],
        setback_step=f"{SECOND}/{WAVES}",
        **texts(
            {
                "title": "Finding a way",
                "summary": "A short course for tests.",
                "urge_guidance": "Step **away** from the device.",
                "urge_exercise": "Slowly:\n\n1. Breathe in.\n2. Breathe out.",
                "urge_line": "Never seek contact with a child.",
            },
            languages,
        ),
    )
    first = ModuleFactory(program=program, slug=FIRST, position=1, **texts({"title": "First module"}, languages))
    second = ModuleFactory(program=program, slug=SECOND, position=2, **texts({"title": "Second module"}, languages))
    steps = {
        slug: StepFactory(module=module, slug=slug, position=position, **texts({"title": title}, languages))
        for module, position, slug, title in (
            (first, 1, WELCOME, "Welcome"),
            (first, 2, WHY, "Why change?"),
            (first, 3, VALUES, "What matters"),
            (first, 4, PLAN, "My first plan"),
            (second, 1, WAVES, "Urges are waves"),
            (second, 2, HELP, "Where help is"),
        )
    }
    choice = {"options": [("stop", "I want to stop"), ("worried", "I am worried"), ("unsure", "I am not sure")]}
    values = {"options": [("family", "Family"), ("honesty", "Honesty"), ("health", "Health")]}
    scale = {"scale_min_label": "Not at all", "scale_max_label": "Very much"}
    blocks = {
        **_blocks(steps[WELCOME], languages, ("intro", BlockKind.TEXT, "You are **welcome** here.", {}),
                  ("reason", BlockKind.SINGLE_CHOICE, "What brings you here?", choice)),
        **_blocks(steps[WHY], languages, ("reasons", BlockKind.FREE_TEXT, "Why do you want to change?", {}),
                  ("importance", BlockKind.SCALE, "How important is it?", scale)),
        **_blocks(steps[VALUES], languages, ("values", BlockKind.MULTIPLE_CHOICE, "What matters to you?", values),
                  ("life", BlockKind.FREE_TEXT, "What would a day by your values look like?", {})),
        **_blocks(steps[PLAN], languages, ("first-link", BlockKind.PLAN_ITEM, "What will you do first?", {})),
        **_blocks(steps[WAVES], languages, ("waves-intro", BlockKind.TEXT, "Urges rise and fall.", {}),
                  ("urge", BlockKind.SCALE, "How strong is the urge now?", dict(scale))),
        **_blocks(steps[HELP], languages, ("services", BlockKind.HELPLINES, "Help is there.", {})),
    }  # fmt: skip

    situation = InstrumentFactory(
        slug=SITUATION, **texts({"title": "My situation", "introduction": "How things are now."}, languages)
    )
    items = {}
    for position, (slug, kind, text, extra) in enumerate(
        (
            (
                "urge-strength",
                ItemKind.SCALE,
                "How strong were your urges?",
                {"min_label": "None", "max_label": "Very"},
            ),
            ("confidence", ItemKind.SCALE, "How sure are you that you can stop?", {"reverse_scored": True}),
            ("frequency", ItemKind.SINGLE_CHOICE, "How often did you view?", {"scored": False}),
            ("hours", ItemKind.NUMBER, "Hours a week?", {"scored": False, "max_value": 80}),
            ("contact", ItemKind.SINGLE_CHOICE, "Did you seek contact with a child?", {"scored": False}),
        ),
        start=1,
    ):
        labels = {key: extra.pop(key) for key in ("min_label", "max_label") if key in extra}
        items[slug] = ItemFactory(
            instrument=situation,
            slug=slug,
            kind=kind,
            position=position,
            **extra,
            **texts({"text": text, **labels}, languages),
        )
    for item, options in (
        ("frequency", [("never", "Never", 0, False), ("weekly", "Weekly", 1, False), ("daily", "Daily", 2, False)]),
        ("contact", [("no-contact", "No", 0, False), ("tried", "I tried to contact a child", 1, True)]),
    ):
        for position, (value, label, score, safety) in enumerate(options, start=1):
            ItemOptionFactory(
                item=items[item], value=value, position=position, score=score, is_safety=safety,
                **texts({"label": label}, languages),
            )  # fmt: skip
    FeedbackBandFactory(instrument=situation, lower=0, upper=10, **texts({"text": "Things look calmer."}, languages))
    FeedbackBandFactory(instrument=situation, lower=10, upper=20, **texts({"text": "Urges seem strong."}, languages))

    check_in = InstrumentFactory(slug=CHECK_IN, **texts({"title": "Check-in"}, languages))
    items["mood"] = ItemFactory(
        instrument=check_in, slug="mood", kind=ItemKind.SCALE, position=1, **texts({"text": "Your mood?"}, languages)
    )
    FeedbackBandFactory(instrument=check_in, lower=0, upper=5, **texts({"text": "A hard day."}, languages))
    FeedbackBandFactory(instrument=check_in, lower=5, upper=10, **texts({"text": "A good day."}, languages))

    def occasion(slug: str, instrument: Instrument, kind: str, position: int, **extra: Any) -> Occasion:
        return OccasionFactory(program=program, instrument=instrument, slug=slug, kind=kind, position=position, **extra)

    occasions = {
        START: occasion(START, situation, OccasionKind.BASELINE, 1),
        AFTER_FIRST: occasion(AFTER_FIRST, check_in, OccasionKind.AFTER_MODULE, 2, module=first),
        END: occasion(END, situation, OccasionKind.END, 3),
        FOLLOW_UP: occasion(FOLLOW_UP, situation, OccasionKind.FOLLOW_UP, 4, days_after_end=FOLLOW_UP_DAYS),
    }
    HelplineFactory(slug="finnish-line", country="FI", **texts({"name": "Finnish line"}, languages))
    HelplineFactory(slug="german-line", country="DE", languages=["de"], **texts({"name": "German line"}, languages))
    HelplineFactory(slug="everywhere", country="", languages=["en"], **texts({"name": "Line for everyone"}, languages))
    return Course(
        program=program,
        modules={FIRST: first, SECOND: second},
        steps=steps,
        blocks=blocks,
        items=items,
        occasions=occasions,
    )


def refresh(row: Model) -> Model:
    row.refresh_from_db()
    return row
