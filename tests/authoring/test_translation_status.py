"""What each language still lacks, and which languages are complete enough to publish."""

import pytest
from django.core.management import call_command

from authoring.selectors import program_complete_languages, program_missing_translations
from authoring.services import program_languages_refresh
from modules.models import Block, Step
from modules.services import content_retire
from questionnaires.models import Item
from tests.factories import WELCOME, WHY, course


@pytest.mark.django_db
def test_complete_languages_are_those_with_every_text() -> None:
    made = course(languages=("en", "fi"), published=("en",))

    assert program_complete_languages(program=made.program) == {"en", "fi"}
    assert program_languages_refresh(program=made.program)
    assert made.program.published_languages == ["en", "fi"]


@pytest.mark.django_db
def test_one_missing_field_makes_a_language_incomplete_and_is_named() -> None:
    made = course(languages=("en", "fi"))
    step = made.steps[WELCOME]
    Step.objects.filter(pk=step.pk).update(title_fi="")

    assert "fi" not in program_complete_languages(program=made.program)
    missing = program_missing_translations(program=made.program, language="fi")
    assert [(m.model, m.object_id, m.field) for m in missing] == [("step", step.pk, "title")]


@pytest.mark.django_db
def test_a_missing_questionnaire_text_makes_a_language_incomplete() -> None:
    made = course(languages=("en", "fi"))
    Item.objects.filter(pk=made.items["confidence"].pk).update(text_fi="")

    assert "fi" not in program_complete_languages(program=made.program)
    assert program_languages_refresh(program=made.program)
    assert made.program.published_languages == ["en"]


@pytest.mark.django_db
def test_fields_empty_in_english_and_retired_content_are_not_required() -> None:
    made = course(languages=("en", "fi"))
    Block.objects.filter(pk=made.blocks["intro"].pk).update(scale_min_label_en="", scale_min_label_fi="")
    Step.objects.filter(pk=made.steps[WHY].pk).update(title_fi="")
    content_retire(rows=[made.steps[WHY]])

    assert program_missing_translations(program=made.program, language="fi") == []


@pytest.mark.django_db
def test_missing_list_for_an_untranslated_language_covers_every_model(program: object) -> None:
    made = program
    missing = program_missing_translations(program=made.program, language="sv")  # type: ignore[attr-defined]

    assert {m.model for m in missing} == {
        "program",
        "module",
        "step",
        "block",
        "blockoption",
        "instrument",
        "item",
        "itemoption",
        "feedbackband",
    }
    assert program_missing_translations(program=made.program, language="en") == []  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_command_says_what_is_missing_and_what_is_published(capsys: pytest.CaptureFixture[str]) -> None:
    made = course(languages=("en", "fi"), published=("en",))

    call_command("translation_status", "course", "fi", "--publish")

    out = capsys.readouterr().out
    assert "Published languages are now: en, fi." in out
    assert "fi: complete, published" in out
    made.program.refresh_from_db()
    assert made.program.published_languages == ["en", "fi"]
