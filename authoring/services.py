"""Writes staff make: loading a program bundle, exporting one, publishing languages.

Loading is one transaction: a bundle either becomes the program exactly or changes nothing.
The content goes in through the content and questionnaire services, which match rows by slug
and retire (never delete) what the bundle no longer has. Then the languages in which the
program is complete are published (recorded on the program), and the content version is
bumped once, so every cached page shows the new content at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Prefetch

from authoring import audit, translations
from authoring.bundles.format import STRUCTURE_FILE, BundleError, ConditionSpec
from authoring.bundles.program import (
    BlockSpec,
    Bundle,
    HelplineSpec,
    LanguageTexts,
    ModuleSpec,
    StepSpec,
    StepTexts,
    bundle_read,
    bundle_write,
)
from authoring.bundles.questionnaires import (
    BandSpec,
    InstrumentSpec,
    InstrumentTexts,
    ItemSpec,
    OccasionSpec,
    OptionSpec,
    RuleSpec,
)
from authoring.models import StaffEvent
from authoring.selectors import program_complete_languages
from modules.models import (
    CHOICE_KINDS,
    PROGRAM_TEXTS,
    URGE_WORD_KINDS,
    Block,
    BlockKind,
    BlockOption,
    Helpline,
    Module,
    Program,
    Step,
)
from modules.services import (
    BlockInput,
    ConditionInput,
    ContentInvalid,
    HelplineInput,
    ModuleInput,
    OptionInput,
    ProgramInput,
    StepInput,
    Texts,
    program_content_save,
    program_languages_publish,
    program_touch,
)
from modules.translation import configured_languages, translation_get
from questionnaires.models import Instrument, Item, ItemOption, Occasion
from questionnaires.services import (
    BandInput,
    InstrumentInput,
    InstrumentInvalid,
    ItemInput,
    ItemOptionInput,
    OccasionInput,
    RuleInput,
    program_questionnaires_save,
)


def program_languages_refresh(*, program: Program, actor: Any = None) -> bool:
    """Publish exactly the languages the program is complete in. Returns whether that changed
    (and then records it in the audit trail, with ``actor``, the staff member, where known).

    A language is shown to help-seekers only where every text of the program's content in use
    has its translation; otherwise they read the fallback language, with a notice.
    """
    changed = program_languages_publish(program=program, languages=program_complete_languages(program=program))
    if changed:
        audit.record(
            StaffEvent.PUBLISH,
            actor=actor,
            detail=f"{program.slug}: published in {', '.join(program.published_languages)}",
        )
    return changed


def program_load_bundle(*, bundle: Bundle) -> tuple[Program, bool]:
    """Make the program in the database equal to ``bundle``. Returns (program, changed).

    Loading the same bundle twice changes nothing the second time (not even the version).
    Raises ``BundleError`` (and changes nothing) when an instrument breaks an authoring rule.
    """
    existing = Program.objects.filter(slug=bundle.slug).first()
    if existing is not None and program_export(program=existing) == bundle:
        return existing, program_languages_refresh(program=existing)
    with transaction.atomic():
        try:
            program = program_content_save(content=bundle_program_input(bundle))
        except ContentInvalid as invalid:
            raise BundleError(STRUCTURE_FILE, "modules", str(invalid)) from invalid
        try:
            program_questionnaires_save(
                program=program,
                instruments=[_instrument_input(bundle, spec) for spec in bundle.questionnaires],
                occasions=[
                    OccasionInput(o.slug, o.questionnaire, o.kind, o.module, o.days_after_end, o.every_days, o.times)
                    for o in bundle.occasions
                ],
            )
        except InstrumentInvalid as invalid:
            raise BundleError(
                STRUCTURE_FILE, f"questionnaires.{invalid.slug}", "; ".join(invalid.problems)
            ) from invalid
        if not program_languages_refresh(program=program):
            program_touch(program=program)
        translations.program_record_all(program=program)  # a bundle's translations are of its own source
    return program, True


def program_load_path(*, path: Path) -> tuple[Program, bool]:
    """Read, validate and load a bundle folder. Raises ``BundleError``; changes nothing then."""
    bundle = bundle_read(path)
    try:
        return program_load_bundle(bundle=bundle)
    except DatabaseError as exc:
        # Validation should catch everything first; if the database still refuses, say so
        # in the same shape rather than with a traceback.
        raise BundleError(str(path), bundle.slug, f"the database refused the program ({exc})") from exc


def program_export_path(*, program: Program, path: Path) -> None:
    """Write ``program`` as a bundle folder."""
    bundle_write(program_export(program=program), path)


# --- From a bundle to the services' inputs ----------------------------------------------


def _texts(bundle: Bundle, get: Callable[[LanguageTexts], str]) -> Texts:
    """One text in every language of the bundle (called at once, so loop variables are safe)."""
    return {language: get(texts) for language, texts in bundle.texts.items()}


def _step_texts(bundle: Bundle, key: tuple[str, str], get: Callable[[StepTexts], str]) -> Texts:
    return {language: get(texts.steps[key]) for language, texts in bundle.texts.items()}


def bundle_program_input(bundle: Bundle) -> ProgramInput:
    """The content service's input for ``bundle``'s program (its helplines included)."""
    return ProgramInput(
        slug=bundle.slug,
        is_sample=bundle.is_sample,
        title=_texts(bundle, lambda t: t.title),
        summary=_texts(bundle, lambda t: t.summary),
        modules=[_module_input(bundle, module) for module in bundle.modules],
        helplines=[_helpline_input(bundle, helpline) for helpline in bundle.helplines],
        urge_texts={
            name: {language: texts.urge.get(name, "") for language, texts in bundle.texts.items()}
            for name in PROGRAM_TEXTS[2:]
        },
        urge_words=bundle.urge_words,
        setback_step=bundle.setback_step,
    )


def _module_input(bundle: Bundle, module: ModuleSpec) -> ModuleInput:
    return ModuleInput(
        slug=module.slug,
        title=_texts(bundle, lambda t: t.modules[module.slug]["title"]),
        summary=_texts(bundle, lambda t: t.modules[module.slug]["summary"]),
        steps=[_step_input(bundle, (module.slug, step.slug), step) for step in module.steps],
    )


def _condition_input(condition: ConditionSpec | None) -> ConditionInput | None:
    if condition is None:
        return None
    module, step, block = condition.exercise.split("/")
    return ConditionInput(module, step, block, tuple(condition.any_of))


def _condition_spec(block: Block | None, values: list[str]) -> ConditionSpec | None:
    if block is None:
        return None
    return ConditionSpec(f"{block.step.module.slug}/{block.step.slug}/{block.slug}", list(values))


def _step_input(bundle: Bundle, key: tuple[str, str], step: StepSpec) -> StepInput:
    return StepInput(
        slug=step.slug,
        minutes=step.minutes,
        title=_step_texts(bundle, key, lambda t: t.title),
        blocks=[_block_input(bundle, key, block) for block in step.blocks],
        condition=_condition_input(step.show_if),
    )


def _block_input(bundle: Bundle, key: tuple[str, str], block: BlockSpec) -> BlockInput:
    slug = block.slug

    def option_label(value: str) -> Texts:
        return _step_texts(bundle, key, lambda t: t.options.get(slug, {}).get(value, ""))

    return BlockInput(
        slug=slug,
        kind=block.kind,
        body=_step_texts(bundle, key, lambda t: t.bodies.get(slug, "")),
        scale_min_label=_step_texts(bundle, key, lambda t: t.scales.get(slug, {}).get("min", "")),
        scale_max_label=_step_texts(bundle, key, lambda t: t.scales.get(slug, {}).get("max", "")),
        options=[OptionInput(value, option_label(value)) for value in block.options],
    )


def _helpline_input(bundle: Bundle, helpline: HelplineSpec) -> HelplineInput:
    def text(name: str) -> Texts:
        return _texts(bundle, lambda t: t.helplines.get(helpline.slug, {}).get(name, ""))

    return HelplineInput(
        slug=helpline.slug,
        country=helpline.country,
        languages=helpline.languages,
        website=helpline.website,
        onion_url=helpline.onion_url,
        phone=helpline.phone,
        is_sample=helpline.is_sample,
        kind=helpline.kind,
        chat_url=helpline.chat,
        email=helpline.email,
        name=text("name"),
        description=text("description"),
        opening_hours=text("opening_hours"),
    )


def _instrument_input(bundle: Bundle, spec: InstrumentSpec) -> InstrumentInput:
    texts = {language: t.questionnaires[spec.slug] for language, t in bundle.texts.items()}

    def text(get: Callable[[InstrumentTexts], str]) -> Texts:
        return {language: get(t) for language, t in texts.items()}

    def item_text(item: str, name: str) -> Texts:
        return text(lambda t: t.items.get(item, {}).get(name, ""))

    def subscale_title(slug: str) -> Texts:
        return text(lambda t: t.subscales.get(slug, ""))

    def option_label(item: str, value: str) -> Texts:
        return text(lambda t: t.items.get(item, {}).get("options", {}).get(value, ""))

    def band_text(index: int) -> Texts:
        return text(lambda t: t.bands[index] if index < len(t.bands) else "")

    def rule_text(slug: str) -> Texts:
        return text(lambda t: t.rules.get(slug, ""))

    return InstrumentInput(
        slug=spec.slug,
        scoring=spec.scoring,
        max_missing=spec.max_missing,
        is_scored=spec.is_scored,
        title=text(lambda t: t.title),
        introduction=text(lambda t: t.introduction),
        subscales={slug: subscale_title(slug) for slug in spec.subscales},
        items=[
            ItemInput(
                slug=item.slug,
                kind=item.kind,
                min_value=item.min_value,
                max_value=item.max_value,
                required=item.required,
                scored=item.scored,
                reverse_scored=item.reverse,
                subscale=item.subscale,
                condition=_condition_input(item.show_if),
                text=item_text(item.slug, "text"),
                help_text=item_text(item.slug, "help_text"),
                min_label=item_text(item.slug, "min_label"),
                max_label=item_text(item.slug, "max_label"),
                options=[
                    ItemOptionInput(
                        value=option.value,
                        score=option.score,
                        is_safety=option.safety,
                        label=option_label(item.slug, option.value),
                    )
                    for option in item.options
                ],
            )
            for item in spec.items
        ],
        bands=[
            BandInput(
                lower=band.lower,
                upper=band.upper,
                subscale=band.subscale,
                text=band_text(index),
            )
            for index, band in enumerate(spec.bands)
        ],
        better=spec.better,
        subscale_better=dict(spec.subscale_better),
        rules=[
            RuleInput(
                slug=rule.slug,
                item=rule.item,
                text=rule_text(rule.slug),
                kind=rule.kind,
                any_of=tuple(rule.any_of),
                at_least=rule.at_least,
                at_most=rule.at_most,
                step=_step_key(rule.see),
            )
            for rule in spec.rules
        ],
    )


def _step_key(path: str | None) -> tuple[str, str] | None:
    """A bundle's ``module/step`` reference as (module slug, step slug)."""
    if not path:
        return None
    module, step = path.split("/", 1)
    return module, step


# --- Export: from the database to a bundle ----------------------------------------------


def program_export(*, program: Program, content_only: bool = False) -> Bundle:
    """The program's content in use as a ``Bundle``, with every language that has any of its
    text; with ``content_only``, without the helplines and questionnaires (what revisions keep)."""
    active_options = BlockOption.objects.filter(retired_on__isnull=True).order_by("position")
    modules = list(Module.objects.active().filter(program=program).order_by("position"))
    steps = list(
        Step.objects.active()
        .filter(module__program=program)
        .select_related("condition_block__step__module")
        .order_by("position")
    )
    blocks = list(
        Block.objects.active()
        .filter(step__module__program=program)
        .prefetch_related(Prefetch("options", queryset=active_options))
        .order_by("position")
    )
    helplines = [] if content_only else list(Helpline.objects.order_by("position", "slug"))
    occasions = (
        []
        if content_only
        else list(
            Occasion.objects.filter(program=program, retired_on__isnull=True)
            .select_related("instrument", "module")
            .order_by("position")
        )
    )
    instruments: list[Instrument] = []
    for occasion in occasions:
        if occasion.instrument not in instruments:
            instruments.append(occasion.instrument)
    items = {
        instrument.pk: list(
            Item.objects.filter(instrument=instrument, retired_on__isnull=True)
            .select_related("subscale", "condition_block__step__module")
            .prefetch_related(
                Prefetch("options", queryset=ItemOption.objects.filter(retired_on__isnull=True).order_by("position"))
            )
            .order_by("position")
        )
        for instrument in instruments
    }

    content: list[tuple[Any, tuple[str, ...]]] = [
        (program, PROGRAM_TEXTS),
        *((m, ("title", "summary")) for m in modules),
        *((s, ("title",)) for s in steps),
        *((b, ("body", "scale_min_label", "scale_max_label")) for b in blocks),
        *((o, ("label",)) for b in blocks for o in b.options.all()),
    ]
    languages = [
        language
        for language in configured_languages()
        if language == "en" or any(translation_get(row, f, language) for row, fields in content for f in fields)
    ]

    module_specs = [
        ModuleSpec(
            slug=module.slug,
            steps=[
                StepSpec(
                    show_if=_condition_spec(step.condition_block, step.condition_values),
                    slug=step.slug,
                    minutes=step.estimated_minutes,
                    blocks=[
                        BlockSpec(
                            slug=b.slug,
                            kind=b.kind,
                            options=[o.value for o in b.options.all()] if b.kind in CHOICE_KINDS else [],
                        )
                        for b in blocks
                        if b.step_id == step.pk
                    ],
                )
                for step in steps
                if step.module_id == module.pk
            ],
        )
        for module in modules
    ]
    texts = {language: _language_texts(program, modules, steps, blocks, helplines, language) for language in languages}
    # Only what the exported structure still holds (a retired exercise or step drops out).
    paths = {f"{m.slug}/{s.slug}/{b.slug}": b.kind for m in module_specs for s in m.steps for b in s.blocks}
    urge_words = [path for path in program.urge_words if paths.get(path) in URGE_WORD_KINDS]
    steps_in_use = {f"{m.slug}/{s.slug}" for m in module_specs for s in m.steps}
    specs, questionnaire_texts = _instruments_export(instruments, items, languages)
    for language, language_texts in texts.items():
        language_texts.questionnaires = questionnaire_texts[language]
    return Bundle(
        slug=program.slug,
        is_sample=program.is_sample,
        urge_words=urge_words,
        setback_step=program.setback_step if program.setback_step in steps_in_use else "",
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
                kind=h.kind,
                chat=h.chat_url,
                email=h.email,
            )
            for h in helplines
        ],
        texts=texts,
        questionnaires=specs,
        occasions=[
            OccasionSpec(
                slug=o.slug,
                questionnaire=o.instrument.slug,
                kind=o.kind,
                module=o.module.slug if o.module else None,
                days_after_end=o.days_after_end,
                every_days=o.every_days,
                times=o.times,
            )
            for o in occasions
        ],
    )


def _language_texts(
    program: Program,
    modules: list[Module],
    steps: list[Step],
    blocks: list[Block],
    helplines: list[Helpline],
    language: str,
) -> LanguageTexts:
    def get(row: Any, name: str) -> str:
        return translation_get(row, name, language)

    texts = LanguageTexts(
        title=get(program, "title"),
        summary=get(program, "summary"),
        urge={name: get(program, name) for name in PROGRAM_TEXTS[2:] if get(program, name)},
        modules={m.slug: {"title": get(m, "title"), "summary": get(m, "summary")} for m in modules},
        helplines={
            h.slug: {
                "name": get(h, "name"),
                "description": get(h, "description"),
                "opening_hours": get(h, "opening_hours"),
            }
            for h in helplines
        },
    )
    module_slugs = {m.pk: m.slug for m in modules}
    for step in steps:
        step_blocks = [b for b in blocks if b.step_id == step.pk]
        texts.steps[(module_slugs[step.module_id], step.slug)] = StepTexts(
            title=get(step, "title"),
            bodies={b.slug: get(b, "body") for b in step_blocks if get(b, "body")},
            options={
                b.slug: {o.value: get(o, "label") for o in b.options.all() if get(o, "label")}
                for b in step_blocks
                if b.kind in CHOICE_KINDS
            },
            scales={
                b.slug: {end: get(b, f"scale_{end}_label") for end in ("min", "max") if get(b, f"scale_{end}_label")}
                for b in step_blocks
                if b.kind == BlockKind.SCALE
            },
        )
    return texts


def _instruments_export(
    instruments: list[Instrument], items: dict[int, list[Item]], languages: list[str]
) -> tuple[list[InstrumentSpec], dict[str, dict[str, InstrumentTexts]]]:
    """(instrument specs, texts by language and instrument) of the program's questionnaires."""
    specs: list[InstrumentSpec] = []
    texts: dict[str, dict[str, InstrumentTexts]] = {language: {} for language in languages}
    for instrument in instruments:
        instrument_items = items[instrument.pk]
        subscales = list(instrument.subscales.order_by("pk"))
        bands = list(instrument.bands.select_related("subscale").order_by("subscale_id", "lower"))
        rules = list(instrument.rules.select_related("item", "step__module").order_by("position"))
        specs.append(
            InstrumentSpec(
                slug=instrument.slug,
                scoring=instrument.scoring,
                max_missing=instrument.max_missing,
                is_scored=instrument.is_scored,
                subscales=[s.slug for s in subscales],
                items=[
                    ItemSpec(
                        slug=item.slug,
                        kind=item.kind,
                        min_value=item.min_value,
                        max_value=item.max_value,
                        required=item.required,
                        scored=item.scored,
                        reverse=item.reverse_scored,
                        subscale=item.subscale.slug if item.subscale else None,
                        options=[OptionSpec(o.value, o.score, o.is_safety) for o in item.options.all()],
                        show_if=_condition_spec(item.condition_block, item.condition_values),
                    )
                    for item in instrument_items
                ],
                bands=[BandSpec(b.lower, b.upper, b.subscale.slug if b.subscale else None) for b in bands],
                better=instrument.better,
                subscale_better={s.slug: s.better for s in subscales if s.better != "lower"},
                rules=[
                    RuleSpec(
                        slug=r.slug,
                        item=r.item.slug,
                        kind=r.kind,
                        any_of=list(r.any_of),
                        at_least=r.at_least,
                        at_most=r.at_most,
                        see=f"{r.step.module.slug}/{r.step.slug}" if r.step else None,
                    )
                    for r in rules
                ],
            )
        )
        for language in languages:
            texts[language][instrument.slug] = InstrumentTexts(
                title=translation_get(instrument, "title", language),
                introduction=translation_get(instrument, "introduction", language),
                subscales={s.slug: translation_get(s, "title", language) for s in subscales},
                items={
                    item.slug: {
                        **{
                            name: translation_get(item, name, language)
                            for name in ("text", "help_text", "min_label", "max_label")
                        },
                        "options": {
                            o.value: translation_get(o, "label", language)
                            for o in item.options.all()
                            if translation_get(o, "label", language)
                        },
                    }
                    for item in instrument_items
                },
                bands=[translation_get(b, "text", language) for b in bands],
                rules={r.slug: translation_get(r, "text", language) for r in rules},
            )
    return specs, texts
