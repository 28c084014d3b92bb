"""Writes of self-help content: making a program's content equal to a description of it,
retiring and restoring content, publishing languages, and bumping the content version.

The input types (``ProgramInput`` and the types it holds) describe content as it should be,
with its texts per language; ``authoring`` builds them from bundles. Rows are matched by slug
within their parent, so rewording or moving content keeps its row, and with it help-seekers'
progress and answers. Content missing from the input is retired, never deleted; content that
comes back under its old slug is restored with its history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import F, Max, Model, Q, QuerySet
from django.utils import timezone

from modules.models import (
    CHOICE_KINDS,
    FALLBACK_LANGUAGE,
    PROGRAM_TEXTS,
    Block,
    BlockOption,
    Helpline,
    HelplineDirectoryView,
    Module,
    Program,
    RetirableContent,
    Step,
)
from modules.selectors import content_cache, program_cache_key
from modules.translation import configured_languages, translations_set

Texts = Mapping[str, str]
"""A translated text: language code → text ("" or absent for no text)."""

_M = TypeVar("_M", bound=RetirableContent)

# Positions in use are moved out of the way before being rewritten, so a reorder never
# collides with the unique (parent, position) constraints mid-update.
_POSITION_OFFSET = 10_000


@dataclass(frozen=True)
class OptionInput:
    value: str
    label: Texts


@dataclass(frozen=True)
class BlockInput:
    slug: str
    kind: str
    body: Texts
    scale_min_label: Texts = field(default_factory=dict)
    scale_max_label: Texts = field(default_factory=dict)
    options: Sequence[OptionInput] = ()


@dataclass(frozen=True)
class ConditionInput:
    """Shown only when the answer to a choice exercise of the program (module, step and block
    slugs) includes one of ``any_of``, or when it has not been answered."""

    module: str
    step: str
    block: str
    any_of: Sequence[str]


@dataclass(frozen=True)
class StepInput:
    slug: str
    minutes: int
    title: Texts
    blocks: Sequence[BlockInput]
    condition: ConditionInput | None = None


@dataclass(frozen=True)
class ModuleInput:
    slug: str
    title: Texts
    summary: Texts
    steps: Sequence[StepInput]


@dataclass(frozen=True)
class HelplineInput:
    slug: str
    country: str
    languages: Sequence[str]
    website: str
    onion_url: str
    phone: str
    is_sample: bool
    name: Texts
    description: Texts
    opening_hours: Texts
    kind: str = "service"
    chat_url: str = ""
    email: str = ""


@dataclass(frozen=True)
class ProgramInput:
    """A whole program's content as it should be, in order, with every language's texts."""

    slug: str
    is_sample: bool
    title: Texts
    summary: Texts
    modules: Sequence[ModuleInput]
    helplines: Sequence[HelplineInput] = ()
    # The "Urge now" texts by field (``urge_guidance``, ``urge_exercise``, ``urge_line``),
    # the exercises whose answers that page shows, and the step with the setback plan.
    urge_texts: Mapping[str, Texts] = field(default_factory=dict)
    urge_words: Sequence[str] = ()
    setback_step: str = ""


class ContentInvalid(Exception):
    """A description of content that cannot be saved as it is (a condition on a missing exercise)."""


def condition_block(*, program: Program, condition: ConditionInput) -> Block:
    """The choice exercise in use that a condition depends on, or ``ContentInvalid``."""
    block = (
        Block.objects.active()
        .filter(
            step__module__program=program,
            step__module__slug=condition.module,
            step__slug=condition.step,
            slug=condition.block,
            kind__in=CHOICE_KINDS,
        )
        .first()
    )
    if block is None:
        raise ContentInvalid(f"{condition.module}/{condition.step}/{condition.block} is not a choice exercise in use")
    return block


def program_touch(*, program: Program) -> None:
    """Record that the program's content changed, invalidating every cached rendering.

    This process forgets its lookup of the program at once; the others within
    ``PROGRAM_LOOKUP_SECONDS``.
    """
    Program.objects.filter(pk=program.pk).update(content_version=F("content_version") + 1)
    program.refresh_from_db(fields=["content_version"])
    content_cache().delete(program_cache_key(program.slug))


def helplines_touch() -> None:
    """Record that the shared helpline directory changed: every program's pages that show
    helplines (the crisis lines in a step) are rendered afresh."""
    Program.objects.update(content_version=F("content_version") + 1)
    content_cache().delete_many([program_cache_key(slug) for slug in Program.objects.values_list("slug", flat=True)])


def program_languages_publish(*, program: Program, languages: Collection[str]) -> bool:
    """Make ``languages`` (plus the fallback) the ones help-seekers read ``program`` in.

    Returns whether anything changed; a change invalidates cached pages.
    """
    wanted = {FALLBACK_LANGUAGE, *languages}
    codes = [code for code in configured_languages() if code in wanted]
    if list(program.published_languages) == codes:
        return False
    Program.objects.filter(pk=program.pk).update(published_languages=codes)
    program.published_languages = codes
    program_touch(program=program)
    return True


# --- Making content equal to an input ---------------------------------------------------


@transaction.atomic
def program_content_save(*, content: ProgramInput) -> Program:
    """Make the program ``content.slug`` hold exactly ``content``; retire what it no longer has.

    Runs in one transaction (the caller's, when there is one). Does not bump the content
    version: the caller does, once, when everything it changes is in place.
    """
    program = Program.objects.filter(slug=content.slug).first() or Program(slug=content.slug)
    program.is_sample = content.is_sample
    translations_set(program, "title", content.title)
    translations_set(program, "summary", content.summary)
    for name in PROGRAM_TEXTS[2:]:
        translations_set(program, name, content.urge_texts.get(name, {}))
    program.urge_words = list(content.urge_words)
    program.setback_step = content.setback_step
    program.save()

    modules = content_match(Module.objects.filter(program=program), [m.slug for m in content.modules], key="slug")
    for position, (module_input, module) in enumerate(zip(content.modules, modules, strict=True), start=1):
        module = module or Module(program=program, slug=module_input.slug)
        module.position, module.retired_on = position, None
        translations_set(module, "title", module_input.title)
        translations_set(module, "summary", module_input.summary)
        module.save()
        _steps_save(module, module_input.steps)

    for position, helpline_input in enumerate(content.helplines, start=1):
        _helpline_save(helpline_input, position)
    _conditions_save(program, content)
    return program


def _conditions_save(program: Program, content: ProgramInput) -> None:
    """Point each step's condition at its exercise, now that every block of the program is saved."""
    for module_input in content.modules:
        for step_input in module_input.steps:
            condition = step_input.condition
            block = condition_block(program=program, condition=condition) if condition else None
            Step.objects.filter(module__program=program, module__slug=module_input.slug, slug=step_input.slug).update(
                condition_block=block, condition_values=list(condition.any_of) if condition else []
            )


def content_match(rows: QuerySet[_M], wanted: Sequence[str], *, key: str = "slug") -> list[_M | None]:
    """The existing rows of one parent for ``wanted`` keys, in order (``None`` for new ones).

    For every writer of positioned, retirable content: rows in use are moved out of the way
    of the positions about to be written, and rows not wanted any more are retired (kept,
    with everything that points at them). The caller then saves each wanted row with its
    new position and ``retired_on=None``, which also restores a retired row that came back.
    """
    existing = {getattr(row, key): row for row in rows}
    rows.filter(retired_on__isnull=True).update(position=F("position") + _POSITION_OFFSET)
    gone = [row.pk for slug, row in existing.items() if slug not in wanted and row.retired_on is None]
    if gone:
        rows.filter(pk__in=gone).update(retired_on=timezone.now().date())
    return [existing.get(slug) for slug in wanted]


def _steps_save(module: Module, steps: Sequence[StepInput]) -> None:
    rows = content_match(Step.objects.filter(module=module), [s.slug for s in steps], key="slug")
    for position, (step_input, step) in enumerate(zip(steps, rows, strict=True), start=1):
        step = step or Step(module=module, slug=step_input.slug)
        step.position, step.retired_on = position, None
        step.estimated_minutes = step_input.minutes
        translations_set(step, "title", step_input.title)
        step.save()
        _blocks_save(step, step_input.blocks)


def _blocks_save(step: Step, blocks: Sequence[BlockInput]) -> None:
    rows = content_match(Block.objects.filter(step=step), [b.slug for b in blocks], key="slug")
    for position, (block_input, block) in enumerate(zip(blocks, rows, strict=True), start=1):
        block = block or Block(step=step, slug=block_input.slug)
        block.position, block.retired_on = position, None
        block.kind = block_input.kind
        translations_set(block, "body", block_input.body)
        translations_set(block, "scale_min_label", block_input.scale_min_label)
        translations_set(block, "scale_max_label", block_input.scale_max_label)
        block.save()
        options = block_input.options if block.kind in CHOICE_KINDS else ()
        option_rows = content_match(BlockOption.objects.filter(block=block), [o.value for o in options], key="value")
        for o_position, (option_input, option) in enumerate(zip(options, option_rows, strict=True), start=1):
            option = option or BlockOption(block=block, value=option_input.value)
            option.position, option.retired_on = o_position, None
            translations_set(option, "label", option_input.label)
            option.save()


def _helpline_save(spec: HelplineInput, position: int) -> None:
    helpline = Helpline.objects.filter(slug=spec.slug).first() or Helpline(slug=spec.slug)
    helpline.country = spec.country
    helpline.languages = list(spec.languages)
    helpline.website = spec.website
    helpline.onion_url = spec.onion_url
    helpline.phone = spec.phone
    helpline.kind = spec.kind
    helpline.chat_url = spec.chat_url
    helpline.email = spec.email
    helpline.is_sample = spec.is_sample
    helpline.position = position
    translations_set(helpline, "name", spec.name)
    translations_set(helpline, "description", spec.description)
    translations_set(helpline, "opening_hours", spec.opening_hours)
    helpline.save()


# --- Retiring and restoring -------------------------------------------------------------

# Each kind of retirable content: its parent (positions are unique within it among the rows
# in use) and the path from it to its program(s). Apps above register theirs
# (``retirable_register``), so retiring works the same for every kind of content.
_RETIRABLE: dict[type[Model], tuple[str, str]] = {
    Module: ("program", "program"),
    Step: ("module", "module__program"),
    Block: ("step", "step__module__program"),
    BlockOption: ("block", "block__step__module__program"),
}


def retirable_register(model: type[Model], *, parent: str, program: str) -> None:
    """Make ``model`` retirable: ``parent`` is the field its positions are unique within,
    ``program`` the lookup path from it to the program(s) it belongs to."""
    _RETIRABLE[model] = (parent, program)


def program_path(model: type[Model]) -> str:
    """The lookup path from a retirable ``model`` to its program."""
    return _RETIRABLE[model][1]


def content_programs(rows: Iterable[Model]) -> list[Program]:
    """The programs ``rows`` (programs or retirable content of any kind) belong to, in one query."""
    ids: dict[type[Model], list[Any]] = {}
    for row in rows:
        ids.setdefault(type(row), []).append(row.pk)
    found = Q()
    for model, pks in ids.items():
        if model is Program:
            found |= Q(pk__in=pks)
        else:
            found |= Q(pk__in=model._default_manager.filter(pk__in=pks).values(program_path(model)))
    return list(Program.objects.filter(found)) if ids else []


@transaction.atomic
def content_retire(*, rows: Iterable[RetirableContent]) -> int:
    """Retire content: help-seekers no longer see it; every row pointing at it stays.

    Returns how many rows were newly retired. Retiring what is retired changes nothing.
    """
    pending = [row for row in rows if row.retired_on is None]
    day = timezone.now().date()
    for row in pending:
        type(row)._default_manager.filter(pk=row.pk).update(retired_on=day)
        row.retired_on = day
    for program in content_programs(pending):
        program_touch(program=program)
    return len(pending)


@transaction.atomic
def content_restore(*, rows: Iterable[RetirableContent]) -> int:
    """Bring retired content back, placed after its parent's content in use. Returns how many."""
    pending = [row for row in rows if row.retired_on is not None]
    for row in pending:
        model = type(row)
        parent, _program_lookup = _RETIRABLE[model]
        parent_id = getattr(row, f"{parent}_id")
        last = model._default_manager.filter(**{f"{parent}_id": parent_id, "retired_on__isnull": True}).aggregate(
            last=Max("position")
        )["last"]
        # Each kind has its own position field; the abstract base does not declare one.
        placed: dict[str, Any] = {"position": (last or 0) + 1, "retired_on": None}
        model._default_manager.filter(pk=row.pk).update(**placed)
        row.retired_on = None
    for program in content_programs(pending):
        program_touch(program=program)
    return len(pending)


def helpline_directory_viewed(*, country: str) -> None:
    """Count one view of the helpline directory for today and ``country`` ("" for none), in
    one statement (an upsert PostgreSQL and SQLite both speak), with nothing that could tell
    who viewed it."""
    table = HelplineDirectoryView._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, country, views) VALUES (%s, %s, 1) "  # noqa: S608 - the table is ours
            f"ON CONFLICT (day, country) DO UPDATE SET views = {table}.views + 1",
            [timezone.now().date(), country],
        )
