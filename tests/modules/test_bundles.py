"""Program bundles: the round trip is exact, loading is idempotent, bad bundles change nothing."""

import filecmp
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from modules.bundles import BundleError, bundle_read
from modules.models import Block, BlockOption, Helpline, Module, Program, Step
from modules.services import program_export_path, program_load_path
from tests.conftest import SAMPLE_BUNDLE


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _wipe_content() -> None:
    Program.objects.all().delete()
    Helpline.objects.all().delete()


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(SAMPLE_BUNDLE, target, ignore=shutil.ignore_patterns("NOTES.md"))
    return target


@pytest.mark.django_db
def test_export_then_load_into_an_empty_database_then_export_gives_identical_files(
    sample_program: Program, tmp_path: Path
) -> None:
    # given the sample program exported once
    first = tmp_path / "first"
    program_export_path(program=sample_program, path=first)

    # when it is loaded into an empty database and exported again
    _wipe_content()
    assert not Program.objects.exists()
    program, changed = program_load_path(path=first)
    second = tmp_path / "second"
    program_export_path(program=program, path=second)

    # then both exports are byte-identical, file for file
    assert changed
    assert _tree(first) == _tree(second)
    assert len(_tree(first)) > 20


@pytest.mark.django_db
def test_the_shipped_sample_bundle_is_in_canonical_form(sample_program: Program, tmp_path: Path) -> None:
    program_export_path(program=sample_program, path=tmp_path / "out")

    shipped = {name: data for name, data in _tree(SAMPLE_BUNDLE).items() if not name.endswith("NOTES.md")}
    assert _tree(tmp_path / "out") == shipped


@pytest.mark.django_db
def test_loading_the_same_bundle_twice_changes_nothing(sample_program: Program) -> None:
    version = sample_program.content_version
    counts = [m.objects.count() for m in (Module, Step, Block, BlockOption, Helpline)]

    program, changed = program_load_path(path=SAMPLE_BUNDLE)

    assert not changed
    assert program.content_version == version
    assert [m.objects.count() for m in (Module, Step, Block, BlockOption, Helpline)] == counts


@pytest.mark.django_db
def test_sample_program_has_six_modules_of_three_to_six_steps_and_every_exercise_kind(sample_program: Program) -> None:
    modules = list(sample_program.modules.all())
    assert len(modules) >= 6
    for module in modules:
        assert 3 <= module.steps.count() <= 6, module.slug
    kinds = set(Block.objects.filter(step__module__program=sample_program).values_list("kind", flat=True))
    assert {"text", "helplines", "free_text", "single_choice", "multiple_choice", "scale", "plan_item"} <= kinds
    assert sample_program.is_sample
    assert Helpline.objects.filter(is_sample=True).values("country").distinct().count() >= 4


@pytest.mark.django_db
def test_reordering_and_rewording_keeps_step_identity(sample_program: Program, bundle_copy: Path) -> None:
    # given a step that help-seekers' progress would point at
    step = Step.objects.get(module__slug="getting-started", slug="why-change")
    structure = yaml.safe_load((bundle_copy / "program.yaml").read_text())
    steps = structure["modules"][0]["steps"]
    steps[0], steps[1] = steps[1], steps[0]
    (bundle_copy / "program.yaml").write_text(yaml.safe_dump(structure, sort_keys=False))
    step_file = bundle_copy / "en" / "getting-started" / "why-change.md"
    step_file.write_text(step_file.read_text().replace("title: Why change?", "title: Why change now?"))

    # when the edited bundle is loaded
    program, changed = program_load_path(path=bundle_copy)

    # then the same row carries the new position and title
    moved = Step.objects.get(pk=step.pk)
    assert changed
    assert moved.position == 1
    assert moved.title_en == "Why change now?"
    assert program.content_version > sample_program.content_version


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
            "modules[0].steps[1].blocks[1].kind",
            "not one of",
        ),
        ("program.yaml", "slug: why-change", "slug: welcome", "program.yaml", "modules[0].steps", "appears twice"),
        ("program.yaml", "minutes: 5", "minutes: 500", "program.yaml", "modules[0].steps[1].minutes", "1 to 60"),
        (
            "program.yaml",
            "website: https://www.stopitnow.org.uk/",
            "website: 'javascript:alert(1)'",
            "program.yaml",
            "helplines[0].website",
            "not an http(s) URL",
        ),
        ("en/program.yaml", "title: Finding another way", "title: ''", "en/program.yaml", "title", "required"),
        (
            "en/getting-started/welcome.md",
            "<!-- block: intro -->",
            "<!-- block: outro -->",
            "en/getting-started/welcome.md",
            "block outro",
            "not a block of this step",
        ),
        (
            "en/getting-started/welcome.md",
            "    not-sure: I am not sure yet",
            "    maybe-later: Later",
            "en/getting-started/welcome.md",
            "options.what-brings-you.maybe-later",
            "not an option",
        ),
        (
            "en/getting-started/welcome.md",
            "---\ntitle: Welcome",
            "title: Welcome",
            "en/getting-started/welcome.md",
            "",
            "front matter",
        ),
    ],
)
@pytest.mark.django_db
def test_a_malformed_bundle_names_file_key_and_reason_and_changes_nothing(
    sample_program: Program, bundle_copy: Path, relative: str, old: str, new: str, file: str, key: str, reason: str
) -> None:
    # given a loaded program and a broken copy of its bundle (with a change that would apply)
    _break(bundle_copy, "en/program.yaml", "title: Getting started", "title: Changed title")
    _break(bundle_copy, relative, old, new)
    before = _snapshot()

    # when
    with pytest.raises(BundleError) as raised:
        program_load_path(path=bundle_copy)

    # then
    assert raised.value.file == file
    assert raised.value.key == key
    assert reason in raised.value.reason
    assert _snapshot() == before


def _snapshot() -> list[object]:
    return [
        list(Program.objects.values_list("slug", "title_en", "content_version")),
        list(Module.objects.order_by("pk").values_list("pk", "slug", "position", "title_en")),
        list(Step.objects.order_by("pk").values_list("pk", "slug", "position", "title_en")),
        Block.objects.count(),
        BlockOption.objects.count(),
    ]


@pytest.mark.django_db
def test_a_missing_english_step_file_is_reported(bundle_copy: Path) -> None:
    (bundle_copy / "en" / "getting-started" / "welcome.md").unlink()

    with pytest.raises(BundleError, match=r"en/getting-started/welcome.md: file is missing"):
        bundle_read(bundle_copy)


@pytest.mark.django_db
def test_load_program_command_reports_errors_without_a_traceback(bundle_copy: Path) -> None:
    _break(bundle_copy, "program.yaml", "kind: scale", "kind: slider")

    with pytest.raises(
        CommandError, match=r"nothing changed: program.yaml: modules\[0\]\.steps\[1\]\.blocks\[2\]\.kind"
    ):
        call_command("load_program", str(bundle_copy))
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_export_command_writes_a_loadable_bundle(sample_program: Program, tmp_path: Path) -> None:
    call_command("export_program", "sample", str(tmp_path / "out"))

    assert bundle_read(tmp_path / "out").slug == "sample"
    assert filecmp.cmp(tmp_path / "out" / "program.yaml", SAMPLE_BUNDLE / "program.yaml", shallow=False)


@pytest.mark.django_db
def test_export_command_rejects_an_unknown_program(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no program with slug 'nope'"):
        call_command("export_program", "nope", str(tmp_path / "out"))
