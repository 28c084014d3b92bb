"""Synthetic help-seekers, for demonstrations and benchmarks only: profiles that start a
program, work through its steps with a realistic drop-off, complete modules and answer its
questionnaires (baseline, after modules, end, follow-up) with scores that tend to improve.

Nothing here is run by the product itself: ``demo_statistics`` fills a laptop's database so
the evaluator pages have something to show, and ``bench/`` fills a large one. Rows are
written in bulk, seeded, so the same arguments give the same data. No free text is made:
exercise answers are not generated (statistics never read them).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from helpseekers.models import HelpSeekerProfile, ModuleCompletion, StepProgress
from modules.models import Program, Step
from questionnaires import scoring, selectors
from questionnaires.models import Item, ItemKind, ItemResponse, Occasion, OccasionKind, QuestionnaireResponse

BATCH = 5000


@dataclass
class Written:
    profiles: int = 0
    step_progress: int = 0
    module_completions: int = 0
    responses: int = 0
    item_responses: int = 0

    def rows(self) -> int:
        return sum(getattr(self, counter.name) for counter in fields(self))

    def __add__(self, other: Written) -> Written:
        return Written(
            **{counter.name: getattr(self, counter.name) + getattr(other, counter.name) for counter in fields(self)}
        )


@dataclass
class _Buffers:
    written: Written
    rows: dict[type, list[Any]] = field(default_factory=dict)

    def add(self, row: Any) -> None:
        bucket = self.rows.setdefault(type(row), [])
        bucket.append(row)
        if len(bucket) >= BATCH:
            self.flush(type(row))

    def flush(self, model: type | None = None) -> None:
        """Write the buffered rows (of ``model``, or all), parents first. Foreign keys are
        checked at commit, so a child batch may go before its profile's row."""
        order = (HelpSeekerProfile, StepProgress, ModuleCompletion, QuestionnaireResponse, ItemResponse)
        for kind in order:
            if model is None or kind is model:
                self._write(kind)

    def _write(self, kind: type) -> None:
        rows = self.rows.get(kind) or []
        if not rows:
            return
        kind.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
        name: str = {
            HelpSeekerProfile: "profiles",
            StepProgress: "step_progress",
            ModuleCompletion: "module_completions",
            QuestionnaireResponse: "responses",
            ItemResponse: "item_responses",
        }[kind]  # type: ignore[index]
        setattr(self.written, name, getattr(self.written, name) + len(rows))
        self.rows[kind] = []


def generate(
    *,
    program: Program,
    profiles: int,
    start: date,
    end: date,
    seed: int = 1,
    languages: Sequence[str] = ("en",),
    language_weights: Sequence[float] | None = None,
    keep_going: float = 0.9,
) -> Written:
    """Write ``profiles`` synthetic help-seekers who start between ``start`` and ``end``
    (inclusive) and act no later than ``end``. ``keep_going`` is the chance of going on to
    the next step (a drop-off of 1 - ``keep_going`` at each)."""
    rng = random.Random(seed)
    steps = [
        (step.module_id, step)
        for step in Step.objects.active().filter(module__program=program).order_by("module__position", "position")
    ]
    modules: dict[int, int] = {}
    for module_id, _step in steps:
        modules[module_id] = modules.get(module_id, 0) + 1
    occasions = list(
        Occasion.objects.filter(program=program, retired_on__isnull=True)
        .select_related("instrument")
        .order_by("position")
    )
    items: dict[int, list[Item]] = {}
    specs: dict[int, scoring.InstrumentSpec] = {}
    for occasion in occasions:
        instrument = occasion.instrument
        if instrument.id not in items:
            items[instrument.id] = selectors.instrument_items(instrument)
            specs[instrument.id] = selectors.instrument_spec(instrument, items[instrument.id])
    options = {item.id: [o.value for o in item.options.all()] for group in items.values() for item in group}
    days = max(0, (end - start).days)
    buffers = _Buffers(Written())
    with transaction.atomic():
        for _ in range(profiles):
            _one(rng, buffers, program, steps, modules, occasions, items, specs, options, start, days, end, languages,
                 language_weights, keep_going)  # fmt: skip
        buffers.flush()
    return buffers.written


def _one(
    rng: random.Random,
    buffers: _Buffers,
    program: Program,
    steps: list[tuple[int, Any]],
    modules: dict[int, int],
    occasions: list[Occasion],
    items: dict[int, list[Item]],
    specs: dict[int, scoring.InstrumentSpec],
    options: dict[int, list[str]],
    start: date,
    days: int,
    end: date,
    languages: Sequence[str],
    weights: Sequence[float] | None,
    keep_going: float,
) -> None:
    created = start + timedelta(days=rng.randint(0, days))
    profile = HelpSeekerProfile(
        id=uuid.UUID(int=rng.getrandbits(128)),
        codename_digest=rng.getrandbits(256).to_bytes(32, "big"),
        key_salt=rng.getrandbits(128).to_bytes(16, "big"),
        language=rng.choices(list(languages), weights=weights)[0],
        created_on=created,
        last_active_on=created,
    )
    improvement = rng.gauss(0.25, 0.3)  # how much this person's answers ease by the end
    last = created
    responses: list[tuple[Occasion, date, float, int]] = []  # occasion, day, easing, round
    occasion_of = {o.kind: o for o in occasions if o.kind in (OccasionKind.BASELINE, OccasionKind.END)}
    if OccasionKind.BASELINE in occasion_of and rng.random() < 0.85:
        responses.append((occasion_of[OccasionKind.BASELINE], created, 0.0, 0))
    day = created
    done_in_module: dict[int, int] = {}
    completions: list[tuple[int, date]] = []
    finished = True
    for index, (module_id, step) in enumerate(steps):
        if index and rng.random() > keep_going:
            finished = False
            break
        day = day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 7)))
        if day > end:
            finished = False
            break
        completed = day + timedelta(days=rng.choice((0, 0, 0, 1)))
        done = completed <= end and rng.random() < 0.93
        progress = StepProgress(id=uuid.UUID(int=rng.getrandbits(128)), profile=profile, step=step)
        progress.first_viewed_on, progress.completed_on = day, completed if done else None
        buffers.add(progress)
        last = max(last, completed if done else day)
        if not done:
            finished = False
            break
        done_in_module[module_id] = done_in_module.get(module_id, 0) + 1
        if done_in_module[module_id] == modules[module_id]:
            completions.append((module_id, completed))
            for occasion in occasions:
                if (
                    occasion.kind == OccasionKind.AFTER_MODULE
                    and occasion.module_id == module_id
                    and rng.random() < 0.6
                ):
                    responses.append((occasion, completed, 0.5 * improvement, 0))
    if finished and steps:
        if OccasionKind.END in occasion_of and rng.random() < 0.7:
            responses.append((occasion_of[OccasionKind.END], last, improvement, 0))
        for occasion in occasions:
            if occasion.kind == OccasionKind.FOLLOW_UP and rng.random() < 0.4:
                when = last + timedelta(days=occasion.days_after_end or 0)
                if when <= end:
                    responses.append((occasion, when, improvement * 0.8, 0))
    for occasion in occasions:  # a weekly check, answered in some of the weeks the profile was active
        if occasion.kind == OccasionKind.REPEATING and occasion.every_days and occasion.times:
            for number in range(1, occasion.times + 1):
                when = created + timedelta(days=number * occasion.every_days)
                if when > min(last, end):
                    break
                if rng.random() < 0.5:
                    responses.append((occasion, when, improvement * number / occasion.times, number))
    for _occasion, when, _eased, _round in responses:
        last = max(last, when)
    profile.last_active_on = last
    buffers.add(profile)
    for module_id, when in completions:
        buffers.add(ModuleCompletion(id=uuid.UUID(int=rng.getrandbits(128)), profile=profile, module_id=module_id,
                                     completed_on=when))  # fmt: skip
    severity = rng.random()
    for occasion, when, eased, number in responses:
        _respond(
            rng, buffers, profile, occasion, when, severity * (1 - max(-0.3, min(0.9, eased))), items, specs, options,
            number,
        )  # fmt: skip


def _respond(
    rng: random.Random,
    buffers: _Buffers,
    profile: HelpSeekerProfile,
    occasion: Occasion,
    when: date,
    severity: float,
    items: dict[int, list[Item]],
    specs: dict[int, scoring.InstrumentSpec],
    options: dict[int, list[str]],
    round_number: int = 0,
) -> None:
    skipped = rng.random() < 0.08
    response = QuestionnaireResponse(
        id=uuid.UUID(int=rng.getrandbits(128)),
        profile=profile,
        occasion=occasion,
        round=round_number,
        submitted_on=when,
        skipped=skipped,
    )
    answers: dict[str, scoring.Answer] = {}
    rows: list[ItemResponse] = []
    if not skipped:
        for item in items[occasion.instrument_id]:
            if rng.random() < 0.04:
                continue  # an item left out
            value: dict[str, Any]
            if item.kind in (ItemKind.SINGLE_CHOICE, ItemKind.YES_NO):
                choices = ["yes", "no"] if item.kind == ItemKind.YES_NO else options[item.id]
                if not choices:
                    continue
                position = min(len(choices) - 1, int(_lean(rng, severity) * len(choices)))
                value = {"option_value": choices[position]}
                answers[item.slug] = choices[position]
            else:
                span = item.max_value - item.min_value
                number = item.min_value + round(_lean(rng, severity) * span * (0.3 if span > 10 else 1))
                value = {"number": number}
                answers[item.slug] = number
            rows.append(ItemResponse(id=uuid.UUID(int=rng.getrandbits(128)), response=response, item=item, **value))
        if occasion.instrument.is_scored:
            result = scoring.score(specs[occasion.instrument_id], answers)
            response.score = Decimal(result) if result is not None else None
    buffers.add(response)
    for row in rows:
        buffers.add(row)


def _lean(rng: random.Random, severity: float) -> float:
    """A value in [0, 1) that leans towards ``severity``."""
    return max(0.0, min(0.999, rng.gauss(severity, 0.2)))
