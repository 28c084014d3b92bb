"""What is measured, each as one SQL statement that PostgreSQL (or SQLite) aggregates.

Every measure is an ``events`` query: one row per (profile, cell) for the period, with the
cell's dimensions. The job wraps it as ``WITH events AS (…) INSERT INTO … SELECT … COUNT(
DISTINCT profile_id) … GROUP BY …`` with the by-language and all-language versions and,
for a partition (categories that share out a total), the totals: the rows are never loaded
into Python. Free text is never read: only dates, choices (option values), numbers and
scores, all of which the help-seeker tables store as values.

A measure's properties drive the release rule (``analytics.disclosure``):

- ``by_language``: released per language and for all languages; the languages add up to
  the all-language figure (each profile has one language).
- ``additive``: each profile counts in at most one period for a cell (a profile is created
  once, completes a step once, answers an occasion once), so a quarter is the sum of its
  months and a year the sum of its quarters; otherwise (active profiles) a quarter is at
  least its largest month and at most their sum.
- ``partition``: the categories share out the row's total (category ""), which is released
  too: each respondent chose one option, fell in one bin.
- ``paired``: the change from baseline, with its sum and sum of squares.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max

from modules.models import Program
from questionnaires.models import FeedbackBand, Item, ItemKind

# The category of a value no bin or band covers (content changed after it was given).
OTHER = "other"
DIMENSIONS = ("language", "module", "step", "instrument", "item", "occasion", "category")
# Days from starting the program to completing a module, in buckets.
DAY_BUCKETS = ((0, 6, "0-6"), (7, 13, "7-13"), (14, 29, "14-29"), (30, 89, "30-89"), (90, None, "90+"))


@dataclass(frozen=True)
class Measure:
    slug: str
    by_language: bool
    additive: bool
    partition: bool = False
    paired: bool = False
    # the measure whose all-language cell equals this partition's total (same dimensions)
    total_is: str | None = None
    # not about profiles: the threshold applies, differential privacy cannot
    about_profiles: bool = True


MEASURES: tuple[Measure, ...] = (
    Measure("new_profiles", by_language=True, additive=True),
    Measure("active_profiles", by_language=True, additive=False),
    Measure("step_started", by_language=True, additive=True),
    Measure("step_completed", by_language=True, additive=True),
    Measure("module_completed", by_language=True, additive=True),
    Measure("module_days", by_language=False, additive=True, partition=True, total_is="module_completed"),
    Measure("questionnaire_responses", by_language=False, additive=True, partition=True),
    Measure("item_options", by_language=True, additive=True, partition=True),
    Measure("score_bins", by_language=False, additive=True, partition=True),
    Measure("number_bins", by_language=False, additive=True, partition=True),
    Measure("paired_change", by_language=False, additive=True, paired=True),
    Measure("helpline_views", by_language=False, additive=True, partition=True, about_profiles=False),
)
BY_SLUG = {measure.slug: measure for measure in MEASURES}


# A repeating occasion's round follows its code (``weekly@3``): each round is a cell of its
# own, so a profile still counts once per cell and once per period.
ROUND = "CASE WHEN o.kind = 'repeating' THEN '@' || CAST(r.round AS TEXT) ELSE '' END"


@dataclass(frozen=True)
class Codes:
    """SQL for the codes of modules and occasions: their slugs, qualified by the program's
    slug when an installation has more than one program; a repeating occasion's with its
    round (of the response ``r``)."""

    module: str
    occasion: str
    several: bool = False

    @classmethod
    def for_installation(cls) -> Codes:
        if Program.objects.live().count() > 1:
            return cls(
                module="pr.slug || '/' || m.slug", occasion=f"opr.slug || '/' || o.slug || {ROUND}", several=True
            )
        return cls(module="m.slug", occasion=f"o.slug || {ROUND}")

    def code(self, program_slug: str, slug: str, round_number: int = 0) -> str:
        """The code the SQL gives a module or occasion (at a round) of the program ``program_slug``."""
        code = f"{program_slug}/{slug}" if self.several else slug
        return f"{code}@{round_number}" if round_number else code


def _days_between(vendor: str, later: str, earlier: str) -> str:
    """Whole days from ``earlier`` to ``later`` (dates). PostgreSQL subtracts dates; SQLite
    has no date type and counts Julian days."""
    if vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


PERIOD = "{column} >= %(start)s AND {column} < %(end)s"
PROFILE = "JOIN helpseekers_helpseekerprofile p ON p.id = {profile}"
STEP = (
    "JOIN modules_step st ON st.id = sp.step_id JOIN modules_module m ON m.id = st.module_id "
    "JOIN modules_program pr ON pr.id = m.program_id"
)
# The same numeric item answered at baseline (b) and later (r).
ITEM_PAIRS = (
    "JOIN questionnaires_itemresponse ri ON ri.response_id = r.id JOIN questionnaires_item it ON it.id = ri.item_id "
    "JOIN questionnaires_itemresponse bi ON bi.response_id = b.id AND bi.item_id = ri.item_id"
)
RESPONSE = (
    "JOIN questionnaires_occasion o ON o.id = r.occasion_id JOIN modules_program opr ON opr.id = o.program_id "
    "JOIN questionnaires_instrument ins ON ins.id = o.instrument_id"
)


def _row(profile: str, **dims: str) -> str:
    columns = [f"{profile} AS profile_id"]
    for name in DIMENSIONS:
        columns.append(f"{dims.get(name, repr(''))} AS {name}")
    return ", ".join(columns)


def item_bins(item: Item) -> list[tuple[int, int | None, str]]:
    """Bins for a numeric item: pairs of values on a 0-10 scale, widening steps for numbers."""
    low, high = item.min_value, item.max_value
    if high - low <= 10:
        edges = list(range(low, high + 1, 2))
        return [(a, min(a + 1, high), f"{a}-{min(a + 1, high)}" if a + 1 <= high else f"{a}") for a in edges]
    bins: list[tuple[int, int | None, str]] = [(low, low, str(low))]
    lower, width = low + 1, 4
    while lower <= high:
        upper = min(lower + width - 1, high)
        bins.append((lower, upper, f"{lower}-{upper}" if upper > lower else str(lower)))
        lower, width = upper + 1, width * 2
    return bins


def _case(branches: list[tuple[str, str]], params: dict[str, Any], prefix: str) -> str:
    """``CASE WHEN … THEN …`` over ``(condition, code)`` pairs; codes travel as parameters."""
    parts = []
    for index, (condition, code) in enumerate(branches):
        params[f"{prefix}{index}"] = code
        parts.append(f"WHEN {condition} THEN %({prefix}{index})s")
    return "CASE " + " ".join(parts) + f" ELSE '{OTHER}' END" if parts else f"'{OTHER}'"


def events_sql(measure: Measure, *, vendor: str, codes: Codes) -> tuple[str, dict[str, Any]]:
    """The measure's ``events`` query: one row per profile and cell in the period
    (``%(start)s`` inclusive to ``%(end)s`` exclusive), or the helpline views' counts."""
    params: dict[str, Any] = {}
    slug = measure.slug
    if slug == "new_profiles":
        sql = f"SELECT {_row('p.id', language='p.language')} FROM helpseekers_helpseekerprofile p "
        sql += "WHERE " + PERIOD.format(column="p.created_on")
    elif slug == "active_profiles":
        sql = f"SELECT {_row('p.id', language='p.language')} FROM helpseekers_helpseekerprofile p WHERE "
        sql += " OR ".join(
            (
                "(" + PERIOD.format(column="p.created_on") + ")",
                "(" + PERIOD.format(column="p.last_active_on") + ")",
                "EXISTS (SELECT 1 FROM helpseekers_stepprogress sp WHERE sp.profile_id = p.id AND (("
                + PERIOD.format(column="sp.first_viewed_on")
                + ") OR ("
                + PERIOD.format(column="sp.completed_on")
                + ")))",
                "EXISTS (SELECT 1 FROM questionnaires_questionnaireresponse r WHERE r.profile_id = p.id AND "
                + PERIOD.format(column="r.submitted_on")
                + ")",
            )
        )
    elif slug in ("step_started", "step_completed"):
        column = "sp.first_viewed_on" if slug == "step_started" else "sp.completed_on"
        sql = (
            f"SELECT {_row('sp.profile_id', language='p.language', module=codes.module, step='st.slug')} "
            f"FROM helpseekers_stepprogress sp {PROFILE.format(profile='sp.profile_id')} {STEP} "
            f"WHERE {PERIOD.format(column=column)}"
        )
    elif slug in ("module_completed", "module_days"):
        dims = {"module": codes.module}
        if slug == "module_completed":
            dims["language"] = "p.language"
        else:
            days = _days_between(vendor, "mc.completed_on", "p.created_on")
            branches = [
                (f"{days} >= {low}" + (f" AND {days} <= {high}" if high is not None else ""), code)
                for low, high, code in DAY_BUCKETS
            ]
            dims["category"] = _case(branches, params, "day")
        sql = (
            f"SELECT {_row('mc.profile_id', **dims)} FROM helpseekers_modulecompletion mc "
            f"{PROFILE.format(profile='mc.profile_id')} JOIN modules_module m ON m.id = mc.module_id "
            f"JOIN modules_program pr ON pr.id = m.program_id WHERE {PERIOD.format(column='mc.completed_on')}"
        )
    elif slug == "questionnaire_responses":
        category = "CASE WHEN r.skipped THEN 'skipped' ELSE 'answered' END"
        sql = (
            f"SELECT {_row('r.profile_id', instrument='ins.slug', occasion=codes.occasion, category=category)} "
            f"FROM questionnaires_questionnaireresponse r {RESPONSE} WHERE {PERIOD.format(column='r.submitted_on')}"
        )
    elif slug == "item_options":
        dims = {
            "language": "p.language",
            "instrument": "ins.slug",
            "item": "it.slug",
            "occasion": codes.occasion,
            "category": "ir.option_value",
        }
        sql = (
            f"SELECT {_row('r.profile_id', **dims)} FROM questionnaires_itemresponse ir "
            "JOIN questionnaires_questionnaireresponse r ON r.id = ir.response_id "
            f"JOIN questionnaires_item it ON it.id = ir.item_id {PROFILE.format(profile='r.profile_id')} {RESPONSE} "
            f"WHERE it.kind IN ('{ItemKind.SINGLE_CHOICE}', '{ItemKind.YES_NO}') AND ir.option_value IS NOT NULL "
            f"AND NOT r.skipped AND {PERIOD.format(column='r.submitted_on')}"
        )
    elif slug == "score_bins":
        branches = []
        bands = FeedbackBand.objects.filter(subscale__isnull=True)
        tops = dict(bands.values("instrument_id").annotate(top=Max("upper")).values_list("instrument_id", "top"))
        for band in bands.select_related("instrument"):
            closes = "<=" if band.upper == tops[band.instrument_id] else "<"  # the top band includes its upper end
            condition = (
                f"ins.id = {int(band.instrument_id)} AND r.score >= {Decimal(band.lower)} "
                f"AND r.score {closes} {Decimal(band.upper)}"
            )
            branches.append((condition, band_code(band)))
        category = _case(branches, params, "band")
        sql = (
            f"SELECT {_row('r.profile_id', instrument='ins.slug', occasion=codes.occasion, category=category)} "
            f"FROM questionnaires_questionnaireresponse r {RESPONSE} "
            f"WHERE r.score IS NOT NULL AND ins.is_scored AND {PERIOD.format(column='r.submitted_on')}"
        )
    elif slug == "number_bins":
        branches = []
        for item in Item.objects.filter(kind__in=(ItemKind.SCALE, ItemKind.NUMBER)).order_by("pk"):
            for low, high, code in item_bins(item):
                bound = f" AND ir.number <= {int(high)}" if high is not None else ""
                branches.append((f"ir.item_id = {int(item.pk)} AND ir.number >= {int(low)}{bound}", code))
        category = _case(branches, params, "bin")
        dims = {"instrument": "ins.slug", "item": "it.slug", "occasion": codes.occasion, "category": category}
        sql = (
            f"SELECT {_row('r.profile_id', **dims)} FROM questionnaires_itemresponse ir "
            "JOIN questionnaires_questionnaireresponse r ON r.id = ir.response_id "
            f"JOIN questionnaires_item it ON it.id = ir.item_id {RESPONSE} "
            f"WHERE it.kind IN ('{ItemKind.SCALE}', '{ItemKind.NUMBER}') AND ir.number IS NOT NULL "
            f"AND NOT r.skipped AND {PERIOD.format(column='r.submitted_on')}"
        )
    elif slug == "paired_change":
        pairing = (
            "FROM questionnaires_questionnaireresponse r {response} "
            # one baseline per profile (its first, should a program ever offer two), so a
            # profile adds one change to each cell's sums, as it counts once in its n
            "JOIN questionnaires_questionnaireresponse b ON b.id = ("
            "SELECT b2.id FROM questionnaires_questionnaireresponse b2 "
            "JOIN questionnaires_occasion bo ON bo.id = b2.occasion_id "
            "WHERE b2.profile_id = r.profile_id AND bo.instrument_id = o.instrument_id "
            "AND bo.program_id = o.program_id AND bo.kind = 'baseline' AND NOT b2.skipped "
            "ORDER BY b2.submitted_on, b2.id LIMIT 1) "
            "{items}WHERE o.kind IN ('end', 'follow_up', 'repeating') AND NOT r.skipped AND {period}"
        )
        pairs = {"response": RESPONSE, "period": PERIOD.format(column="r.submitted_on")}
        totals = (
            f"SELECT {_row('r.profile_id', instrument='ins.slug', occasion=codes.occasion)}, "
            f"(r.score - b.score) AS change {pairing.format(**pairs, items='')} "
            "AND ins.is_scored AND r.score IS NOT NULL AND b.score IS NOT NULL"
        )
        items = (
            f"SELECT {_row('r.profile_id', instrument='ins.slug', item='it.slug', occasion=codes.occasion)}, "
            f"(ri.number - bi.number) AS change {pairing.format(**pairs, items=ITEM_PAIRS + ' ')} "
            f"AND it.kind IN ('{ItemKind.SCALE}', '{ItemKind.NUMBER}') "
            "AND ri.number IS NOT NULL AND bi.number IS NOT NULL"
        )
        sql = f"{totals} UNION ALL {items}"
    elif slug == "helpline_views":
        sql = (
            "SELECT '' AS language, '' AS module, '' AS step, '' AS instrument, '' AS item, '' AS occasion, "
            "COALESCE(NULLIF(hv.country, ''), 'none') AS category, hv.views AS views "
            "FROM modules_helplinedirectoryview hv "
            f"WHERE {PERIOD.format(column='hv.day')}"
        )
    else:  # pragma: no cover - every measure is listed above
        raise ValueError(slug)
    return sql, params


def band_code(band: FeedbackBand) -> str:
    """A feedback band as a category code: ``0-10``, ``7.5-10``."""
    return f"{plain_decimal(band.lower)}-{plain_decimal(band.upper)}"


def item_categories(item: Item, *, retired: bool) -> list[str]:
    """The categories of an item's answers: its options' values (``yes``/``no``), or the bins
    of its numbers; ``retired`` options too where asked (read ``item.options`` prefetched)."""
    if item.kind == ItemKind.YES_NO:
        return ["yes", "no"]
    if item.kind == ItemKind.SINGLE_CHOICE:
        return [option.value for option in item.options.all() if retired or option.retired_on is None]
    if item.kind in (ItemKind.SCALE, ItemKind.NUMBER):
        return [code for _low, _high, code in item_bins(item)]
    return []


def instrument_bands() -> dict[int, list[str]]:
    """The score bands of every instrument (by id), as categories, lowest first."""
    bands: dict[int, list[str]] = {}
    for band in FeedbackBand.objects.filter(subscale__isnull=True).order_by("lower"):
        bands.setdefault(band.instrument_id, []).append(band_code(band))
    return bands


def plain_decimal(value: Decimal) -> str:
    """``value`` written plainly: no exponent, no trailing zeros (``2.50`` -> ``2.5``)."""
    return format(Decimal(value).normalize(), "f")


COLUMNS = ("period", "measure", *DIMENSIONS, "count", "total", "total_sq")


def aggregate_sql(measure: Measure, *, vendor: str, codes: Codes) -> tuple[str, dict[str, Any]]:
    """One query giving the measure's raw cells for ``%(period)s`` (in ``COLUMNS`` order):
    the by-language cells (if any), the all-language cells and, for a partition, the totals
    of both. Counts are of distinct profiles, so one profile counts once in each cell.
    PostgreSQL computes every level in one ``GROUPING SETS`` pass; SQLite, which has none,
    gets the same levels as a ``UNION ALL``."""
    events, params = events_sql(measure, vendor=vendor, codes=codes)
    rest = "module, step, instrument, item, occasion"
    if measure.slug == "helpline_views":
        aggregate = "SUM(views), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC)"
    elif measure.paired:
        aggregate = "COUNT(DISTINCT profile_id), SUM(change), SUM(change * change)"
    else:
        aggregate = "COUNT(DISTINCT profile_id), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC)"
    languages = ["language", "''"] if measure.by_language else ["''"]
    categories = ["category", "''"] if measure.partition else ["category"]
    if vendor == "postgresql":
        # One pass with GROUPING SETS: one sort of the events for every level of the table.
        sets = []
        for language in languages:
            for category in categories:
                grouped = [rest] + [name for name in (language, category) if name != "''"]
                sets.append(f"({', '.join(grouped)})")
        language_column = "CASE WHEN GROUPING(language) = 1 THEN '' ELSE language END" if measure.by_language else "''"
        category_column = (
            "CASE WHEN GROUPING(category) = 1 THEN '' ELSE category END" if measure.partition else "category"
        )
        query = (
            f"SELECT %(period)s, %(measure)s, {language_column}, {rest}, {category_column}, {aggregate} "
            f"FROM ({events}) events GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        return query, {**params, "measure": measure.slug}
    # SQLite has no GROUPING SETS: the same levels as a UNION ALL over one CTE.
    selects = []
    for language in languages:
        for category in categories:
            groups = [rest]
            if language != "''":
                groups.append("language")
            if category != "''":
                groups.append("category")
            selects.append(
                f"SELECT %(period)s, %(measure)s, {language}, {rest}, {category}, {aggregate} "
                f"FROM events GROUP BY {', '.join(groups)}"
            )
    return f"WITH events AS ({events}) " + " UNION ALL ".join(selects), {**params, "measure": measure.slug}


def insert_sql(measure: Measure, *, vendor: str, codes: Codes) -> tuple[str, dict[str, Any]]:
    """``aggregate_sql`` written straight into the raw cells: ``INSERT … SELECT``, so no
    row of the help-seeker tables ever reaches Python."""
    query, params = aggregate_sql(measure, vendor=vendor, codes=codes)
    return f"INSERT INTO analytics_rawcell ({', '.join(COLUMNS)}) {query}", params
