"""Content writes: a program is made equal to its description, matched by slug; what it no
longer has is retired (never deleted) and comes back, with its history, if its slug returns."""

import dataclasses

import pytest

from modules.models import Block, BlockKind, BlockOption, Module, Program, Step
from modules.services import (
    BlockInput,
    ModuleInput,
    OptionInput,
    ProgramInput,
    StepInput,
    content_restore,
    content_retire,
    program_content_save,
)
from tests.factories import FIRST, WELCOME, WHY, Course, refresh


def _input(*steps: str, options: tuple[str, ...] = ("yes", "no")) -> ProgramInput:
    """A one-module program with the given steps, each holding a choice exercise."""
    return ProgramInput(
        slug="tiny",
        is_sample=False,
        title={"en": "Tiny"},
        summary={},
        modules=[
            ModuleInput(
                slug="only",
                title={"en": "Only module"},
                summary={},
                steps=[
                    StepInput(
                        slug=slug,
                        minutes=3,
                        title={"en": slug.title(), "fi": f"FI {slug}"},
                        blocks=[
                            BlockInput(
                                slug="choose",
                                kind=BlockKind.SINGLE_CHOICE,
                                body={"en": "Choose."},
                                options=[OptionInput(value, {"en": value.title()}) for value in options],
                            )
                        ],
                    )
                    for slug in steps
                ],
            )
        ],
    )


@pytest.mark.django_db
def test_saving_creates_the_content_in_order_with_its_translations() -> None:
    program = program_content_save(content=_input("one", "two"))

    steps = list(Step.objects.filter(module__program=program).order_by("position"))
    assert [(s.slug, s.position, s.title_en, s.title_fi) for s in steps] == [
        ("one", 1, "One", "FI one"),
        ("two", 2, "Two", "FI two"),
    ]
    assert list(BlockOption.objects.order_by("block__step__position", "position").values_list("value", flat=True)) == [
        "yes",
        "no",
        "yes",
        "no",
    ]


@pytest.mark.django_db
def test_a_step_left_out_is_retired_and_comes_back_with_the_same_row() -> None:
    program = program_content_save(content=_input("one", "two", "three"))
    two = Step.objects.get(slug="two")

    program_content_save(content=_input("one", "three"))
    assert refresh(two).retired_on is not None  # type: ignore[attr-defined]
    assert list(Step.objects.active().filter(module__program=program).values_list("slug", "position")) == [
        ("one", 1),
        ("three", 2),
    ]

    program_content_save(content=_input("three", "two", "one"))
    back = Step.objects.get(slug="two")
    assert back.pk == two.pk
    assert back.retired_on is None
    assert list(Step.objects.active().order_by("position").values_list("slug", flat=True)) == ["three", "two", "one"]
    assert Step.objects.count() == 3


@pytest.mark.django_db
def test_options_left_out_are_retired_and_reordering_never_collides() -> None:
    program_content_save(content=_input("one", options=("a", "b", "c")))

    program_content_save(content=_input("one", options=("c", "a")))

    options = BlockOption.objects.order_by("position")
    assert [(o.value, o.position, o.retired_on is None) for o in options.filter(retired_on__isnull=True)] == [
        ("c", 1, True),
        ("a", 2, True),
    ]
    assert options.get(value="b").retired_on is not None


@pytest.mark.django_db
def test_saving_the_same_content_many_times_keeps_positions_small() -> None:
    for _ in range(5):
        program_content_save(content=_input("one", "two"))
    program_content_save(content=_input("one"))
    for _ in range(5):
        program_content_save(content=_input("one"))

    assert max(Step.objects.values_list("position", flat=True)) < 20_000


@pytest.mark.django_db
def test_retire_and_restore_bump_the_version_and_restore_appends(program: Course) -> None:
    version = program.program.content_version

    assert content_retire(rows=[program.steps[WELCOME]]) == 1
    assert content_retire(rows=[refresh(program.steps[WELCOME])]) == 0  # type: ignore[list-item]
    assert content_restore(rows=[refresh(program.steps[WELCOME])]) == 1  # type: ignore[list-item]

    welcome = Step.objects.get(pk=program.steps[WELCOME].pk)
    assert welcome.retired_on is None
    assert welcome.position == 5, "restored after the steps in use"
    assert Program.objects.get(pk=program.program.pk).content_version == version + 2
    assert (
        list(Step.objects.active().filter(module__slug=FIRST).order_by("position").values_list("slug", flat=True))[-1]
        == WELCOME
    )


@pytest.mark.django_db
def test_a_new_kind_of_block_replaces_its_options(program: Course) -> None:
    content = _input("one")
    program_content_save(content=content)
    block = Block.objects.get(slug="choose")
    text_only = dataclasses.replace(
        content,
        modules=[
            dataclasses.replace(
                content.modules[0],
                steps=[
                    dataclasses.replace(
                        content.modules[0].steps[0],
                        blocks=[BlockInput(slug="choose", kind=BlockKind.TEXT, body={"en": "Now a text."})],
                    )
                ],
            )
        ],
    )

    program_content_save(content=text_only)

    assert refresh(block).kind == BlockKind.TEXT  # type: ignore[attr-defined]
    assert not BlockOption.objects.filter(block=block, retired_on__isnull=True).exists()
    assert Module.objects.filter(slug="only").count() == 1
    assert program.steps[WHY].pk  # the course is untouched by another program's save
