"""SECURITY.md names the test that proves each promise: every test file and test it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_the_threat_model_names_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)
    assert len(named) >= 15
    for path, test in named:
        source = ROOT / path
        assert source.is_file(), path
        if test:
            assert re.search(rf"^def {test}\(", source.read_text(), re.M), f"{path}::{test}"
    # a file named without its folder (test_x.py, after a full path in the same cell) exists somewhere in tests/
    for short in re.findall(r"`(test_\w+\.py)(?:::(\w+))?`", text):
        assert list((ROOT / "tests").rglob(short[0])), short[0]


def test_the_abuse_suite_index_names_existing_tests_and_counts_them() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    heading = re.search(r"^## The abuse suite: (\d+) tests$", text, re.M)
    assert heading, "SECURITY.md has an abuse-suite section that gives its count"
    section = text[heading.end() :].split("\n## ", 1)[0]
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", section))
    for path, test in named:
        assert re.search(rf"^def {test}\(", (ROOT / path).read_text(), re.M), f"{path}::{test}"
    assert len(named) == int(heading.group(1)), f"the section names {len(named)} tests"
