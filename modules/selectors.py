"""Reads of self-help content, shaped for pages and the API.

Pages get plain, immutable views (dataclasses) with every string already resolved in the
language the content is served in. That keeps templates free of queries, lets a page show
the interface in one language and the content in the fallback language, and makes the
content cacheable: cache keys carry ``Program.content_version``, which every content write
bumps, so a publish invalidates everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Model, Q, Sum, Value, When
from django.http import Http404
from django.utils import translation
from modeltranslation.translator import translator

from modules.markdown import render_markdown
from modules.models import EXERCISE_KINDS, SCALE_MAX, SCALE_MIN, Block, BlockOption, Helpline, Module, Program, Step

FALLBACK_LANGUAGE = "en"
CACHE_SECONDS = 60 * 60


class ProgramKey(Protocol):
    """What content selectors need of a program: its id and content version."""

    @property
    def id(self) -> int: ...

    @property
    def content_version(self) -> int: ...


@dataclass(frozen=True)
class ProgramRef:
    """A published program as pages find it: cheap to load on every request."""

    id: int
    slug: str
    is_sample: bool
    content_version: int


# The models that make up a program's content, with the lookup from each to its program.
# Helplines are shared by every program and fall back field by field, so they are not part
# of a program's completeness.
_PROGRAM_CONTENT: tuple[tuple[type[Model], str], ...] = (
    (Program, "id"),
    (Module, "program_id"),
    (Step, "module__program_id"),
    (Block, "step__module__program_id"),
    (BlockOption, "block__step__module__program_id"),
)


def _program_content() -> tuple[tuple[type[Model], str], ...]:
    """Content models with their lookup to the program: the program's own, and the
    questionnaires it offers (which must be as complete as the modules)."""
    from questionnaires.models import FeedbackBand, Instrument, Item, ItemOption, Subscale

    return (
        *_PROGRAM_CONTENT,
        (Instrument, "occasions__program_id"),
        (Subscale, "instrument__occasions__program_id"),
        (Item, "instrument__occasions__program_id"),
        (ItemOption, "item__instrument__occasions__program_id"),
        (FeedbackBand, "instrument__occasions__program_id"),
    )


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)  # type: ignore[attr-defined]


def _missing(field_name: str, language: str) -> Q:
    """The row has English text in the field but none in ``language``."""
    localized = f"{field_name}_{language}"
    has_english = ~Q(**{f"{field_name}_{FALLBACK_LANGUAGE}": ""}) & Q(
        **{f"{field_name}_{FALLBACK_LANGUAGE}__isnull": False}
    )
    return has_english & (Q(**{f"{localized}__isnull": True}) | Q(**{localized: ""}))


def _content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != FALLBACK_LANGUAGE]


@dataclass(frozen=True)
class MissingTranslation:
    """One translated field that is empty in a language while English has it."""

    model: str
    object_id: int
    label: str
    field: str


def program_missing_translations(*, program: ProgramKey, language: str) -> list[MissingTranslation]:
    """Every field of ``program``'s content that still needs a ``language`` translation."""
    if language == FALLBACK_LANGUAGE:
        return []
    missing: list[MissingTranslation] = []
    for model, program_lookup in _program_content():
        for field_name in translated_fields(model):
            rows = model._default_manager.filter(
                _missing(field_name, language), **{program_lookup: program.id}
            ).distinct()
            missing.extend(
                MissingTranslation(model._meta.model_name or "", row.pk, str(row), field_name)
                for row in rows.order_by("pk")
            )
    return missing


def program_complete_languages(*, program: ProgramKey) -> frozenset[str]:
    """Languages in which every translated field of the program has text (cached).

    One aggregate query per content model counts the missing fields of every language.
    """
    key = f"modules:complete:{program.id}:{program.content_version}"
    cached = cache.get(key)
    if cached is not None:
        return frozenset(cached)
    languages = _content_languages()
    incomplete: set[str] = set()
    for model, program_lookup in _program_content():
        fields = translated_fields(model)
        aggregates = {
            f"{language}__{field_name}": Count("pk", filter=_missing(field_name, language))
            for language in languages
            for field_name in fields
        }
        counts = model._default_manager.filter(**{program_lookup: program.id}).aggregate(**aggregates)
        incomplete.update(name.split("__", 1)[0] for name, count in counts.items() if count)
    complete = frozenset({FALLBACK_LANGUAGE, *(code for code in languages if code not in incomplete)})
    cache.set(key, sorted(complete), CACHE_SECONDS)
    return complete


def content_language_for(*, program: ProgramKey, requested: str) -> str:
    """The language to show ``program``'s content in: the requested one if complete."""
    return requested if requested in program_complete_languages(program=program) else FALLBACK_LANGUAGE


# --- Views of content -------------------------------------------------------------------


@dataclass(frozen=True)
class StepLink:
    module_slug: str
    step_slug: str
    title: str

    @property
    def as_key(self) -> tuple[str, str]:
        return (self.module_slug, self.step_slug)


@dataclass(frozen=True)
class ModuleOutline:
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
    """Everything the step page shows of the content, in one language."""

    id: int
    module_id: int
    module_slug: str
    module_title: str
    module_position: int
    slug: str
    title: str
    position: int
    step_count: int
    estimated_minutes: int
    blocks: tuple[BlockView, ...] = field(default=())


def program_get(*, slug: str) -> ProgramRef:
    """A published program by slug, or 404.

    This runs on every page view and is nearly all the database work of a cached page, so it
    is one small SQL statement: the ORM's compilation of a model with modeltranslation's
    many columns costs more than the round trip itself (measured in ``bench/``).
    """
    table = connection.ops.quote_name(Program._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, is_sample, content_version FROM {table} WHERE slug = %s AND is_published LIMIT 1",  # noqa: S608
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    program_id, is_sample, content_version = row
    return ProgramRef(id=program_id, slug=slug, is_sample=bool(is_sample), content_version=content_version)


def program_list() -> list[ProgramRef]:
    """Published programs, in slug order."""
    rows = Program.objects.filter(is_published=True).order_by("slug")
    return [ProgramRef(*row) for row in rows.values_list("id", "slug", "is_sample", "content_version")]


def program_outline(*, program: ProgramKey, language: str) -> ProgramOutline:
    """Modules and step titles of ``program`` in ``language`` (cached; two queries)."""
    key = f"modules:outline:{program.id}:{program.content_version}:{language}"
    outline = cache.get(key)
    if outline is not None:
        return outline
    with translation.override(language):
        row = Program.objects.get(pk=program.id)
        steps = list(Step.objects.filter(module__program_id=program.id).order_by("module__position", "position"))
        modules = list(row.modules.annotate(minutes=Sum("steps__estimated_minutes")).order_by("position"))
        outline = ProgramOutline(
            slug=row.slug,
            title=row.title,
            summary=row.summary,
            is_sample=row.is_sample,
            language=language,
            modules=tuple(
                ModuleOutline(
                    slug=module.slug,
                    position=module.position,
                    title=module.title,
                    summary=module.summary,
                    minutes=module.minutes or 0,
                    steps=tuple(StepLink(module.slug, s.slug, s.title) for s in steps if s.module_id == module.id),
                )
                for module in modules
            ),
        )
    cache.set(key, outline, CACHE_SECONDS)
    return outline


def step_view(*, program: ProgramKey, module_slug: str, step_slug: str, language: str) -> StepView:
    """One step with its rendered blocks in ``language`` (cached; two queries), or 404."""
    key = f"modules:step:{program.id}:{program.content_version}:{language}:{module_slug}:{step_slug}"
    view = cache.get(key)
    if view is not None:
        return view
    with translation.override(language):
        step = (
            Step.objects.select_related("module")
            .annotate(step_count=Count("module__steps", distinct=True))
            .filter(module__program_id=program.id, module__slug=module_slug, slug=step_slug)
            .first()
        )
        if step is None:
            raise Http404
        blocks = list(Block.objects.filter(step=step).prefetch_related("options").order_by("position"))
        view = StepView(
            id=step.pk,
            module_id=step.module_id,
            module_slug=step.module.slug,
            module_title=step.module.title,
            module_position=step.module.position,
            slug=step.slug,
            title=step.title,
            position=step.position,
            step_count=step.step_count,
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
                )
                for block in blocks
            ),
        )
    cache.set(key, view, CACHE_SECONDS)
    return view


@dataclass(frozen=True)
class HelplineView:
    slug: str
    country: str
    languages: tuple[str, ...]
    name: str
    description_html: str
    opening_hours: str
    website: str
    onion_url: str
    phone: str
    is_sample: bool


def helpline_countries() -> list[str]:
    """Country codes that have at least one helpline, in order."""
    return list(Helpline.objects.exclude(country="").values_list("country", flat=True).distinct().order_by("country"))


def helpline_list(*, country: str | None = None) -> list[HelplineView]:
    """Helplines in the active language (field by field fallback to English).

    With a country, that country's services come first, then those open to every country.
    """
    helplines = Helpline.objects.all()
    if country:
        helplines = helplines.filter(Q(country=country) | Q(country=""))
    return [
        HelplineView(
            slug=h.slug,
            country=h.country,
            languages=tuple(h.languages),
            name=h.name,
            description_html=render_markdown(h.description),
            opening_hours=h.opening_hours,
            website=h.website,
            onion_url=h.onion_url,
            phone=h.phone,
            is_sample=h.is_sample,
        )
        for h in helplines.annotate(
            international=Case(When(country="", then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by("international", "country", "position", "slug")
    ]
