"""Which languages a program is complete in, and what translators still have to do."""

import pytest
from django.conf import settings

from modules.models import Block, Program, Step
from modules.selectors import content_language_for, program_complete_languages, program_missing_translations
from modules.services import program_touch


@pytest.mark.django_db
def test_sample_program_is_complete_in_english_finnish_and_spanish_only(sample_program: Program) -> None:
    complete = program_complete_languages(program=sample_program)

    assert complete == {"en", "fi", "es"}
    assert set(dict(settings.LANGUAGES)) - complete == {"sv", "pt", "de", "fr", "pl", "cs", "ru", "ar"}


@pytest.mark.django_db
def test_one_missing_field_makes_a_language_incomplete_and_is_named(sample_program: Program) -> None:
    # given one Finnish step title removed
    step = Step.objects.get(module__slug="getting-started", slug="welcome")
    Step.objects.filter(pk=step.pk).update(title_fi="")
    program_touch(program=sample_program)

    # then Finnish is no longer offered, and the selector names exactly that field
    assert "fi" not in program_complete_languages(program=sample_program)
    assert content_language_for(program=sample_program, requested="fi") == "en"
    missing = program_missing_translations(program=sample_program, language="fi")
    assert [(m.model, m.object_id, m.field) for m in missing] == [("step", step.pk, "title")]


@pytest.mark.django_db
def test_fields_empty_in_english_are_not_required_in_other_languages(sample_program: Program) -> None:
    block = Block.objects.filter(step__module__program=sample_program, kind="helplines").first()
    assert block is not None
    Block.objects.filter(pk=block.pk).update(scale_min_label_en="", scale_min_label_fi="")
    program_touch(program=sample_program)

    assert program_missing_translations(program=sample_program, language="fi") == []


@pytest.mark.django_db
def test_missing_list_for_an_untranslated_language_covers_every_field(sample_program: Program) -> None:
    missing = program_missing_translations(program=sample_program, language="sv")

    assert {m.model for m in missing} == {
        "program",
        "module",
        "step",
        "block",
        "blockoption",
        "instrument",
        "subscale",
        "item",
        "itemoption",
        "feedbackband",
    }
    assert program_missing_translations(program=sample_program, language="en") == []
