"""Reads of self-help content, shaped for pages and the API.

Pages get plain, immutable views (dataclasses) with every string already resolved in the
language the content is served in. That keeps templates free of queries, lets a page show
the interface in one language and the content in the fallback language, and makes the
content cacheable: cache keys carry ``Program.content_version``, which every content write
bumps, so a publish invalidates everything at once. The cache is the per-process "content"
cache: reading pages never wait on a shared one. Retired content is never shown; numbers
("step 2 of 4") count the content in use.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, Sum, Value, When
from django.http import Http404
from django.utils import translation

from modules.markdown import render_markdown
from modules.models import (
    EXERCISE_KINDS,
    FALLBACK_LANGUAGE,
    SCALE_MAX,
    SCALE_MIN,
    URGE_WORD_KINDS,
    Block,
    BlockKind,
    BlockOption,
    Helpline,
    HelplineKind,
    Module,
    Program,
    Step,
)

CACHE_SECONDS = 60 * 60
CONTENT_CACHE = "content"


def content_cache() -> BaseCache:
    """The per-process cache of rendered content and program lookups."""
    return caches[CONTENT_CACHE]


def program_cache_key(slug: str) -> str:
    return f"modules:program:{slug}"


class ProgramKey(Protocol):
    """What content selectors need of a program: its id, content version and published languages."""

    @property
    def id(self) -> int: ...

    @property
    def content_version(self) -> int: ...

    @property
    def published_languages(self) -> Collection[str]: ...


@dataclass(frozen=True)
class ProgramRef:
    """A published program as pages find it: cheap to load on every request."""

    id: int
    slug: str
    is_sample: bool
    content_version: int
    published_languages: frozenset[str]


def content_language_for(*, program: ProgramKey, requested: str) -> str:
    """The language to show ``program``'s content in: the requested one if it is published.

    Publishing records the language on the program (``authoring``), so this reads no table:
    the reading path never checks completeness, and content never mixes languages.
    """
    return requested if requested in program.published_languages else FALLBACK_LANGUAGE


# --- Views of content -------------------------------------------------------------------


@dataclass(frozen=True)
class StepCondition:
    """A step shown only when the answer to a choice exercise includes one of ``values``."""

    block_id: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class StepLink:
    module_slug: str
    step_slug: str
    title: str
    step_id: int
    condition: StepCondition | None = None

    @property
    def as_key(self) -> tuple[str, str]:
        return (self.module_slug, self.step_slug)


@dataclass(frozen=True)
class ModuleOutline:
    """A module in use, numbered by its place among the modules in use."""

    slug: str
    position: int
    title: str
    summary: str
    steps: tuple[StepLink, ...]
    minutes: int


@dataclass(frozen=True)
class ProgramOutline:
    """A program and its modules and steps, in order, in one language."""

    slug: str
    title: str
    summary: str
    is_sample: bool
    language: str
    modules: tuple[ModuleOutline, ...]

    def module(self, slug: str) -> ModuleOutline:
        for module in self.modules:
            if module.slug == slug:
                return module
        raise Http404

    def neighbours(self, module_slug: str, step_slug: str) -> tuple[StepLink | None, StepLink | None]:
        """The steps before and after this one across module boundaries."""
        sequence = [step for module in self.modules for step in module.steps]
        for index, step in enumerate(sequence):
            if (step.module_slug, step.step_slug) == (module_slug, step_slug):
                previous = sequence[index - 1] if index > 0 else None
                following = sequence[index + 1] if index + 1 < len(sequence) else None
                return previous, following
        raise Http404


@dataclass(frozen=True)
class OptionView:
    value: str
    label: str


@dataclass(frozen=True)
class BlockView:
    id: int
    slug: str
    kind: str
    html: str
    options: tuple[OptionView, ...] = ()
    scale_min_label: str = ""
    scale_max_label: str = ""
    # For a crisis-lines block: the directory's crisis lines, in the content's language.
    helplines: tuple[HelplineView, ...] = ()

    @property
    def template(self) -> str:
        return f"modules/blocks/{self.kind}.html"

    @property
    def scale_values(self) -> range:
        return range(SCALE_MIN, SCALE_MAX + 1)

    @property
    def is_exercise(self) -> bool:
        return self.kind in EXERCISE_KINDS

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class StepView:
    """Everything the step page shows of the content, in one language.

    ``position`` and ``step_count`` number the step among its module's steps in use.
    """

    id: int
    program_id: int
    module_id: int
    module_slug: str
    module_title: str
    slug: str
    title: str
    position: int
    step_count: int
    estimated_minutes: int
    blocks: tuple[BlockView, ...] = field(default=())


def program_get(*, slug: str) -> ProgramRef:
    """A published program by slug, or 404.

    This runs on every page view, so each process keeps the answer for
    ``PROGRAM_LOOKUP_SECONDS``: a page served from the cache then costs no query at all (and
    no connection health check). ``program_touch`` forgets it in the process that changed the
    program; other processes see the new version within that time.
    """
    key = program_cache_key(slug)
    program = content_cache().get(key)
    if program is None:
        program = _program_lookup(slug)
        content_cache().set(key, program, settings.PROGRAM_LOOKUP_SECONDS)
    return program


def _program_lookup(slug: str) -> ProgramRef:
    """One small SQL statement: the ORM's compilation of a model with modeltranslation's many
    columns costs more than the round trip itself (measured in ``bench/``)."""
    table = connection.ops.quote_name(Program._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, is_sample, content_version, published_languages FROM {table} "  # noqa: S608
            "WHERE slug = %s AND is_published AND draft_of_id IS NULL LIMIT 1",
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    program_id, is_sample, content_version, languages = row
    return ProgramRef(
        id=program_id,
        slug=slug,
        is_sample=bool(is_sample),
        content_version=content_version,
        published_languages=_languages(languages),
    )


def _languages(value: str | bytes | list[str] | None) -> frozenset[str]:
    """Published languages as stored: Django hands JSON columns to raw SQL as text."""
    codes: list[str] = json.loads(value) if isinstance(value, str | bytes) else list(value or [])
    return frozenset([FALLBACK_LANGUAGE, *codes])


def program_list() -> list[ProgramRef]:
    """Published programs, in slug order."""
    rows = Program.objects.live().filter(is_published=True).order_by("slug")
    return [
        ProgramRef(
            id=pk, slug=slug, is_sample=is_sample, content_version=version, published_languages=_languages(codes)
        )
        for pk, slug, is_sample, version, codes in rows.values_list(
            "id", "slug", "is_sample", "content_version", "published_languages"
        )
    ]


def program_outline(*, program: ProgramKey, language: str) -> ProgramOutline:
    """Modules and steps in use of ``program``, titled in ``language`` (cached; three queries)."""
    key = f"modules:outline:{program.id}:{program.content_version}:{language}"
    outline = content_cache().get(key)
    if outline is not None:
        return outline
    with translation.override(language):
        row = Program.objects.get(pk=program.id)
        active_steps = Step.objects.active().order_by("position")
        modules = list(
            Module.objects.active()
            .filter(program_id=program.id)
            .annotate(minutes=Sum("steps__estimated_minutes", filter=Q(steps__retired_on__isnull=True)))
            .prefetch_related(Prefetch("steps", queryset=active_steps, to_attr="active_steps"))
            .order_by("position")
        )
        outline = ProgramOutline(
            slug=row.slug,
            title=row.title,
            summary=row.summary,
            is_sample=row.is_sample,
            language=language,
            modules=tuple(
                ModuleOutline(
                    slug=module.slug,
                    position=number,
                    title=module.title,
                    summary=module.summary,
                    minutes=module.minutes or 0,
                    steps=tuple(
                        StepLink(module.slug, step.slug, step.title, step.id, _step_condition(step))
                        for step in module.active_steps
                    ),
                )
                for number, module in enumerate(modules, start=1)
            ),
        )
    content_cache().set(key, outline, CACHE_SECONDS)
    return outline


def _step_condition(step: Step) -> StepCondition | None:
    if step.condition_block_id is None:
        return None
    return StepCondition(step.condition_block_id, tuple(step.condition_values))


def step_view(*, program: ProgramKey, module_slug: str, step_slug: str, language: str) -> StepView:
    """One step in use with its blocks in use, rendered in ``language`` (cached; four queries), or 404."""
    key = f"modules:step:{program.id}:{program.content_version}:{language}:{module_slug}:{step_slug}"
    view = content_cache().get(key)
    if view is not None:
        return view
    with translation.override(language):
        step = (
            Step.objects.active()
            .select_related("module")
            .filter(module__program_id=program.id, module__slug=module_slug, slug=step_slug)
            .first()
        )
        if step is None:
            raise Http404
        siblings = list(
            Step.objects.active().filter(module_id=step.module_id).order_by("position").values_list("pk", flat=True)
        )
        options = BlockOption.objects.filter(retired_on__isnull=True).order_by("position")
        blocks = list(
            Block.objects.filter(step=step, retired_on__isnull=True)
            .prefetch_related(Prefetch("options", queryset=options))
            .order_by("position")
        )
        crisis = (
            tuple(helpline_list(kind=HelplineKind.CRISIS))
            if any(block.kind == BlockKind.CRISIS_LINES for block in blocks)
            else ()
        )
        view = StepView(
            id=step.pk,
            program_id=program.id,
            module_id=step.module_id,
            module_slug=step.module.slug,
            module_title=step.module.title,
            slug=step.slug,
            title=step.title,
            position=siblings.index(step.pk) + 1,
            step_count=len(siblings),
            estimated_minutes=step.estimated_minutes,
            blocks=tuple(
                BlockView(
                    id=block.pk,
                    slug=block.slug,
                    kind=block.kind,
                    html=render_markdown(block.body),
                    options=tuple(OptionView(option.value, option.label) for option in block.options.all()),
                    scale_min_label=block.scale_min_label,
                    scale_max_label=block.scale_max_label,
                    helplines=crisis if block.kind == BlockKind.CRISIS_LINES else (),
                )
                for block in blocks
            ),
        )
    content_cache().set(key, view, CACHE_SECONDS)
    return view


@dataclass(frozen=True)
class UrgeWord:
    """An exercise whose answer the "Urge now" page shows: where it is and its prompt."""

    block_id: int
    module_slug: str
    step_slug: str
    step_title: str
    prompt_html: str


@dataclass(frozen=True)
class UrgeContent:
    """The program's "Urge now" texts (sanitised HTML, "" where none), the exercises whose
    answers it shows, in order, and the step with the setback plan (``None`` if none in use)."""

    language: str
    guidance_html: str
    exercise_html: str
    line_html: str
    words: tuple[UrgeWord, ...]
    setback_step: StepLink | None


def urge_content(*, program: ProgramKey, language: str) -> UrgeContent:
    """What the program says on the "Urge now" page, in ``language`` (cached; three queries).

    Exercises and the setback step that are no longer in use drop out."""
    key = f"modules:urge:{program.id}:{program.content_version}:{language}"
    content = content_cache().get(key)
    if content is not None:
        return content
    with translation.override(language):
        row = Program.objects.get(pk=program.id)
        paths = [str(path).split("/") for path in row.urge_words if str(path).count("/") == 2]
        found = {
            (b.step.module.slug, b.step.slug, b.slug): b
            for b in Block.objects.active()
            .filter(step__module__program_id=program.id, kind__in=URGE_WORD_KINDS)
            .filter(step__module__slug__in={p[0] for p in paths}, slug__in={p[2] for p in paths})
            .select_related("step__module")
        }
        words = tuple(
            UrgeWord(block.pk, block.step.module.slug, block.step.slug, block.step.title, render_markdown(block.body))
            for path in paths
            if (block := found.get((path[0], path[1], path[2]))) is not None
        )
        setback = None
        if row.setback_step.count("/") == 1:
            module_slug, step_slug = row.setback_step.split("/")
            step = (
                Step.objects.active()
                .filter(module__program_id=program.id, module__slug=module_slug, slug=step_slug)
                .first()
            )
            if step is not None:
                setback = StepLink(module_slug, step_slug, step.title, step.pk)
        content = UrgeContent(
            language=language,
            guidance_html=render_markdown(row.urge_guidance),
            exercise_html=render_markdown(row.urge_exercise),
            line_html=render_markdown(row.urge_line),
            words=words,
            setback_step=setback,
        )
    content_cache().set(key, content, CACHE_SECONDS)
    return content


@dataclass(frozen=True)
class HelplineView:
    """A helpline as pages show it: names of country and languages in the reader's language."""

    slug: str
    kind: str
    country: str
    country_name: str
    languages: tuple[str, ...]
    language_names: tuple[str, ...]
    name: str
    description_html: str
    opening_hours: str
    website: str
    onion_url: str
    phone: str
    chat_url: str
    email: str
    is_sample: bool

    @property
    def is_crisis_line(self) -> bool:
        return self.kind == HelplineKind.CRISIS


@dataclass(frozen=True)
class Choice:
    """A filter value and its name in the reader's language."""

    code: str
    name: str


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LANGUAGE)


def country_name(code: str, language: str) -> str:
    """A country's name in ``language`` (CLDR, through Babel), or its code if unknown."""
    return _locale(language).territories.get(code, code)


def language_name(code: str, language: str) -> str:
    """A language's name in ``language`` (CLDR, through Babel), or its code if unknown."""
    return _locale(language).languages.get(code, code)


def helpline_countries(*, language: str) -> list[Choice]:
    """Countries that have at least one helpline, named in ``language``, in that language's order."""
    codes = Helpline.objects.exclude(country="").values_list("country", flat=True).distinct()
    return sorted((Choice(code, country_name(code, language)) for code in codes), key=lambda c: c.name.casefold())


def helpline_languages(*, language: str) -> list[Choice]:
    """Languages some helpline serves, named in ``language``."""
    codes = {code for served in Helpline.objects.values_list("languages", flat=True) for code in served}
    return sorted((Choice(code, language_name(code, language)) for code in codes), key=lambda c: c.name.casefold())


def helpline_list(
    *, country: str | None = None, served_language: str | None = None, kind: str | None = None
) -> list[HelplineView]:
    """Helplines in the active language (field by field fallback to English), crisis lines first.

    With a country, that country's services come first, then those open to every country;
    with a language, only services in it; with a kind, only that kind.
    """
    reader = translation.get_language() or FALLBACK_LANGUAGE
    helplines = Helpline.objects.all() if kind is None else Helpline.objects.filter(kind=kind)
    if country:
        helplines = helplines.filter(Q(country=country) | Q(country=""))
    ordered = helplines.annotate(
        international=Case(When(country="", then=Value(1)), default=Value(0), output_field=IntegerField()),
        service=Case(When(kind=HelplineKind.CRISIS, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("service", "international", "country", "position", "slug")
    return [
        HelplineView(
            slug=h.slug,
            kind=h.kind,
            country=h.country,
            country_name=country_name(h.country, reader) if h.country else "",
            languages=tuple(h.languages),
            language_names=tuple(language_name(code, reader) for code in h.languages),
            name=h.name,
            description_html=render_markdown(h.description),
            opening_hours=h.opening_hours,
            website=h.website,
            onion_url=h.onion_url,
            phone=h.phone,
            chat_url=h.chat_url,
            email=h.email,
            is_sample=h.is_sample,
        )
        for h in ordered
        if served_language is None or served_language in h.languages
    ]


URGE_HELPLINES = 6  # a few lines to act on, not a directory: the directory is one link away


def helplines_to_act_on(*, country: str | None, language: str, limit: int = URGE_HELPLINES) -> list[HelplineView]:
    """A few lines to contact right now (the "Urge now" page): the country's (and the
    international ones) that serve ``language``, or all of them where none does; crisis
    lines first, as ``helpline_list`` orders them."""
    return (helpline_list(country=country, served_language=language) or helpline_list(country=country))[:limit]
