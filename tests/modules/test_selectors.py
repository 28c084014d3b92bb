"""Content reads: the language gate reads the published languages, not the content; the
outline and step views show only content in use, numbered among it."""

import pytest
from django.http import Http404

from modules import selectors
from modules.services import content_retire, program_languages_publish
from tests.factories import FIRST, SECOND, VALUES, WHY, Course, course


@pytest.mark.django_db
def test_program_lookup_reads_the_published_languages_in_one_query(program: Course, django_assert_num_queries) -> None:
    program_languages_publish(program=program.program, languages=["fi", "ar"])

    with django_assert_num_queries(1):
        ref = selectors.program_get(slug="course")

    assert ref.published_languages == {"en", "fi", "ar"}
    assert ref.content_version == program.program.content_version
    assert [p.published_languages for p in selectors.program_list()] == [frozenset({"en", "fi", "ar"})]


@pytest.mark.django_db
def test_content_language_is_the_requested_one_only_when_published(program: Course) -> None:
    program_languages_publish(program=program.program, languages=["fi"])
    ref = selectors.program_get(slug="course")

    assert selectors.content_language_for(program=ref, requested="fi") == "fi"
    assert selectors.content_language_for(program=ref, requested="sv") == "en"
    assert selectors.content_language_for(program=ref, requested="en") == "en"


@pytest.mark.django_db
def test_publishing_languages_keeps_the_fallback_and_the_configured_order(program: Course) -> None:
    version = program.program.content_version

    assert program_languages_publish(program=program.program, languages=["ar", "fi"])
    assert not program_languages_publish(program=program.program, languages=["fi", "ar", "en"])

    assert program.program.published_languages == ["en", "fi", "ar"]
    assert program.program.content_version == version + 1


@pytest.mark.django_db
def test_a_language_with_text_is_not_shown_until_it_is_published(db: None) -> None:
    course(languages=("en", "fi"), published=("en",))
    ref = selectors.program_get(slug="course")

    assert selectors.content_language_for(program=ref, requested="fi") == "en"


@pytest.mark.django_db
def test_outline_and_step_view_leave_retired_content_out(program: Course) -> None:
    content_retire(rows=[program.steps[WHY], program.modules[SECOND], program.blocks["life"]])
    ref = selectors.program_get(slug="course")

    outline = selectors.program_outline(program=ref, language="en")
    step = selectors.step_view(program=ref, module_slug=FIRST, step_slug=VALUES, language="en")

    assert [m.slug for m in outline.modules] == [FIRST]
    assert [s.step_slug for s in outline.modules[0].steps] == ["welcome", "values", "plan"]
    assert outline.modules[0].minutes == 15
    assert (step.position, step.step_count) == (2, 3)
    assert [b.slug for b in step.blocks] == ["values"]
    with pytest.raises(Http404):
        selectors.step_view(program=ref, module_slug=FIRST, step_slug=WHY, language="en")
    with pytest.raises(Http404):
        selectors.step_view(program=ref, module_slug=SECOND, step_slug="waves", language="en")


@pytest.mark.django_db
def test_modules_are_numbered_among_those_in_use(program: Course) -> None:
    content_retire(rows=[program.modules[FIRST]])
    ref = selectors.program_get(slug="course")

    outline = selectors.program_outline(program=ref, language="en")

    assert [(m.slug, m.position) for m in outline.modules] == [(SECOND, 1)]
