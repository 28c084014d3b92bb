"""The monthly release against hand-written SQL computing the same figures, on PostgreSQL.

Usage: ``make bench-release`` (or ``.venv/bin/python -m bench.release --profiles 10000 100000``,
after ``python -m bench.release_data`` for each size; it is run here too when missing).

For each size, in the database ``bench.release_data`` filled:

1. **Check.** A worker process computes every measure's raw cells for November 2026 with the
   job's own ``analytics.jobs.fill``; the hand-written SQL below computes them too, and every
   cell (counts, and the paired change's sums) must agree, or the run stops.
2. **Rounds** (``BENCH_ROUNDS``, default 3), alternating:
   (a) the job: a fresh worker process runs ``release_period(month(2026, 11))``, the whole
   release (12 ``INSERT … SELECT`` aggregates, the release rule and its linear-programming
   audit, storing the release and its figures), timed in-process from the call to its return;
   its peak RSS (``ru_maxrss``) is that process's. The release is then deleted.
   (b) the floor: the hand-written SQL, on a new connection, every result fetched, timed
   from connecting to the last row.
3. The report: medians, the ratio job ÷ hand-written SQL, where the job's time goes (each
   measure's fill, i.e. its SQL with the fill state's bookkeeping; the audit; the rest of
   storing), the suppressed cells, the cells the audit checked and the worker's peak RSS.
   Kept in ``bench/results/release.json``.

Targets: the job at most 1.5 times the hand-written SQL at the largest size (100k profiles,
the issue's; the smaller sizes' ratios are reported too); the worker's peak RSS flat from
10k to 100k profiles (at most 10% more). The wrappers that time the parts only read the
clock around the job's own functions.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench.common import ROOT, ROUNDS, bench_env, save_report
from bench.release_data import database_name, database_url, stored

YEAR, MONTH = 2026, 11
START, END = date(2026, 11, 1), date(2026, 12, 1)  # END exclusive
TARGET_RATIO = 1.5
RSS_FLAT = 1.10  # the largest size's peak RSS at most this times the smallest's
WORKER_TIMEOUT = 1800
RESULT = "RESULT "

# --- The floor: hand-written SQL --------------------------------------------------------------
#
# Written by hand for this benchmark, not built from ``analytics.measures``: one SELECT per
# measure (two for the paired change), each counting distinct profiles with GROUP BY
# GROUPING SETS, the by-language and all-language rows and the partitions' totals in one
# pass. Every row: measure, language, module, step, instrument, item, occasion, category,
# count, sum of changes, sum of squared changes; "" where a dimension does not apply.

HAND_SQL: tuple[tuple[str, str], ...] = (
    (
        "new_profiles",
        """
SELECT 'new_profiles', COALESCE(p.language, ''), '', '', '', '', '', '', COUNT(DISTINCT p.id), NULL, NULL
FROM helpseekers_helpseekerprofile p
WHERE p.created_on >= %(start)s AND p.created_on < %(end)s
GROUP BY GROUPING SETS ((p.language), ())
""",
    ),
    (
        "active_profiles",
        """
WITH active AS (
    SELECT p.id, p.language FROM helpseekers_helpseekerprofile p
    WHERE (p.created_on >= %(start)s AND p.created_on < %(end)s)
       OR (p.last_active_on >= %(start)s AND p.last_active_on < %(end)s)
    UNION
    SELECT p.id, p.language FROM helpseekers_stepprogress sp
    JOIN helpseekers_helpseekerprofile p ON p.id = sp.profile_id
    WHERE (sp.first_viewed_on >= %(start)s AND sp.first_viewed_on < %(end)s)
       OR (sp.completed_on >= %(start)s AND sp.completed_on < %(end)s)
    UNION
    SELECT p.id, p.language FROM questionnaires_questionnaireresponse r
    JOIN helpseekers_helpseekerprofile p ON p.id = r.profile_id
    WHERE r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
)
SELECT 'active_profiles', COALESCE(language, ''), '', '', '', '', '', '', COUNT(DISTINCT id), NULL, NULL
FROM active
GROUP BY GROUPING SETS ((language), ())
""",
    ),
    *(
        (
            measure,
            f"""
SELECT '{measure}', COALESCE(p.language, ''), m.slug, st.slug, '', '', '', '', COUNT(DISTINCT sp.profile_id),
       NULL, NULL
FROM helpseekers_stepprogress sp
JOIN helpseekers_helpseekerprofile p ON p.id = sp.profile_id
JOIN modules_step st ON st.id = sp.step_id
JOIN modules_module m ON m.id = st.module_id
WHERE sp.{column} >= %(start)s AND sp.{column} < %(end)s
GROUP BY GROUPING SETS ((p.language, m.slug, st.slug), (m.slug, st.slug))
""",  # noqa: S608 - constants only
        )
        for measure, column in (("step_started", "first_viewed_on"), ("step_completed", "completed_on"))
    ),
    (
        "module_completed",
        """
SELECT 'module_completed', COALESCE(p.language, ''), m.slug, '', '', '', '', '', COUNT(DISTINCT mc.profile_id),
       NULL, NULL
FROM helpseekers_modulecompletion mc
JOIN helpseekers_helpseekerprofile p ON p.id = mc.profile_id
JOIN modules_module m ON m.id = mc.module_id
WHERE mc.completed_on >= %(start)s AND mc.completed_on < %(end)s
GROUP BY GROUPING SETS ((p.language, m.slug), (m.slug))
""",
    ),
    (
        "module_days",
        """
SELECT 'module_days', '', m.slug, '', '', '', '', COALESCE(d.bucket, ''), COUNT(DISTINCT mc.profile_id), NULL, NULL
FROM helpseekers_modulecompletion mc
JOIN helpseekers_helpseekerprofile p ON p.id = mc.profile_id
JOIN modules_module m ON m.id = mc.module_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN mc.completed_on - p.created_on < 0 THEN 'other'
                WHEN mc.completed_on - p.created_on <= 6 THEN '0-6'
                WHEN mc.completed_on - p.created_on <= 13 THEN '7-13'
                WHEN mc.completed_on - p.created_on <= 29 THEN '14-29'
                WHEN mc.completed_on - p.created_on <= 89 THEN '30-89'
                ELSE '90+' END AS bucket
) d
WHERE mc.completed_on >= %(start)s AND mc.completed_on < %(end)s
GROUP BY GROUPING SETS ((m.slug, d.bucket), (m.slug))
""",
    ),
    (
        "questionnaire_responses",
        """
SELECT 'questionnaire_responses', '', '', '', ins.slug, '', o.slug,
       COALESCE(CASE WHEN r.skipped THEN 'skipped' ELSE 'answered' END, ''), COUNT(DISTINCT r.profile_id), NULL, NULL
FROM questionnaires_questionnaireresponse r
JOIN questionnaires_occasion o ON o.id = r.occasion_id
JOIN questionnaires_instrument ins ON ins.id = o.instrument_id
WHERE r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
GROUP BY GROUPING SETS ((ins.slug, o.slug, CASE WHEN r.skipped THEN 'skipped' ELSE 'answered' END),
                        (ins.slug, o.slug))
""",
    ),
    (
        "item_options",
        """
SELECT 'item_options', COALESCE(p.language, ''), '', '', ins.slug, it.slug, o.slug, COALESCE(ir.option_value, ''),
       COUNT(DISTINCT r.profile_id), NULL, NULL
FROM questionnaires_itemresponse ir
JOIN questionnaires_questionnaireresponse r ON r.id = ir.response_id
JOIN questionnaires_item it ON it.id = ir.item_id
JOIN helpseekers_helpseekerprofile p ON p.id = r.profile_id
JOIN questionnaires_occasion o ON o.id = r.occasion_id
JOIN questionnaires_instrument ins ON ins.id = o.instrument_id
WHERE it.kind IN ('single_choice', 'yes_no') AND ir.option_value IS NOT NULL AND NOT r.skipped
  AND r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
GROUP BY GROUPING SETS ((p.language, ins.slug, it.slug, o.slug, ir.option_value),
                        (p.language, ins.slug, it.slug, o.slug),
                        (ins.slug, it.slug, o.slug, ir.option_value),
                        (ins.slug, it.slug, o.slug))
""",
    ),
    (
        "score_bins",
        """
WITH bands AS (
    SELECT fb.instrument_id, fb.lower, fb.upper,
           fb.upper = MAX(fb.upper) OVER (PARTITION BY fb.instrument_id) AS top,
           trim_scale(fb.lower)::text || '-' || trim_scale(fb.upper)::text AS code
    FROM questionnaires_feedbackband fb WHERE fb.subscale_id IS NULL
)
SELECT 'score_bins', '', '', '', ins.slug, '', o.slug, COALESCE(COALESCE(b.code, 'other'), ''),
       COUNT(DISTINCT r.profile_id), NULL, NULL
FROM questionnaires_questionnaireresponse r
JOIN questionnaires_occasion o ON o.id = r.occasion_id
JOIN questionnaires_instrument ins ON ins.id = o.instrument_id
LEFT JOIN bands b ON b.instrument_id = ins.id AND r.score >= b.lower
                 AND (r.score < b.upper OR (b.top AND r.score = b.upper))
WHERE r.score IS NOT NULL AND ins.is_scored AND r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
GROUP BY GROUPING SETS ((ins.slug, o.slug, COALESCE(b.code, 'other')), (ins.slug, o.slug))
""",
    ),
    (
        "number_bins",
        """
WITH numeric_items AS (
    SELECT id, min_value AS low, max_value AS high FROM questionnaires_item WHERE kind IN ('scale', 'number')
), bins AS (
    -- short scales (0-10): pairs of values
    SELECT i.id AS item_id, a AS low, LEAST(a + 1, i.high) AS high,
           CASE WHEN a + 1 <= i.high THEN a || '-' || (a + 1) ELSE a::text END AS code
    FROM numeric_items i, generate_series(i.low, i.high, 2) AS a
    WHERE i.high - i.low <= 10
    UNION ALL
    -- wider numbers: the lowest value alone, then bins 4, 8, 16, ... wide
    SELECT i.id, i.low, i.low, i.low::text FROM numeric_items i WHERE i.high - i.low > 10
    UNION ALL
    SELECT i.id, w.low, LEAST(w.high, i.high),
           CASE WHEN LEAST(w.high, i.high) > w.low THEN w.low || '-' || LEAST(w.high, i.high) ELSE w.low::text END
    FROM numeric_items i, generate_series(0, 20) AS j,
         LATERAL (SELECT i.low + 1 + 4 * ((1 << j) - 1) AS low, i.low + 4 * ((1 << (j + 1)) - 1) AS high) w
    WHERE i.high - i.low > 10 AND w.low <= i.high
)
SELECT 'number_bins', '', '', '', ins.slug, it.slug, o.slug, COALESCE(COALESCE(b.code, 'other'), ''),
       COUNT(DISTINCT r.profile_id), NULL, NULL
FROM questionnaires_itemresponse ir
JOIN questionnaires_questionnaireresponse r ON r.id = ir.response_id
JOIN questionnaires_item it ON it.id = ir.item_id
JOIN questionnaires_occasion o ON o.id = r.occasion_id
JOIN questionnaires_instrument ins ON ins.id = o.instrument_id
LEFT JOIN bins b ON b.item_id = ir.item_id AND ir.number BETWEEN b.low AND b.high
WHERE it.kind IN ('scale', 'number') AND ir.number IS NOT NULL AND NOT r.skipped
  AND r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
GROUP BY GROUPING SETS ((ins.slug, it.slug, o.slug, COALESCE(b.code, 'other')), (ins.slug, it.slug, o.slug))
""",
    ),
    (
        "paired_change",
        """
SELECT 'paired_change', '', '', '', ins.slug, '', o.slug, '', COUNT(DISTINCT r.profile_id),
       SUM(r.score - b.score), SUM((r.score - b.score) * (r.score - b.score))
FROM questionnaires_questionnaireresponse r
JOIN questionnaires_occasion o ON o.id = r.occasion_id
JOIN questionnaires_instrument ins ON ins.id = o.instrument_id
JOIN questionnaires_occasion bo ON bo.instrument_id = o.instrument_id AND bo.program_id = o.program_id
                               AND bo.kind = 'baseline'
JOIN questionnaires_questionnaireresponse b ON b.occasion_id = bo.id AND b.profile_id = r.profile_id AND NOT b.skipped
WHERE o.kind IN ('end', 'follow_up') AND NOT r.skipped AND ins.is_scored
  AND r.score IS NOT NULL AND b.score IS NOT NULL
  AND r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
GROUP BY ins.slug, o.slug
""",
    ),
    (
        "paired_change",
        """
SELECT 'paired_change', '', '', '', ins.slug, it.slug, o.slug, '', COUNT(DISTINCT r.profile_id),
       SUM(ri.number - bi.number), SUM((ri.number - bi.number) * (ri.number - bi.number))
FROM questionnaires_questionnaireresponse r
JOIN questionnaires_occasion o ON o.id = r.occasion_id
JOIN questionnaires_instrument ins ON ins.id = o.instrument_id
JOIN questionnaires_occasion bo ON bo.instrument_id = o.instrument_id AND bo.program_id = o.program_id
                               AND bo.kind = 'baseline'
JOIN questionnaires_questionnaireresponse b ON b.occasion_id = bo.id AND b.profile_id = r.profile_id AND NOT b.skipped
JOIN questionnaires_itemresponse ri ON ri.response_id = r.id
JOIN questionnaires_item it ON it.id = ri.item_id
JOIN questionnaires_itemresponse bi ON bi.response_id = b.id AND bi.item_id = ri.item_id
WHERE o.kind IN ('end', 'follow_up') AND NOT r.skipped AND it.kind IN ('scale', 'number')
  AND ri.number IS NOT NULL AND bi.number IS NOT NULL
  AND r.submitted_on >= %(start)s AND r.submitted_on < %(end)s
GROUP BY ins.slug, it.slug, o.slug
""",
    ),
    (
        "helpline_views",
        """
SELECT 'helpline_views', '', '', '', '', '', '', COALESCE(COALESCE(NULLIF(hv.country, ''), 'none'), ''),
       SUM(hv.views), NULL, NULL
FROM modules_helplinedirectoryview hv
WHERE hv.day >= %(start)s AND hv.day < %(end)s
GROUP BY GROUPING SETS ((COALESCE(NULLIF(hv.country, ''), 'none')), ())
""",
    ),
)

Cell = tuple[str, ...]  # measure, then the seven dimensions
Value = tuple[int, Decimal | None, Decimal | None]


def hand_sql(name: str) -> tuple[float, dict[str, float], dict[Cell, Value]]:
    """Run the hand-written SQL on a new connection; its time, each measure's, and the cells."""
    import psycopg

    params = {"start": START, "end": END}
    cells: dict[Cell, Value] = {}
    each: dict[str, float] = {}
    began = time.perf_counter()
    with psycopg.connect(database_url(name), options="-c statement_timeout=600000") as connection:
        for measure, sql in HAND_SQL:
            started = time.perf_counter()
            rows = connection.execute(sql, params).fetchall()
            each[measure] = each.get(measure, 0.0) + time.perf_counter() - started
            for row in rows:
                cells[tuple(row[:8])] = (int(row[8]), row[9], row[10])
    return time.perf_counter() - began, each, cells


# --- The job, in a worker process ---------------------------------------------------------------


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _worker(mode: str) -> None:
    """In a fresh process: ``verify`` prints the job's raw cells, ``release`` times a release."""
    import django

    django.setup()
    from analytics import disclosure, jobs
    from analytics.measures import COLUMNS, MEASURES, Codes
    from analytics.models import FillState, RawCell, ReleasedFigure
    from analytics.periods import month

    period = month(YEAR, MONTH)
    if mode == "verify":
        codes = Codes.for_installation()
        for measure in MEASURES:
            jobs.fill(measure, period, codes=codes)
        rows = [
            [
                *row[1:-3],
                int(row[-3]),
                None if row[-2] is None else str(row[-2]),
                None if row[-1] is None else str(row[-1]),
            ]
            for row in RawCell.objects.filter(period=period.label).values_list(*COLUMNS)
        ]
        RawCell.objects.filter(period=period.label).delete()
        FillState.objects.filter(period=period.label).delete()
        print(RESULT + json.dumps({"cells": rows}))
        return

    # Wrappers that only read the clock, to tell where the time goes.
    fills: dict[str, float] = {}
    spent = {"audit": 0.0, "store": 0.0, "linear_programs": 0}
    fill, protect, store = jobs.fill, disclosure.protect, jobs._store
    extremes = {kind: kind.extreme for kind in (disclosure._HighsProgram, disclosure._LinprogProgram)}

    def timed_fill(measure: Any, period: Any, *, codes: Any) -> None:
        started = time.perf_counter()
        fill(measure, period, codes=codes)
        fills[measure.slug] = time.perf_counter() - started

    def timed(function: Any, bucket: str) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[bucket] += time.perf_counter() - started

        return run

    def counted(kind: Any) -> Any:
        def extreme(self: Any, column: int, *, largest: bool) -> float:
            spent["linear_programs"] += 1  # one solve: a cell's smallest or largest value
            return extremes[kind](self, column, largest=largest)

        return extreme

    jobs.fill, disclosure.protect, jobs._store = timed_fill, timed(protect, "audit"), timed(store, "store")
    for kind in extremes:
        kind.extreme = counted(kind)
    ready_rss = _rss_mib()
    began = time.perf_counter()
    release = jobs.release_period(period)
    seconds = time.perf_counter() - began
    peak_rss = _rss_mib()
    print(
        RESULT
        + json.dumps(
            {
                "seconds": seconds,
                "fill_seconds": sum(fills.values()),
                "fill_by_measure": fills,
                "audit_seconds": spent["audit"],
                "store_other_seconds": spent["store"] - spent["audit"],
                "linear_programs": spent["linear_programs"],
                "suppressed": release.suppressed,
                "cells_checked": release.cells_checked,
                "figures": ReleasedFigure.objects.filter(release=release).count(),
                "rss_after_setup_mib": round(ready_rss, 1),
                "peak_rss_mib": round(peak_rss, 1),
            }
        )
    )


def run_worker(name: str, mode: str) -> dict[str, Any]:
    env = bench_env(DATABASE_URL=database_url(name))
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bench.release", "--worker", mode],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=WORKER_TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"worker {mode} failed:\n{result.stdout}\n{result.stderr}")
    line = next(line for line in reversed(result.stdout.splitlines()) if line.startswith(RESULT))
    return {**json.loads(line[len(RESULT) :]), "process_seconds": time.perf_counter() - began}


def clean(name: str) -> None:
    """Delete every release, figure and working row, so the next run computes again."""
    import psycopg

    tables = ("analytics_releasedfigure", "analytics_release", "analytics_rawcell", "analytics_fillstate")
    with psycopg.connect(database_url(name), autocommit=True) as connection:
        for table in tables:
            connection.execute(f"DELETE FROM {table}")  # noqa: S608
        connection.execute(f"VACUUM ANALYZE {', '.join(tables)}")


# --- The comparison ------------------------------------------------------------------------------


def verify(name: str, hand: dict[Cell, Value]) -> dict[str, Any]:
    """Every raw cell of the job equals the hand-written SQL's, and no cell is missing."""
    job: dict[Cell, Value] = {}
    for row in run_worker(name, "verify")["cells"]:
        job[tuple(row[:8])] = (
            row[8],
            None if row[9] is None else Decimal(row[9]),
            None if row[10] is None else Decimal(row[10]),
        )
    differing = sorted(key for key in job.keys() | hand.keys() if job.get(key) != hand.get(key))
    if differing:
        lines = [f"{key}: job {job.get(key)}, hand-written {hand.get(key)}" for key in differing[:20]]
        raise SystemExit(f"{len(differing)} cells differ:\n" + "\n".join(lines))
    by_measure: dict[str, int] = {}
    for key in job:
        by_measure[key[0]] = by_measure.get(key[0], 0) + 1
    totals = {
        measure: job[(measure, *("",) * 7)][0]
        for measure in ("new_profiles", "active_profiles")
        if (measure, *("",) * 7) in job
    }
    totals["step_completed (sum of cells, all languages)"] = sum(
        value[0] for key, value in job.items() if key[0] == "step_completed" and key[1] == ""
    )
    totals["item_options (sum of totals, all languages)"] = sum(
        value[0] for key, value in job.items() if key[0] == "item_options" and key[1] == "" and key[7] == ""
    )
    return {"cells_compared": len(job), "all_equal": True, "cells_by_measure": by_measure, "some_totals": totals}


def bench_size(profiles: int, rounds: int) -> dict[str, Any]:
    name = database_name(profiles)
    # Fills the database unless it holds this data already.
    subprocess.run([sys.executable, "-m", "bench.release_data", "--profiles", str(profiles)], cwd=ROOT, check=True)
    data = stored(name)
    assert data is not None
    clean(name)
    _, _, hand = hand_sql(name)  # also warms the caches for both sides
    check = verify(name, hand)
    jobs_runs: list[dict[str, Any]] = []
    hand_runs: list[tuple[float, dict[str, float]]] = []
    for _ in range(rounds):
        clean(name)
        jobs_runs.append(run_worker(name, "release"))
        clean(name)
        seconds, each, cells = hand_sql(name)
        if cells != hand:
            raise SystemExit("the hand-written SQL gave different cells between runs")
        hand_runs.append((seconds, each))
    job_median = statistics.median(run["seconds"] for run in jobs_runs)
    hand_median = statistics.median(seconds for seconds, _ in hand_runs)
    middle = sorted(jobs_runs, key=lambda run: run["seconds"])[len(jobs_runs) // 2]
    hand_middle = sorted(hand_runs, key=lambda run: run[0])[len(hand_runs) // 2][1]

    def r3(value: float) -> float:
        return round(value, 3)

    return {
        "profiles": profiles,
        "database": name,
        "rows": data["written"],
        "check": check,
        "rounds": rounds,
        "job_seconds_median": r3(job_median),
        "hand_sql_seconds_median": r3(hand_median),
        "ratio": r3(job_median / hand_median),
        "job_runs": [r3(run["seconds"]) for run in jobs_runs],
        "hand_sql_runs": [r3(seconds) for seconds, _ in hand_runs],
        "job_breakdown_median_run": {
            "fill_seconds": r3(middle["fill_seconds"]),
            "audit_seconds": r3(middle["audit_seconds"]),
            "store_other_seconds": r3(middle["store_other_seconds"]),
            "lock_and_rest_seconds": r3(
                middle["seconds"] - middle["fill_seconds"] - middle["audit_seconds"] - middle["store_other_seconds"]
            ),
            "linear_programs": middle["linear_programs"],
            "fill_by_measure": {measure: r3(value) for measure, value in middle["fill_by_measure"].items()},
            "hand_sql_by_measure": {measure: r3(value) for measure, value in hand_middle.items()},
        },
        "suppressed": middle["suppressed"],
        "cells_checked": middle["cells_checked"],
        "figures": middle["figures"],
        "worker_rss_after_setup_mib": [run["rss_after_setup_mib"] for run in jobs_runs],
        "worker_peak_rss_mib": [run["peak_rss_mib"] for run in jobs_runs],
        "worker_process_seconds": [r3(run["process_seconds"]) for run in jobs_runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--worker", choices=("verify", "release"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        _worker(arguments.worker)
        return
    sizes = [bench_size(profiles, arguments.rounds) for profiles in arguments.profiles]
    peaks = [max(size["worker_peak_rss_mib"]) for size in sizes]
    report: dict[str, Any] = {
        "period": f"{YEAR}-{MONTH:02d}",
        "target_ratio": TARGET_RATIO,
        "sizes": sizes,
        "ratios": {size["profiles"]: size["ratio"] for size in sizes},
        # the size: the largest one run
        "meets_ratio_target": sizes[-1]["ratio"] <= TARGET_RATIO,
    }
    if len(sizes) > 1:
        report["peak_rss_largest_over_smallest"] = round(peaks[-1] / peaks[0], 3)
        report["rss_flat"] = peaks[-1] <= peaks[0] * RSS_FLAT
    save_report("release", report)
    sys.exit(0 if report["meets_ratio_target"] and report.get("rss_flat", True) else 1)


if __name__ == "__main__":
    main()
