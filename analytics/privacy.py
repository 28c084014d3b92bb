"""Optional differential privacy for a release (``STATISTICS_EPSILON``).

Each measure about profiles gets an equal share of the release's ε. Within a measure, the
*leaf* cells (by language and by category, where the measure has them) form one vector over
every cell the program's content allows (so an empty cell is noised too, and its absence
reveals nothing); OpenDP's discrete Laplace mechanism adds integer noise with the scale its
L1 sensitivity asks: the most leaf cells one profile can fall in (one per step for steps,
one per occasion and item for answers...). Totals and all-language figures are sums of the
noisy leaves and negative values are clipped to zero: post-processing, which costs no ε.
Paired change releases a noisy n, Σ change and Σ change², the change bounded by the
instrument's or item's range. Helpline views are not about profiles and get no noise.

A yearly ledger refuses a release whose ε would take the year's releases past
``STATISTICS_EPSILON_PER_YEAR``. The accuracy stored per measure is the half-width that
holds the noise of a leaf with 95% probability.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import opendp.prelude as dp
from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _

from analytics.disclosure import CATEGORY, LANGUAGE, Key, with_
from analytics.measures import BY_SLUG, MEASURES, Measure
from analytics.models import Release
from analytics.periods import Period
from redirection.errors import ApplicationError

dp.enable_features("contrib")
PROFILE_MEASURES: tuple[Measure, ...] = tuple(measure for measure in MEASURES if measure.about_profiles)
SCALE_SUM, SCALE_SQ = 100, 10_000  # Σ change in hundredths, Σ change² in ten-thousandths


class BudgetSpent(ApplicationError):
    """The year's ε is spent: no more releases with noise this year (409)."""

    status = 409


def epsilon() -> float | None:
    value = getattr(settings, "STATISTICS_EPSILON", None)
    return float(value) if value else None


def method_name(value: float | None) -> str:
    return f"threshold+dp(eps={value:g})" if value else "threshold"


def check_ledger(period: Period, value: float) -> None:
    """Refuse a release that would take this year's ε past the yearly budget."""
    budget = float(getattr(settings, "STATISTICS_EPSILON_PER_YEAR", 0) or 0)
    spent = Release.objects.filter(period_start__year=period.start.year).aggregate(total=Sum("epsilon"))["total"] or 0
    if budget and spent + value > budget + 1e-9:
        raise BudgetSpent(
            _("This release would spend ε %(value)g, and %(spent)g of the year's %(budget)g is spent already.")
            % {"value": value, "spent": spent, "budget": budget}
        )


def _leaf(key: Key) -> bool:
    measure = BY_SLUG[key[1]]
    if measure.by_language and key[LANGUAGE] == "":
        return False
    return not (measure.partition and key[CATEGORY] == "")


def add_noise(
    current: dict[Key, int],
    sums: dict[Key, tuple[Decimal, Decimal]],
    *,
    epsilon: float,
    domain: dict[str, list[Key]],
    sensitivity: dict[str, int],
    change_range: dict[Key, Decimal],
) -> tuple[dict[Key, int], dict[Key, tuple[Decimal, Decimal]], dict[str, float]]:
    """The noisy cells (leaves noised over ``domain``, the rest summed from them), the noisy
    paired sums, and the 95% accuracy of a leaf per measure."""
    share = epsilon / len(PROFILE_MEASURES)
    noisy: dict[Key, int] = {key: value for key, value in current.items() if not BY_SLUG[key[1]].about_profiles}
    noisy_sums: dict[Key, tuple[Decimal, Decimal]] = {}
    accuracy: dict[str, float] = {}
    for measure in PROFILE_MEASURES:
        leaves = sorted(set(domain.get(measure.slug, [])))  # the content's cells only, never the data's
        delta = max(1, sensitivity.get(measure.slug, 1))
        count_share = share / 3 if measure.paired else share
        scale = delta / count_share
        accuracy[measure.slug] = round(dp.discrete_laplacian_scale_to_accuracy(scale, 0.05), 2)
        if not leaves:
            continue
        values = _laplace([current.get(key, 0) for key in leaves], scale)
        for key, value in zip(leaves, values, strict=True):
            noisy[key] = max(0, value)
        if measure.paired:
            ranges = [change_range.get(key, Decimal(1)) for key in leaves]
            widest = float(max(ranges))
            totals = _laplace(
                [int(sums.get(key, (0, 0))[0] * SCALE_SUM) for key in leaves],
                float(delta * widest * SCALE_SUM / count_share),
            )
            squares = _laplace(
                [int(sums.get(key, (0, 0))[1] * SCALE_SQ) for key in leaves],
                float(delta * widest * widest * SCALE_SQ / count_share),
            )
            for key, total, square in zip(leaves, totals, squares, strict=True):
                noisy_sums[key] = (Decimal(total) / SCALE_SUM, Decimal(max(0, square)) / SCALE_SQ)
    _sum_up(noisy)
    return noisy, noisy_sums, accuracy


def _laplace(values: list[int], scale: float) -> list[int]:
    mechanism = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)
    return list(mechanism(values))


def _sum_up(noisy: dict[Key, int]) -> None:
    """Totals and all-language cells as sums of the noisy leaves (post-processing)."""
    by_total: dict[Key, int] = defaultdict(int)
    for key, value in list(noisy.items()):
        measure = BY_SLUG[key[1]]
        if not measure.about_profiles or not _leaf(key):
            continue
        targets = [key]
        if measure.partition:
            targets.append(with_(key, CATEGORY, ""))
        if measure.by_language:
            targets += [with_(target, LANGUAGE, "") for target in targets]
        for target in targets[1:]:
            by_total[target] += value
    noisy.update(by_total)
