"""Program bundles: the round trip is exact, loading is idempotent and publishes the complete
languages, and a bad bundle names its file, key and reason and changes nothing."""

import filecmp
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import transaction

from authoring.bundles.format import BundleError
from authoring.bundles.program import bundle_read
from authoring.services import program_export_path, program_load_path
from modules.models import Block, BlockOption, Helpline, Module, Program, Step
from questionnaires.models import Item, Occasion
from tests.factories import course


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def course_bundle(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test course in English and Finnish as a bundle, exported once (nothing stays in the database)."""
    path = tmp_path_factory.mktemp("course") / "bundle"
    with django_db_blocker.unblock(), transaction.atomic():
        program_export_path(program=course(languages=("en", "fi")).program, path=path)
        transaction.set_rollback(True)
    return path


@pytest.fixture
def bundle(db: None, tmp_path: Path, course_bundle: Path) -> Path:
    """A copy of the course bundle for one test to load or break; the database holds no content."""
    return Path(shutil.copytree(course_bundle, tmp_path / "bundle"))


@pytest.mark.django_db
def test_load_then_export_gives_identical_files(bundle: Path, tmp_path: Path) -> None:
    program, changed = program_load_path(path=bundle)
    program_export_path(program=program, path=tmp_path / "again")

    assert changed
    assert _tree(bundle) == _tree(tmp_path / "again")
    assert len(_tree(bundle)) == 19


@pytest.mark.django_db
def test_the_urge_now_texts_and_choices_load_and_a_missing_translation_holds_back_the_language(bundle: Path) -> None:
    program, _changed = program_load_path(path=bundle)

    assert program.urge_words == ["first/why/reasons", "first/plan/first-link"]
    assert program.setback_step == "second/waves"
    assert (program.urge_guidance_en, program.urge_line_fi) == (
        "Step **away** from the device.",
        "FI Never seek contact with a child.",
    )
    _break(bundle, "fi/program.yaml", "  line: FI Never seek contact with a child.\n", "")
    program, _changed = program_load_path(path=bundle)
    assert program.published_languages == ["en"], "the urge texts are part of a complete language"


@pytest.mark.django_db
def test_a_repeating_occasion_loads_and_exports_as_written(bundle: Path, tmp_path: Path) -> None:
    _break(bundle, "program.yaml", "  kind: end\n", "  kind: repeating\n  every_days: 7\n  times: 12\n")

    program, _changed = program_load_path(path=bundle)
    program_export_path(program=program, path=tmp_path / "again")

    assert _tree(bundle) == _tree(tmp_path / "again")
    assert Occasion.objects.filter(slug="end", kind="repeating", every_days=7, times=12).exists()


@pytest.mark.django_db
def test_loading_publishes_the_languages_the_bundle_is_complete_in(bundle: Path) -> None:
    program, _changed = program_load_path(path=bundle)

    assert program.published_languages == ["en", "fi"]


@pytest.mark.django_db
def test_an_incomplete_language_is_loaded_but_not_published(bundle: Path) -> None:
    (bundle / "fi" / "second" / "help.md").unlink()

    program, _changed = program_load_path(path=bundle)

    assert program.published_languages == ["en"]
    assert Step.objects.get(slug="waves").title_fi == "FI Urges are waves"


@pytest.mark.django_db
def test_loading_the_same_bundle_twice_changes_nothing(bundle: Path) -> None:
    first, _changed = program_load_path(path=bundle)
    counts = [m.objects.count() for m in (Module, Step, Block, BlockOption, Helpline, Item)]

    program, changed = program_load_path(path=bundle)

    assert not changed
    assert program.content_version == first.content_version
    assert [m.objects.count() for m in (Module, Step, Block, BlockOption, Helpline, Item)] == counts


@pytest.mark.django_db
def test_reordering_and_rewording_keeps_step_identity(bundle: Path) -> None:
    # given a loaded program, and a step that help-seekers' progress would point at
    loaded, _changed = program_load_path(path=bundle)
    step = Step.objects.get(module__slug="first", slug="why")
    structure = yaml.safe_load((bundle / "program.yaml").read_text())
    steps = structure["modules"][0]["steps"]
    steps[0], steps[1] = steps[1], steps[0]
    (bundle / "program.yaml").write_text(yaml.safe_dump(structure, sort_keys=False))
    step_file = bundle / "en" / "first" / "why.md"
    step_file.write_text(step_file.read_text().replace("title: Why change?", "title: Why change now?"))

    # when the edited bundle is loaded
    program, changed = program_load_path(path=bundle)

    # then the same row carries the new position and title
    moved = Step.objects.get(pk=step.pk)
    assert changed
    assert moved.position == 1
    assert moved.title_en == "Why change now?"
    assert program.content_version > loaded.content_version


def _break(bundle: Path, relative: str, old: str, new: str) -> None:
    path = bundle / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("relative", "old", "new", "file", "key", "reason"),
    [
        ("program.yaml", "format: 1", "format: [", "program.yaml", "", "not valid YAML"),
        (
            "program.yaml",
            "kind: free_text",
            "kind: video",
            "program.yaml",
            "modules[0].steps[1].blocks[0].kind",
            "not one of",
        ),
        ("program.yaml", "slug: why", "slug: welcome", "program.yaml", "modules[0].steps", "appears twice"),
        ("program.yaml", "minutes: 5", "minutes: 500", "program.yaml", "modules[0].steps[0].minutes", "1 to 60"),
        (
            "program.yaml",
            "website: https://helpline.example.org/",
            "website: 'javascript:alert(1)'",
            "program.yaml",
            "helplines[0].website",
            "not an http(s) URL",
        ),
        ("en/program.yaml", "title: Finding a way", "title: ''", "en/program.yaml", "title", "required"),
        (
            "en/first/welcome.md",
            "<!-- block: intro -->",
            "<!-- block: outro -->",
            "en/first/welcome.md",
            "block outro",
            "not a block of this step",
        ),
        (
            "en/first/welcome.md",
            "    unsure: I am not sure",
            "    maybe-later: Later",
            "en/first/welcome.md",
            "options.reason.maybe-later",
            "not an option",
        ),
        ("en/first/welcome.md", "---\ntitle: Welcome", "title: Welcome", "en/first/welcome.md", "", "front matter"),
        (
            "program.yaml",
            "  - first/why/reasons",
            "  - first/why/importance",
            "program.yaml",
            "urge_now.words[0]",
            "'first/why/importance' is not a free-text or plan-item exercise",
        ),
        (
            "program.yaml",
            "setback_step: second/waves",
            "setback_step: second/nowhere",
            "program.yaml",
            "urge_now.setback_step",
            "'second/nowhere' is not a step",
        ),
        ("en/program.yaml", "  line: Never", "  lines: Never", "en/program.yaml", "urge_now.lines", "is not one of"),
        (
            "program.yaml",
            "  kind: end\n",
            "  kind: repeating\n",
            "program.yaml",
            "occasions[2]",
            "a repeating occasion (and only one) has every_days and times",
        ),
        (
            "program.yaml",
            "  kind: end\n",
            "  kind: repeating\n  every_days: 0\n  times: 4\n",
            "program.yaml",
            "occasions[2].every_days",
            "must be a whole number from 1 to 365",
        ),
        (
            "program.yaml",
            "  - lower: 10\n    upper: 20\n",
            "  - lower: 10\n    upper: 19\n",
            "program.yaml",
            "questionnaires.situation",
            "the last band ends at 19.00, but the highest possible score is 20.00",
        ),
    ],
)
@pytest.mark.django_db
def test_a_malformed_bundle_names_file_key_and_reason_and_changes_nothing(
    bundle: Path, relative: str, old: str, new: str, file: str, key: str, reason: str
) -> None:
    # given a loaded program and a broken copy of its bundle (with a change that would apply)
    program_load_path(path=bundle)
    broken = bundle.parent / "broken"
    shutil.copytree(bundle, broken)
    _break(broken, "en/program.yaml", "title: First module", "title: Changed title")
    _break(broken, relative, old, new)
    before = _snapshot()

    # when
    with pytest.raises(BundleError) as raised:
        program_load_path(path=broken)

    # then
    assert raised.value.file == file
    assert raised.value.key == key
    assert reason in raised.value.reason
    assert _snapshot() == before


def _snapshot() -> list[object]:
    return [
        list(Program.objects.values_list("slug", "title_en", "content_version", "published_languages")),
        list(Module.objects.order_by("pk").values_list("pk", "slug", "position", "title_en", "retired_on")),
        list(Step.objects.order_by("pk").values_list("pk", "slug", "position", "title_en", "retired_on")),
        list(Item.objects.order_by("pk").values_list("pk", "slug", "position", "retired_on")),
        Block.objects.count(),
        BlockOption.objects.count(),
    ]


@pytest.mark.django_db
def test_a_missing_english_step_file_is_reported(bundle: Path) -> None:
    (bundle / "en" / "first" / "welcome.md").unlink()

    with pytest.raises(BundleError, match=r"en/first/welcome.md: file is missing"):
        bundle_read(bundle)


@pytest.mark.django_db
def test_load_program_command_reports_errors_without_a_traceback(bundle: Path) -> None:
    _break(bundle, "program.yaml", "kind: scale", "kind: slider")

    with pytest.raises(
        CommandError, match=r"nothing changed: program.yaml: modules\[0\]\.steps\[1\]\.blocks\[1\]\.kind"
    ):
        call_command("load_program", str(bundle))
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_export_command_writes_a_loadable_bundle(bundle: Path, tmp_path: Path) -> None:
    call_command("load_program", str(bundle))

    call_command("export_program", "course", str(tmp_path / "out"))

    assert bundle_read(tmp_path / "out").slug == "course"
    assert filecmp.cmp(tmp_path / "out" / "program.yaml", bundle / "program.yaml", shallow=False)


@pytest.mark.django_db
def test_export_command_rejects_an_unknown_program(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no program with slug 'nope'"):
        call_command("export_program", "nope", str(tmp_path / "out"))


STEP_CONDITION = "  - slug: values\n    minutes: 5\n"
ITEM_CONDITION = "  - slug: hours\n    kind: number\n    min: 0\n    max: 80\n    scored: false\n"


@pytest.mark.django_db
def test_show_if_on_steps_and_items_loads_and_exports_as_written(bundle: Path, tmp_path: Path) -> None:
    # given a bundle where a step and an item are shown only for some answers
    _break(
        bundle,
        "program.yaml",
        STEP_CONDITION,
        STEP_CONDITION
        + "    show_if:\n      exercise: first/welcome/reason\n      any_of:\n      - stop\n      - worried\n",
    )
    item_condition = "    show_if:\n      exercise: first/welcome/reason\n      any_of:\n      - stop\n"
    _break(bundle, "program.yaml", ITEM_CONDITION, ITEM_CONDITION + item_condition)

    # when it is loaded and exported again
    program, _changed = program_load_path(path=bundle)
    program_export_path(program=program, path=tmp_path / "again")

    # then the conditions are in the database and come back byte for byte
    step = Step.objects.get(slug="values")
    assert (step.condition_block.slug, step.condition_values) == ("reason", ["stop", "worried"])  # type: ignore[union-attr]
    assert Item.objects.get(slug="hours").condition_values == ["stop"]
    assert _tree(tmp_path / "again") == _tree(bundle)


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("exercise: first/welcome/nope\n      any_of:\n      - stop", "is not a choice exercise before this point"),
        (
            "exercise: first/welcome/reason\n      any_of:\n      - maybe",
            "'maybe' is not an option of first/welcome/reason",
        ),
        ("exercise: first/values/values\n      any_of:\n      - family", "is not a choice exercise before this point"),
        # a free-text exercise has no answers to choose from
        ("exercise: first/why/reasons\n      any_of:\n      - stop", "is not a choice exercise before this point"),
        # no answer could show the step: it would be unreachable for every possible answer
        ("exercise: first/welcome/reason\n      any_of: []", "must be a non-empty list"),
    ],
)
@pytest.mark.django_db
def test_a_step_condition_must_name_an_earlier_choice_and_its_options(
    bundle: Path, condition: str, reason: str
) -> None:
    _break(bundle, "program.yaml", STEP_CONDITION, STEP_CONDITION + f"    show_if:\n      {condition}\n")

    with pytest.raises(BundleError) as raised:
        program_load_path(path=bundle)

    assert raised.value.key.endswith("show_if.exercise") or raised.value.key.endswith("show_if.any_of")
    assert reason in raised.value.reason
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_only_unscored_items_may_be_shown_for_some_answers(bundle: Path) -> None:
    scored = "  - slug: urge-strength\n    kind: scale\n    min: 0\n    max: 10\n"
    _break(bundle, "program.yaml", scored,
           scored + "    show_if:\n      exercise: first/welcome/reason\n      any_of:\n      - stop\n")  # fmt: skip

    with pytest.raises(BundleError) as raised:
        program_load_path(path=bundle)

    assert raised.value.key == "questionnaires.situation"
    assert "only unscored items can be shown for some answers" in raised.value.reason


RULE_HOME = "  - lower: 10\n    upper: 20\n"


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("- slug: r\n    item: nope\n    any_of:\n    - weekly", "is not an item of this questionnaire"),
        ("- slug: r\n    item: frequency\n    any_of:\n    - sometimes", "must be options of item 'frequency'"),
        (
            "- slug: r\n    item: hours\n    at_least: 1\n    at_most: 2",
            "needs exactly one of any_of, at_least or at_most",
        ),
        ("- slug: r\n    item: frequency\n    at_least: 1", "at_least and at_most are for numbers and scales"),
        ("- slug: r\n    item: hours\n    at_least: 90", "must be a whole number from 0 to 80"),
        ("- slug: r\n    item: hours\n    at_least: 5\n    see: first/nope", "is not a step of this program"),
        ("- slug: r\n    item: hours\n    at_least: 5\n    kind: panic", "'panic' is not one of"),
    ],
)
@pytest.mark.django_db
def test_a_feedback_rule_must_name_an_item_one_condition_and_a_real_step(bundle: Path, rule: str, reason: str) -> None:
    _break(bundle, "program.yaml", RULE_HOME, RULE_HOME + "  rules:\n  " + rule + "\n")

    with pytest.raises(BundleError) as raised:
        program_load_path(path=bundle)

    assert raised.value.key.startswith("questionnaires[0].rules[0]")
    assert reason in raised.value.reason
