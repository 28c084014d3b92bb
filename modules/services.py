"""Writes of self-help content: loading a program bundle, exporting one, bumping versions.

Loading is one transaction: a bundle either becomes the program exactly or changes nothing.
Rows are matched by slug, so a step keeps its identity (and help-seekers' progress on it)
when it is reworded or moved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Model

from modules.bundles import (
    BlockSpec,
    Bundle,
    BundleError,
    HelplineSpec,
    LanguageTexts,
    ModuleSpec,
    StepSpec,
    StepTexts,
    bundle_read,
    bundle_write,
)
from modules.models import CHOICE_KINDS, Block, BlockKind, BlockOption, Helpline, Module, Program, Step

# Positions are moved out of the way before being rewritten, so a reorder never collides
# with the unique (parent, position) constraints mid-update.
_POSITION_OFFSET = 10_000


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def translations_set(instance: Model, field_name: str, values: dict[str, str]) -> None:
    """Set ``<field>_<language>`` for every configured language (missing ones to "")."""
    for language in _languages():
        setattr(instance, f"{field_name}_{language}", values.get(language, ""))


def program_touch(*, program: Program) -> None:
    """Record that the program's content changed, invalidating every cached rendering."""
    Program.objects.filter(pk=program.pk).update(content_version=F("content_version") + 1)
    program.refresh_from_db(fields=["content_version"])


def _per_language(bundle: Bundle, get: Any) -> dict[str, str]:
    return {language: get(texts) for language, texts in bundle.texts.items()}


@transaction.atomic
def program_load_bundle(*, bundle: Bundle) -> tuple[Program, bool]:
    """Make the program in the database equal to ``bundle``. Returns (program, changed).

    Loading the same bundle twice changes nothing the second time (not even the version).
    """
    existing = Program.objects.filter(slug=bundle.slug).first()
    if existing is not None and program_export(program=existing) == bundle:
        return existing, False

    program = existing or Program(slug=bundle.slug)
    program.is_sample = bundle.is_sample
    translations_set(program, "title", _per_language(bundle, lambda t: t.title))
    translations_set(program, "summary", _per_language(bundle, lambda t: t.summary))
    program.save()

    Module.objects.filter(program=program).update(position=F("position") + _POSITION_OFFSET)
    Step.objects.filter(module__program=program).update(position=F("position") + _POSITION_OFFSET)
    Block.objects.filter(step__module__program=program).update(position=F("position") + _POSITION_OFFSET)
    BlockOption.objects.filter(block__step__module__program=program).update(position=F("position") + _POSITION_OFFSET)

    modules = {m.slug: m for m in Module.objects.filter(program=program)}
    for m_position, module_spec in enumerate(bundle.modules, start=1):
        module = modules.pop(module_spec.slug, None) or Module(program=program, slug=module_spec.slug)
        module.position = m_position
        translations_set(module, "title", _per_language(bundle, lambda t, s=module_spec.slug: t.modules[s]["title"]))
        translations_set(
            module, "summary", _per_language(bundle, lambda t, s=module_spec.slug: t.modules[s]["summary"])
        )
        module.save()
        _load_steps(bundle, module, module_spec)
    Module.objects.filter(pk__in=[m.pk for m in modules.values()]).delete()

    for h_position, helpline_spec in enumerate(bundle.helplines, start=1):
        _load_helpline(bundle, helpline_spec, h_position)

    from questionnaires.services import instruments_load

    instruments_load(bundle=bundle, program=program)
    program_touch(program=program)
    return program, True


def _load_steps(bundle: Bundle, module: Module, module_spec: ModuleSpec) -> None:
    steps = {s.slug: s for s in Step.objects.filter(module=module)}
    for s_position, step_spec in enumerate(module_spec.steps, start=1):
        key = (module_spec.slug, step_spec.slug)
        step = steps.pop(step_spec.slug, None) or Step(module=module, slug=step_spec.slug)
        step.position = s_position
        step.estimated_minutes = step_spec.minutes
        translations_set(step, "title", _per_language(bundle, lambda t, k=key: t.steps[k].title))
        step.save()
        _load_blocks(bundle, step, key, step_spec)
    Step.objects.filter(pk__in=[s.pk for s in steps.values()]).delete()


def _load_blocks(bundle: Bundle, step: Step, key: tuple[str, str], step_spec: StepSpec) -> None:
    blocks = {b.slug: b for b in Block.objects.filter(step=step)}
    for b_position, spec in enumerate(step_spec.blocks, start=1):
        block = blocks.pop(spec.slug, None) or Block(step=step, slug=spec.slug)
        block.position = b_position
        block.kind = spec.kind
        slug = spec.slug
        translations_set(block, "body", _per_language(bundle, lambda t, s=slug: t.steps[key].bodies.get(s, "")))
        for end in ("min", "max"):
            translations_set(
                block,
                f"scale_{end}_label",
                _per_language(bundle, lambda t, e=end, s=slug: t.steps[key].scales.get(s, {}).get(e, "")),
            )
        block.save()
        options = {o.value: o for o in BlockOption.objects.filter(block=block)}
        for o_position, value in enumerate(spec.options, start=1):
            option = options.pop(value, None) or BlockOption(block=block, value=value)
            option.position = o_position
            translations_set(
                option,
                "label",
                _per_language(bundle, lambda t, v=value, s=slug: t.steps[key].options.get(s, {}).get(v, "")),
            )
            option.save()
        BlockOption.objects.filter(pk__in=[o.pk for o in options.values()]).delete()
    Block.objects.filter(pk__in=[b.pk for b in blocks.values()]).delete()


def _load_helpline(bundle: Bundle, spec: HelplineSpec, position: int) -> None:
    helpline = Helpline.objects.filter(slug=spec.slug).first() or Helpline(slug=spec.slug)
    helpline.country = spec.country
    helpline.languages = spec.languages
    helpline.website = spec.website
    helpline.onion_url = spec.onion_url
    helpline.phone = spec.phone
    helpline.is_sample = spec.is_sample
    helpline.position = position
    for field_name in ("name", "description", "opening_hours"):
        translations_set(
            helpline,
            field_name,
            _per_language(bundle, lambda t, f=field_name: t.helplines.get(spec.slug, {}).get(f, "")),
        )
    helpline.save()


def program_load_path(*, path: Path) -> tuple[Program, bool]:
    """Read, validate and load a bundle folder. Raises ``BundleError``; changes nothing then."""
    bundle = bundle_read(path)
    try:
        return program_load_bundle(bundle=bundle)
    except DatabaseError as exc:
        # Validation should catch everything first; if the database still refuses, say so
        # in the same shape rather than with a traceback.
        raise BundleError(str(path), bundle.slug, f"the database refused the program ({exc})") from exc


# --- Export -----------------------------------------------------------------------------


def translation_get(instance: Model, field_name: str, language: str) -> str:
    """``<field>_<language>``, with "" for no text."""
    return getattr(instance, f"{field_name}_{language}") or ""


def program_export(*, program: Program) -> Bundle:
    """The program as a ``Bundle``, with every language that has any of its text."""
    modules = list(Module.objects.filter(program=program).order_by("position"))
    steps = list(Step.objects.filter(module__program=program).order_by("position"))
    blocks = list(Block.objects.filter(step__module__program=program).order_by("position"))
    options = list(BlockOption.objects.filter(block__step__module__program=program).order_by("position"))
    helplines = list(Helpline.objects.order_by("position", "slug"))

    content: list[tuple[Model, tuple[str, ...]]] = [
        (program, ("title", "summary")),
        *((m, ("title", "summary")) for m in modules),
        *((s, ("title",)) for s in steps),
        *((b, ("body", "scale_min_label", "scale_max_label")) for b in blocks),
        *((o, ("label",)) for o in options),
    ]
    languages = [
        language
        for language in _languages()
        if language == "en" or any(translation_get(row, f, language) for row, fields in content for f in fields)
    ]

    module_specs = []
    for module in modules:
        step_specs = []
        for step in (s for s in steps if s.module_id == module.pk):
            block_specs = [
                BlockSpec(
                    slug=b.slug,
                    kind=b.kind,
                    options=[o.value for o in options if o.block_id == b.pk] if b.kind in CHOICE_KINDS else [],
                )
                for b in blocks
                if b.step_id == step.pk
            ]
            step_specs.append(StepSpec(slug=step.slug, minutes=step.estimated_minutes, blocks=block_specs))
        module_specs.append(ModuleSpec(slug=module.slug, steps=step_specs))

    texts: dict[str, LanguageTexts] = {}
    for language in languages:
        language_texts = LanguageTexts(
            title=translation_get(program, "title", language),
            summary=translation_get(program, "summary", language),
            modules={
                m.slug: {
                    "title": translation_get(m, "title", language),
                    "summary": translation_get(m, "summary", language),
                }
                for m in modules
            },
            helplines={
                h.slug: {
                    "name": translation_get(h, "name", language),
                    "description": translation_get(h, "description", language),
                    "opening_hours": translation_get(h, "opening_hours", language),
                }
                for h in helplines
            },
        )
        module_slugs = {m.pk: m.slug for m in modules}
        for step in steps:
            step_blocks = [b for b in blocks if b.step_id == step.pk]
            language_texts.steps[(module_slugs[step.module_id], step.slug)] = StepTexts(
                title=translation_get(step, "title", language),
                bodies={
                    b.slug: translation_get(b, "body", language)
                    for b in step_blocks
                    if translation_get(b, "body", language)
                },
                options={
                    b.slug: {
                        o.value: translation_get(o, "label", language)
                        for o in options
                        if o.block_id == b.pk and translation_get(o, "label", language)
                    }
                    for b in step_blocks
                    if b.kind in CHOICE_KINDS
                },
                scales={
                    b.slug: {
                        end: translation_get(b, f"scale_{end}_label", language)
                        for end in ("min", "max")
                        if translation_get(b, f"scale_{end}_label", language)
                    }
                    for b in step_blocks
                    if b.kind == BlockKind.SCALE
                },
            )
        texts[language] = language_texts

    from questionnaires.services import instruments_export

    instruments, occasions, questionnaire_texts = instruments_export(program=program, languages=languages)
    for language, language_texts in texts.items():
        language_texts.questionnaires = questionnaire_texts[language]
    return Bundle(
        questionnaires=instruments,
        occasions=occasions,
        slug=program.slug,
        is_sample=program.is_sample,
        modules=module_specs,
        helplines=[
            HelplineSpec(
                slug=h.slug,
                country=h.country,
                languages=list(h.languages),
                website=h.website,
                onion_url=h.onion_url,
                phone=h.phone,
                is_sample=h.is_sample,
            )
            for h in helplines
        ],
        texts=texts,
    )


def program_export_path(*, program: Program, path: Path) -> None:
    bundle_write(program_export(program=program), path)
