"""Synthetic help-seekers for the monthly release benchmark, in a database of their own.

Usage: ``.venv/bin/python -m bench.release_data --profiles 100000`` (``make bench-release``).

Creates ``redirection_bench_release_<profiles>`` on the local PostgreSQL (or ``--database``),
migrates it, loads the sample program and writes ``--profiles`` synthetic help-seekers with
``questionnaires.synthetic.generate``:

- 80% start between 2026-05-01 and 2026-11-30, so most started months before the
  benchmarked month (November 2026) and some are still going in it;
- 20% start in November 2026, which is therefore heavily populated (about 31% of all
  profiles are new in it, 41% active in it).

Nobody acts after 2026-11-30. The drop-off is the generator's: each step is left
unfinished (ending that person's journey) with a chance of 7%, and ``--keep-going`` (1.0
here: no more than that) is the chance of going on to the next step; people who started
late run out of time. About 41% reach step 10 of 26 and 10% the last one (printed as
"reached"). Every completed step also gets answers to its exercises, written in SQL
(``EXERCISE_ANSWERS``): the release never reads them, but they are the "answers" of a real
database and give its help-seeker tables their size. The helpline directory's daily
counters are filled too. Finally ``VACUUM ANALYZE``.

A database that already holds data written with the same arguments is reused as it is: the
arguments and the counts are kept in a table of its own, ``bench_release_data``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import bench_env

SERVER = "postgres://postgres@127.0.0.1:5432"
SPREAD_START = date(2026, 5, 1)
MONTH_START = date(2026, 11, 1)
END = date(2026, 11, 30)  # the last day anyone acts: the benchmarked month's last day
SPREAD_SHARE = 0.8
LANGUAGES = ("en", "fi", "es")
LANGUAGE_WEIGHTS = (0.6, 0.25, 0.15)
COUNTRIES = ("", "fi", "se", "es", "de", "gb", "us")
KEEP_GOING = 1.0
META = "bench_release_data"
# Bump when the way the data is made changes, so an old database is not reused.
VERSION = 1


def database_name(profiles: int) -> str:
    return f"redirection_bench_release_{profiles}"


def database_url(name: str) -> str:
    return f"{SERVER}/{name}"


def parameters(profiles: int, keep_going: float, seed: int) -> dict[str, object]:
    return {
        "version": VERSION,
        "profiles": profiles,
        "keep_going": keep_going,
        "seed": seed,
        "spread": [str(SPREAD_START), str(END), SPREAD_SHARE],
        "month": [str(MONTH_START), str(END)],
        "languages": list(LANGUAGES),
        "language_weights": list(LANGUAGE_WEIGHTS),
    }


def stored(name: str) -> dict[str, object] | None:
    """What the database was filled with, or None if it is missing or was not filled."""
    import psycopg

    try:
        with psycopg.connect(database_url(name)) as connection:
            row = connection.execute(f"SELECT parameters, written FROM {META}").fetchone()  # noqa: S608
    except psycopg.Error:
        return None
    return {"parameters": row[0], "written": row[1]} if row else None


def recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def fill(name: str, profiles: int, keep_going: float, seed: int) -> dict[str, int]:
    """Migrate, load the sample program and write the help-seekers (in this process)."""
    os.environ.update(bench_env(DATABASE_URL=database_url(name)))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from modules.models import HelplineDirectoryView, Program
    from questionnaires import synthetic

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_program", "programs/sample", verbosity=0)
    program = Program.objects.get(slug="sample")
    spread = round(profiles * SPREAD_SHARE)
    written = synthetic.Written()
    for part, (count, start, part_seed) in enumerate(
        ((spread, SPREAD_START, seed), (profiles - spread, MONTH_START, seed + 1))
    ):
        began = time.monotonic()
        more = synthetic.generate(
            program=program, profiles=count, start=start, end=END, seed=part_seed, languages=LANGUAGES,
            language_weights=LANGUAGE_WEIGHTS, keep_going=keep_going,
        )  # fmt: skip
        print(
            f"part {part + 1}: {count} profiles from {start}, {more.rows():,} rows in {time.monotonic() - began:.0f} s"
        )
        written += more
    answers = exercise_answers(connection)
    print(f"exercise answers: {answers:,}")
    # The helpline directory's anonymous counters: a few views a day per country filter.
    rng = random.Random(seed)
    views, day = [], SPREAD_START
    while day <= END:
        for country in COUNTRIES:
            views.append(
                HelplineDirectoryView(day=day, country=country, views=rng.randint(0, max(1, profiles // 2000)))
            )
        day += timedelta(days=1)
    HelplineDirectoryView.objects.bulk_create(views)
    counts = {
        "profiles": written.profiles,
        "step_progress": written.step_progress,
        "module_completions": written.module_completions,
        "questionnaire_responses": written.responses,
        "item_responses": written.item_responses,
        "helpline_view_days": len(views),
        "exercise_answers": answers,
        "progress_responses_and_item_responses": written.step_progress + written.responses + written.item_responses,
        "progress_responses_and_all_answers": written.step_progress
        + written.responses
        + written.item_responses
        + answers,
        "all_rows": written.rows() + answers + len(views),
    }
    counts_funnel = funnel(connection, written.profiles)
    print(f"reached: {counts_funnel}")
    counts["reached"] = counts_funnel  # type: ignore[assignment]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {META} (parameters jsonb NOT NULL, written jsonb NOT NULL)")
        cursor.execute(
            f"INSERT INTO {META} VALUES (%s, %s)",  # noqa: S608
            [json.dumps(parameters(profiles, keep_going, seed)), json.dumps(counts)],
        )
    connection.close()
    return counts


# Answers to the exercises of every completed step ("save and continue" posts them), made in SQL from
# hashes of the ids, so the same data gives the same answers: a choice among the block's
# options, a 0-10 value, or, for free text and plan items, 284 bytes standing for the
# ciphertext of a padded answer (what the product stores). The release never reads them;
# they give the help-seeker tables their real size.
EXERCISE_ANSWERS = """
INSERT INTO helpseekers_exerciseanswer (id, profile_id, block_id, updated_on, encrypted_text, choices, scale_value)
SELECT md5(h.seed)::uuid, sp.profile_id, b.id, sp.completed_on,
       CASE WHEN b.kind IN ('free_text', 'plan_item')
            THEN substring(decode(repeat(md5(h.seed || 'text'), 18), 'hex') FOR 284) END,
       CASE WHEN b.kind IN ('single_choice', 'multiple_choice')
            THEN jsonb_build_array(o.values[1 + h.number % cardinality(o.values)]) END,
       CASE WHEN b.kind = 'scale' THEN h.number % 11 END
FROM helpseekers_stepprogress sp
JOIN modules_block b ON b.step_id = sp.step_id AND b.retired_on IS NULL
     AND b.kind IN ('free_text', 'plan_item', 'single_choice', 'multiple_choice', 'scale')
LEFT JOIN LATERAL (SELECT array_agg(bo.value ORDER BY bo.position) AS values
                   FROM modules_blockoption bo WHERE bo.block_id = b.id) o ON true
CROSS JOIN LATERAL (SELECT sp.id::text || '/' || b.id AS seed) s
CROSS JOIN LATERAL (SELECT s.seed,
                           ('x' || substr(md5(s.seed), 1, 8))::bit(32)::bigint & 2147483647 AS number) h
WHERE sp.completed_on IS NOT NULL
  AND (b.kind NOT IN ('single_choice', 'multiple_choice') OR cardinality(o.values) > 0)
"""


# The drop-off: the share of profiles that reached the n-th step of the (live) program, in order.
FUNNEL = """
WITH ordered AS (
    SELECT st.id, ROW_NUMBER() OVER (ORDER BY m.position, st.position) AS number
    FROM modules_step st JOIN modules_module m ON m.id = st.module_id
    JOIN modules_program pr ON pr.id = m.program_id
    WHERE st.retired_on IS NULL AND m.retired_on IS NULL AND pr.draft_of_id IS NULL
)
SELECT o.number, COUNT(*) FROM helpseekers_stepprogress sp JOIN ordered o ON o.id = sp.step_id
GROUP BY o.number ORDER BY o.number
"""


def funnel(connection: object, profiles: int) -> dict[str, float]:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(FUNNEL)
        reached = dict(cursor.fetchall())
    last = max(reached, default=0)
    return {f"step {n}": round(reached.get(n, 0) / profiles, 3) for n in (1, 2, 5, 10, 15, 20, last) if n}


def exercise_answers(connection: object) -> int:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(EXERCISE_ANSWERS)
        return int(cursor.rowcount)


def analyse(name: str) -> None:
    """Vacuum and analyse, so the planner has statistics and index-only scans can be used."""
    import psycopg

    with psycopg.connect(database_url(name), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def ensure(profiles: int, *, name: str | None = None, keep_going: float = KEEP_GOING, seed: int = 1) -> dict:
    """The database's name and what it holds, filling it first unless it holds this data."""
    name = name or database_name(profiles)
    found = stored(name)
    if found is not None and found["parameters"] == parameters(profiles, keep_going, seed):
        print(f"{name}: reused, already filled with these arguments (migrated to this code)")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            env={**os.environ, **bench_env(DATABASE_URL=database_url(name))},
            cwd=Path(__file__).resolve().parent.parent,
            check=True,
        )
        return {"database": name, "reused": True, **found}
    recreate(name)
    began = time.monotonic()
    counts = fill(name, profiles, keep_going, seed)
    analyse(name)
    seconds = round(time.monotonic() - began)
    print(f"{name}: filled in {seconds} s")
    return {"database": name, "reused": False, "seconds": seconds, "written": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--database", help="default: redirection_bench_release_<profiles>")
    parser.add_argument("--keep-going", type=float, default=KEEP_GOING)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    result = ensure(arguments.profiles, name=arguments.database, keep_going=arguments.keep_going, seed=arguments.seed)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
