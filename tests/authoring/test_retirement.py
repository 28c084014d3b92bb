"""Content is retired, never deleted: reloading the sample without a step, a block and a
questionnaire item keeps every help-seeker row, and the journey goes on around the gap.

Nothing a help-seeker owns is deleted with content: every foreign key from their rows to
content is ``PROTECT`` in Django and carries no ``ON DELETE`` action in the database.
"""

import dataclasses
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import ForeignKey, Model, ProtectedError
from django.test import Client

from authoring.bundles.program import Bundle, bundle_read
from authoring.services import program_load_bundle
from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, HelpSeekerSession, ModuleCompletion, StepProgress
from modules.models import Block, BlockOption, Helpline, Module, Program, Step
from questionnaires.models import (
    FeedbackBand,
    Instrument,
    Item,
    ItemOption,
    ItemResponse,
    Occasion,
    QuestionnaireResponse,
    Subscale,
)
from tests.conftest import codename_from

SAMPLE = Path(__file__).resolve().parents[2] / "programs" / "sample"
HELPSEEKER_ROWS: tuple[type[Model], ...] = (
    HelpSeekerProfile,
    HelpSeekerSession,
    StepProgress,
    ModuleCompletion,
    ExerciseAnswer,
    QuestionnaireResponse,
    ItemResponse,
)
CONTENT: tuple[type[Model], ...] = (
    Program,
    Module,
    Step,
    Block,
    BlockOption,
    Helpline,
    Instrument,
    Subscale,
    Item,
    ItemOption,
    FeedbackBand,
    Occasion,
)
MODULE, GONE_STEP, KEPT_STEP, GONE_BLOCK = "getting-started", "this-program", "what-matters", "life-by-values"
GONE_ITEM = "hours-per-week"


def test_no_help_seeker_row_is_deleted_with_content() -> None:
    links = [
        (model.__name__, field.name, field.remote_field.on_delete.__name__)
        for model in HELPSEEKER_ROWS
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey) and field.related_model in CONTENT
    ]

    assert len(links) == 6
    assert {on_delete for _model, _field, on_delete in links} == {"PROTECT"}, links


@pytest.mark.django_db
def test_the_database_itself_deletes_nothing_of_a_help_seeker_with_content(postgresql: None) -> None:
    tables = [model._meta.db_table for model in HELPSEEKER_ROWS]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.confdeltype
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        actions = cursor.fetchall()

    assert actions, "no foreign keys found"
    # 'a' is NO ACTION: Django emulates on_delete; the database cascades nothing by itself.
    assert {action for _table, action in actions} == {"a"}


def _without(bundle: Bundle) -> Bundle:
    """The sample without one step, one block of another step, and one questionnaire item."""
    module = next(m for m in bundle.modules if m.slug == MODULE)
    steps = [s for s in module.steps if s.slug != GONE_STEP]
    steps = [
        dataclasses.replace(s, blocks=[b for b in s.blocks if b.slug != GONE_BLOCK]) if s.slug == KEPT_STEP else s
        for s in steps
    ]
    modules = [dataclasses.replace(m, steps=steps) if m.slug == MODULE else m for m in bundle.modules]
    situation = bundle.questionnaires[0]
    assert situation.slug == "my-situation"
    questionnaires = [
        dataclasses.replace(
            situation,
            items=[i for i in situation.items if i.slug != GONE_ITEM],
            rules=[r for r in situation.rules if r.item != GONE_ITEM],
        ),
        *bundle.questionnaires[1:],
    ]
    texts = {}
    for language, language_texts in bundle.texts.items():
        step_texts = {key: value for key, value in language_texts.steps.items() if key != (MODULE, GONE_STEP)}
        kept = step_texts[(MODULE, KEPT_STEP)]
        step_texts[(MODULE, KEPT_STEP)] = dataclasses.replace(
            kept, bodies={slug: body for slug, body in kept.bodies.items() if slug != GONE_BLOCK}
        )
        instrument_texts = dict(language_texts.questionnaires)
        instrument_texts["my-situation"] = dataclasses.replace(
            instrument_texts["my-situation"],
            items={slug: item for slug, item in instrument_texts["my-situation"].items.items() if slug != GONE_ITEM},
        )
        texts[language] = dataclasses.replace(language_texts, steps=step_texts, questionnaires=instrument_texts)
    return dataclasses.replace(bundle, modules=modules, questionnaires=questionnaires, texts=texts)


def _rows() -> dict[str, set[object]]:
    return {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in HELPSEEKER_ROWS}


@pytest.mark.django_db
def test_reloading_the_sample_without_a_step_block_and_item_keeps_everything_and_the_journey_works() -> None:
    # given the sample, and a help-seeker with progress, answers and a questionnaire response
    # on the step, the block and the item about to go
    sample = bundle_read(SAMPLE)
    program, _changed = program_load_bundle(bundle=sample)
    browser = Client()
    codename = codename_from(browser.post("/en/start/").content.decode())
    base = f"/en/program/sample/{MODULE}/"
    answers = f"/en/me/answers/sample/{MODULE}/"
    browser.post(f"{answers}welcome/", {"what-brings-you": "not-sure", "action": "complete"})
    browser.post(f"{answers}why-change/", {"my-reasons": "For my family.", "importance": "9", "action": "complete"})
    browser.post(
        f"{answers}{KEPT_STEP}/", {"my-values": ["family"], "life-by-values": "Walks at dawn.", "action": "complete"}
    )
    browser.get(f"{base}{GONE_STEP}/")
    assert browser.post(f"{answers}{GONE_STEP}/", {"action": "complete"}).status_code == 302
    browser.post("/en/questionnaires/sample/after-getting-started/", {"action": "skip"})
    browser.post(
        "/en/questionnaires/sample/start/",
        {"hours-per-week": "3", "urge-strength": "6", "confidence": "4", "action": "submit"},
    )
    before = _rows()
    assert all(before.values()), before

    # when the sample is reloaded without them
    reloaded, changed = program_load_bundle(bundle=_without(sample))

    # then nothing a help-seeker owns is gone; the content is retired, not deleted
    assert changed
    assert _rows() == before
    assert Step.objects.get(module__program=program, slug=GONE_STEP).retired_on is not None
    assert Block.objects.get(step__slug=KEPT_STEP, slug=GONE_BLOCK).retired_on is not None
    assert Item.objects.get(instrument__slug="my-situation", slug=GONE_ITEM).retired_on is not None
    assert reloaded.published_languages == ["en", "fi", "es"]
    with pytest.raises(ProtectedError):
        Step.objects.filter(slug=GONE_STEP).delete()

    # and the journey goes on: the gone step is not shown and no longer counts
    assert browser.get(f"{base}{GONE_STEP}/").status_code == 404
    me = browser.get("/en/me/").content.decode()
    assert "3 of 3 steps done" in me
    kept = browser.get(f"{base}{KEPT_STEP}/").content.decode()
    assert 'value="family" checked' in kept
    assert 'name="life-by-values"' not in kept
    assert "Step 3 of 3" in kept
    assert browser.get("/en/questionnaires/sample/start/result/").status_code == 200
    assert browser.get("/en/questionnaires/sample/start/").status_code == 409, "answered before, still answered"
    exported = browser.get("/en/me/export/").json()
    assert {a["exercise"] for a in exported["answers"]} >= {GONE_BLOCK, "my-values"}
    assert any(p["step"] == GONE_STEP for p in exported["progress"])

    # and a help-seeker coming back finds it all, then the content comes back with its history
    browser.post("/en/sign-out/")
    again = Client()
    assert again.post("/en/resume/", {"codename": codename}).status_code == 302
    program_load_bundle(bundle=sample)
    assert Step.objects.get(slug=GONE_STEP).retired_on is None
    restored = again.get(f"{base}{KEPT_STEP}/").content.decode()
    assert "Walks at dawn." in restored
    assert "4 of 4 steps done" in again.get("/en/me/").content.decode()
    assert _rows()["ExerciseAnswer"] == before["ExerciseAnswer"]
