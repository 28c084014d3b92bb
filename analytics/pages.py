"""The evaluator pages' sections, built from one release's figures: each a chart, its table
(the same figures), a note on what it counts and the measures its CSV download holds.

Labels come from the content (titles, item texts, option labels); codes stay what the CSV
carries. A suppressed figure reads "suppressed", never 0 or blank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from analytics import charts
from analytics.measures import DAY_BUCKETS, plain_decimal
from analytics.models import Release, ReleasedFigure
from modules.models import Module, Step
from modules.selectors import country_name
from questionnaires.models import Instrument, Item, ItemKind, ItemOption, Occasion
from questionnaires.selectors import occasion_label

SUPPRESSED = "suppressed"
TENTH = Decimal("0.1")


@dataclass
class Block:
    title: str
    columns: list[str]
    rows: list[list[str]]
    chart: SafeString | None = None


@dataclass
class Section:
    slug: str
    title: str
    note: str
    measures: tuple[str, ...]
    blocks: list[Block] = field(default_factory=list)


def show(figure: ReleasedFigure | None) -> str:
    """A count (or a statistic) as a table shows it."""
    if figure is None:
        return "0"
    if figure.suppressed or figure.count is None:
        return _(SUPPRESSED)
    return plain_decimal(figure.count)


def value(figure: ReleasedFigure | None) -> Decimal | None:
    if figure is None:
        return Decimal(0)
    return None if figure.suppressed else figure.count


class Labels:
    """Human labels for the codes in figures, in the reader's language. A module or occasion
    is known by both codes it may have in a release (``measures.Codes``): its slug alone, as
    while the installation had one program, and qualified by its program's slug."""

    def __init__(self) -> None:
        self.language = get_language() or settings.LANGUAGE_CODE

        def codes(program: str, slug: str) -> tuple[str, str]:
            return f"{program}/{slug}", slug

        self.modules: dict[str, tuple[tuple[int, int], str]] = {}
        for module in (
            Module.objects.filter(program__draft_of__isnull=True)
            .select_related("program")
            .order_by("program__slug", "position")
        ):
            for code in codes(module.program.slug, module.slug):
                self.modules.setdefault(code, ((module.program_id, module.position), module.title))
        self.steps: dict[tuple[str, str], tuple[tuple[int, int, int], str]] = {}
        for step in Step.objects.filter(module__program__draft_of__isnull=True).select_related("module__program"):
            order = (step.module.program_id, step.module.position, step.position)
            for module_code in codes(step.module.program.slug, step.module.slug):
                self.steps.setdefault((module_code, step.slug), (order, step.title))
        self.instruments = {instrument.slug: instrument.title for instrument in Instrument.objects.all()}
        self.items = {(item.instrument.slug, item.slug): item for item in Item.objects.select_related("instrument")}
        self.options = {
            (option.item.instrument.slug, option.item.slug, option.value): option.label
            for option in ItemOption.objects.select_related("item__instrument")
        }
        self.occasions: dict[str, tuple[int, str]] = {}
        for occasion in Occasion.objects.select_related("program", "module", "instrument"):
            label = (occasion.position * 1000, occasion_label(occasion, self.language))
            for code in codes(occasion.program.slug, occasion.slug):
                self.occasions.setdefault(code, label)
                for number in range(1, (occasion.times or 0) + 1):  # a repeating occasion's rounds, in order
                    round_label = (occasion.position * 1000 + number, occasion_label(occasion, self.language, number))
                    self.occasions.setdefault(f"{code}@{number}", round_label)
        self.language_names = {code: str(name) for code, name in settings.LANGUAGES}

    def module(self, code: str) -> str:
        return self.modules.get(code, ((0, 0), code))[1]

    def step(self, module: str, step: str) -> str:
        return self.steps.get((module, step), ((0, 0, 0), step))[1]

    def item(self, instrument: str, item: str) -> str:
        if not item:
            return _("Total score")
        found = self.items.get((instrument, item))
        return found.text if found is not None else item

    def option(self, instrument: str, item: str, category: str) -> str:
        found = self.items.get((instrument, item))
        if found is not None and found.kind == ItemKind.YES_NO:
            return _("Yes") if category == "yes" else _("No")
        return self.options.get((instrument, item, category), category)

    def occasion(self, code: str) -> str:
        return self.occasions.get(code, (0, code))[1]

    def language_name(self, code: str) -> str:
        return self.language_names.get(code, code) if code else _("All languages")


def _index(figures: Iterable[ReleasedFigure]) -> dict[str, dict[tuple[str, ...], ReleasedFigure]]:
    found: dict[str, dict[tuple[str, ...], ReleasedFigure]] = defaultdict(dict)
    for figure in figures:
        key = (
            figure.language,
            figure.module,
            figure.step,
            figure.instrument,
            figure.item,
            figure.occasion,
            figure.category,
        )
        found[figure.measure][key] = figure
    return found


def _percent(part: ReleasedFigure | None) -> str:
    """A part's percent of its total, empty where either is suppressed."""
    if part is None or part.percent is None:
        return ""
    return f"{part.percent}%"


def release_sections(release: Release, figures: Iterable[ReleasedFigure]) -> list[Section]:
    """Every section of a release's page, in reading order."""
    labels = Labels()
    by = _index(figures)
    return [
        _profiles(by, labels),
        _funnel(by, labels),
        _modules(by, labels),
        _responses(by, labels),
        _change(by, labels),
        _items(by, labels),
        _bins(by, labels),
        _helplines(by),
    ]


def _languages(*measures: dict[tuple[str, ...], ReleasedFigure]) -> list[str]:
    return sorted({key[0] for cells in measures for key in cells if key[0]})


def _profiles(by: dict, labels: Labels) -> Section:
    new, active = by.get("new_profiles", {}), by.get("active_profiles", {})
    rows, bars = [], []
    for language in [*_languages(new, active), ""]:
        key = (language, "", "", "", "", "", "")
        name = labels.language_name(language)
        rows.append([name, show(new.get(key)), show(active.get(key))])
        bars += [charts.Bar(name, value(new.get(key)), 0), charts.Bar(name, value(active.get(key)), 1)]
    title = _("New and active profiles")
    block = Block(title, [_("Language"), _("New profiles"), _("Active profiles")], rows,
                  charts.bar_chart(bars, title=title, legend=[_("New profiles"), _("Active profiles")]))  # fmt: skip
    note = _(
        "New: profiles created in the period. Active: profiles that were created, signed in, viewed or completed a "
        "step or answered a questionnaire in the period. Each profile counts once per row; the languages add up to "
        "all languages."
    )
    return Section("profiles", title, note, ("new_profiles", "active_profiles"), [block])


def _funnel(by: dict, labels: Labels) -> Section:
    started, completed = by.get("step_started", {}), by.get("step_completed", {})
    cells = {(key[1], key[2]) for cells in (started, completed) for key in cells if key[0] == ""}
    ordered = sorted(cells, key=lambda cell: labels.steps.get(cell, ((9999, 0, 0), ""))[0])
    rows, bars = [], []
    previous: Decimal | None = None
    for module, step in ordered:
        key = ("", module, step, "", "", "", "")
        begun, done = value(started.get(key)), value(completed.get(key))
        drop = ""
        if previous and begun is not None:
            drop = f"{((1 - begun / previous) * 100).quantize(TENTH, rounding=ROUND_HALF_UP)}%"
        of_started = ""
        if begun and done is not None:
            of_started = f"{(done / begun * 100).quantize(TENTH, rounding=ROUND_HALF_UP)}%"
        previous = begun
        name = f"{labels.module(module)}: {labels.step(module, step)}"
        rows.append([labels.module(module), labels.step(module, step), show(started.get(key)), show(completed.get(key)),
                     of_started, drop])  # fmt: skip
        bars += [charts.Bar(name, begun, 0), charts.Bar(name, done, 1)]
    title = _("Modules and steps: the funnel")
    block = Block(
        title,
        [
            _("Module"),
            _("Step"),
            pgettext("profiles that", "Started"),
            _("Completed"),
            _("Completed, of started"),
            _("Drop-off from the step before"),
        ],
        rows,
        charts.bar_chart(bars, title=title, legend=[pgettext("profiles that", "Started"), _("Completed")]),
    )
    note = _(
        "Profiles that first opened (started) or completed each step in the period, all languages; the CSV has each "
        "language too. Drop-off compares a step's starts with the step before it, from released figures only; it "
        "is empty where either is suppressed."
    )
    return Section("funnel", title, note, ("step_started", "step_completed"), [block])


def _modules(by: dict, labels: Labels) -> Section:
    done, days = by.get("module_completed", {}), by.get("module_days", {})
    languages = _languages(done)
    modules = sorted(
        {key[1] for key in done} | {key[1] for key in days},
        key=lambda code: labels.modules.get(code, ((9999, 0), ""))[0],
    )
    rows = []
    for module in modules:
        row = [labels.module(module)]
        for language in [*languages, ""]:
            row.append(show(done.get((language, module, "", "", "", "", ""))))
        rows.append(row)
    completed = Block(
        _("Module completions by language"),
        [_("Module"), *(labels.language_name(code) for code in languages), _("All languages")],
        rows,
        charts.bar_chart(
            [charts.Bar(labels.module(m), value(done.get(("", m, "", "", "", "", "")))) for m in modules],
            title=_("Module completions"),
        ),
    )
    day_rows = []
    for module in modules:
        row = [labels.module(module)]
        for _low, _high, bucket in DAY_BUCKETS:
            row.append(show(days.get(("", module, "", "", "", "", bucket))))
        row.append(show(days.get(("", module, "", "", "", "", ""))))
        day_rows.append(row)
    timing = Block(_("Days from starting the program to completing each module"),
                   [_("Module"), *(code for _l, _h, code in DAY_BUCKETS), _("Total")], day_rows)  # fmt: skip
    note = _("Profiles that completed each module in the period, and how many days after creating their profile.")
    return Section("modules", _("Module completion"), note, ("module_completed", "module_days"), [completed, timing])


def _responses(by: dict, labels: Labels) -> Section:
    responses = by.get("questionnaire_responses", {})
    groups = sorted(
        {(key[3], key[5]) for key in responses}, key=lambda g: (g[0], labels.occasions.get(g[1], (0, ""))[0])
    )
    rows = []
    for instrument, occasion in groups:
        base = ("", "", "", instrument, "", occasion)
        rows.append([labels.instruments.get(instrument, instrument), labels.occasion(occasion),
                     show(responses.get((*base, "answered"))), show(responses.get((*base, "skipped"))),
                     show(responses.get((*base, "")))])  # fmt: skip
    title = _("Questionnaires: responses and skips")
    block = Block(title, [_("Questionnaire"), _("Occasion"), _("Answered"), _("Skipped"), _("Total")], rows)
    note = _("Profiles that answered or chose to skip each questionnaire at each occasion in the period.")
    return Section("questionnaires", title, note, ("questionnaire_responses",), [block])


def _change(by: dict, labels: Labels) -> Section:
    paired = by.get("paired_change", {})
    groups = sorted({key[3:6] for key in paired})
    rows, points = [], []
    for instrument, item, occasion in groups:
        base = ("", "", "", instrument, item, occasion)
        mean, low, high = (paired.get((*base, name)) for name in ("mean_change", "ci95_low", "ci95_high"))
        label = f"{labels.instruments.get(instrument, instrument)}: {labels.item(instrument, item)}"
        interval = (
            _("suppressed")
            if low is None or low.suppressed
            else _("%(low)s to %(high)s") % {"low": plain_decimal(low.count), "high": plain_decimal(high.count)}
        )
        n = "" if mean is None or mean.n is None else str(mean.n)
        rows.append([label, labels.occasion(occasion), show(mean), interval, n or _("suppressed")])
        points.append((f"{label} ({labels.occasion(occasion)})", value(mean) if mean else None,
                       value(low) if low else None, value(high) if high else None))  # fmt: skip
    title = _("Change from the start")
    # xgettext:no-python-format
    interval_heading = _("Interval (95%)")
    block = Block(title, [_("Measure"), _("Occasion"), _("Mean change"), interval_heading, _("n (pairs)")], rows,
                  charts.interval_chart(points, title=title) if points else None)  # fmt: skip
    note = _(
        "Mean change from the baseline answer to the answer at the end or at follow-up, over the profiles that "
        "answered both (n); a negative change is a lower score. Not released where n is below the threshold."
    )
    return Section("change", title, note, ("paired_change",), [block])


def _items(by: dict, labels: Labels) -> Section:
    options = by.get("item_options", {})
    groups = sorted({key[3:6] for key in options if key[0] == ""},
                    key=lambda g: (g[0], g[1], labels.occasions.get(g[2], (0, ""))[0]))  # fmt: skip
    blocks = []
    for instrument, item, occasion in groups:
        base = ("", "", "", instrument, item, occasion)
        total = options.get((*base, ""))
        cells = sorted(
            key[6] for key in options if key[0] == "" and key[3:6] == (instrument, item, occasion) and key[6]
        )
        rows, bars = [], []
        for category in cells:
            figure = options.get((*base, category))
            rows.append([labels.option(instrument, item, category), show(figure), _percent(figure)])
            bars.append(charts.Bar(labels.option(instrument, item, category), value(figure)))
        rows.append([_("Total (n)"), show(total), ""])
        title = f"{labels.item(instrument, item)} ({labels.occasion(occasion)})"
        blocks.append(
            Block(title, [_("Answer"), _("Profiles"), _("Percent of n")], rows, charts.bar_chart(bars, title=title))
        )
    note = _(
        "For every single-choice and yes/no question: how many profiles chose each answer, of those who answered it "
        "(n), all languages; the CSV has each language too."
    )
    return Section("items", _("Answers to single-choice questions"), note, ("item_options",), blocks)


def _bins(by: dict, labels: Labels) -> Section:
    blocks = []
    for measure, what in (("score_bins", _("Score")), ("number_bins", _("Answer"))):
        cells = by.get(measure, {})
        for instrument, item, occasion in sorted({key[3:6] for key in cells}):
            base = ("", "", "", instrument, item, occasion)
            categories = {key[6] for key in cells if key[3:6] == (instrument, item, occasion) and key[6]}
            rows = [
                [category, show(cells.get((*base, category))), _percent(cells.get((*base, category)))]
                for category in sorted(categories, key=_bin_order)
            ]
            rows.append([_("Total (n)"), show(cells.get((*base, ""))), ""])
            name = f"{labels.instruments.get(instrument, instrument)}: {labels.item(instrument, item)}"
            title = f"{name} ({labels.occasion(occasion)})"
            blocks.append(Block(title, [what, _("Profiles"), _("Percent of n")], rows))
    note = _(
        "Scores of scored questionnaires (in their feedback bands) and numeric answers, in bins, at each occasion."
    )
    return Section("distributions", _("Scores and numeric answers"), note, ("score_bins", "number_bins"), blocks)


def _bin_order(code: str) -> tuple[float, str]:
    head = code.split("-")[0].rstrip("+")
    try:
        return float(head), code
    except ValueError:
        return float("inf"), code


def _helplines(by: dict) -> Section:
    views = by.get("helpline_views", {})
    rows = [
        [_("No country chosen") if key[6] == "none" else country_name(key[6], get_language()), show(figure)]
        for key, figure in sorted(views.items())
        if key[6]
    ]
    rows.append([_("All views"), show(views.get(("", "", "", "", "", "", "")))])
    title = _("Helpline page views")
    block = Block(title, [_("Country filter"), _("Views")], rows)
    note = _(
        "Views of the helpline directory, by the country chosen on it: an anonymous daily counter with no link to "
        "any profile, so these are views, not people."
    )
    return Section("helplines", title, note, ("helpline_views",), [block])
