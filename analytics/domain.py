"""Every cell the program's content allows, for differential privacy: the leaf cells of each
measure (noised even where nobody fell), the most leaf cells one profile can reach in a
measure (its L1 sensitivity), and the range a paired change can take. Retired content is
included: help-seekers' rows still point at it. Cells outside this domain (a language no
longer configured, a value no bin covers) are left out of a noisy release, so whether such
a cell exists tells nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from analytics.disclosure import Key, key_of
from analytics.measures import DAY_BUCKETS, Codes, instrument_bands, item_categories
from modules.models import Module, Step
from questionnaires import scoring, selectors
from questionnaires.models import Item, ItemKind, Occasion


@dataclass
class Domain:
    leaves: dict[str, list[Key]]
    sensitivity: dict[str, int]
    change_range: dict[Key, Decimal]


def content_domain(period: str) -> Domain:
    code = Codes.for_installation().code
    languages = [code for code, _name in settings.LANGUAGES]
    leaves: dict[str, list[Key]] = defaultdict(list)
    sensitivity: dict[str, int] = defaultdict(int)
    change_range: dict[Key, Decimal] = {}

    for language in languages:
        leaves["new_profiles"].append(key_of(period, "new_profiles", language=language))
        leaves["active_profiles"].append(key_of(period, "active_profiles", language=language))
    sensitivity["new_profiles"] = sensitivity["active_profiles"] = 1
    modules = list(Module.objects.filter(program__draft_of__isnull=True).select_related("program"))
    for module in modules:
        module_code = code(module.program.slug, module.slug)
        for language in languages:
            leaves["module_completed"].append(key_of(period, "module_completed", language=language, module=module_code))
        for _low, _high, bucket in DAY_BUCKETS:
            leaves["module_days"].append(key_of(period, "module_days", module=module_code, category=bucket))
    sensitivity["module_completed"] = sensitivity["module_days"] = len(modules)
    steps = list(Step.objects.filter(module__program__draft_of__isnull=True).select_related("module__program"))
    for step in steps:
        module_code = code(step.module.program.slug, step.module.slug)
        for measure in ("step_started", "step_completed"):
            for language in languages:
                leaves[measure].append(key_of(period, measure, language=language, module=module_code, step=step.slug))
    sensitivity["step_started"] = sensitivity["step_completed"] = len(steps)

    items_of: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.select_related("subscale").prefetch_related("options").order_by("position"):
        items_of[item.instrument_id].append(item)
    bands = instrument_bands()
    occasion_cells = [
        (occasion, code(occasion.program.slug, occasion.slug, number))
        for occasion in Occasion.objects.all().select_related("instrument", "program")
        for number in (range(1, (occasion.times or 0) + 1) if occasion.kind == "repeating" else (0,))
    ]
    for occasion, occasion_code in occasion_cells:
        instrument = occasion.instrument
        where = {"instrument": instrument.slug, "occasion": occasion_code}
        for category in ("answered", "skipped"):
            leaves["questionnaire_responses"].append(
                key_of(period, "questionnaire_responses", **where, category=category)
            )
        sensitivity["questionnaire_responses"] += 1
        if instrument.is_scored:
            for bin_code in bands.get(instrument.id, []):
                leaves["score_bins"].append(key_of(period, "score_bins", **where, category=bin_code))
            sensitivity["score_bins"] += 1
        paired = occasion.kind in ("end", "follow_up", "repeating")
        if paired and instrument.is_scored:
            low, high = scoring.score_bounds(selectors.instrument_spec(instrument, items_of[instrument.id]))
            cell = key_of(period, "paired_change", **where)
            leaves["paired_change"].append(cell)
            change_range[cell] = high - low
            sensitivity["paired_change"] += 1
        for item in items_of[instrument.id]:
            if item.kind in (ItemKind.SINGLE_CHOICE, ItemKind.YES_NO):
                values = item_categories(item, retired=True)
                for language in languages:
                    for value in values:
                        leaves["item_options"].append(
                            key_of(period, "item_options", language=language, **where, item=item.slug, category=value)
                        )
                sensitivity["item_options"] += 1
            elif item.kind in (ItemKind.SCALE, ItemKind.NUMBER):
                for bucket in item_categories(item, retired=True):
                    leaves["number_bins"].append(
                        key_of(period, "number_bins", **where, item=item.slug, category=bucket)
                    )
                sensitivity["number_bins"] += 1
                if paired:
                    cell = key_of(period, "paired_change", **where, item=item.slug)
                    leaves["paired_change"].append(cell)
                    change_range[cell] = Decimal(item.max_value - item.min_value)
                    sensitivity["paired_change"] += 1
    return Domain(leaves=dict(leaves), sensitivity=dict(sensitivity), change_range=change_range)
