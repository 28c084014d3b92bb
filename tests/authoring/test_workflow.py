"""Draft, review, publish, revisions: a draft is invisible until a reviewer who did not make
the change publishes it; publishing is refused, with the list, when fields are missing or
outdated; revisions are immutable, show their changes field by field, and restore into the
draft; help-seekers' progress and answers survive a revision that removes a step."""

from __future__ import annotations

import pytest
from django.test import Client

from authoring import workflow
from authoring.models import DraftEdit, LanguageReview, Revision, RevisionImmutable, StaffEvent
from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, StepProgress
from modules.models import HelplineDirectoryView, Program, Step
from tests.authoring.staff import save_change_form
from tests.authoring.staff import signed_in as _client
from tests.authoring.staff import staff_member as _staff
from tests.factories import FIRST, WHY, Course, course, drafted

pytestmark = pytest.mark.django_db


def _save_step(client: Client, step: Step, **changes: str) -> int:
    return save_change_form(client, f"/staff/modules/step/{step.pk}/change/", **changes)


def _review(client: Client, language: str, action: str, **extra: object) -> object:
    return client.post(f"/staff/review/course/{language}/", {"action": action, **extra}, follow=True)


def _messages(response: object) -> list[str]:
    return [str(message) for message in response.context["messages"]]  # type: ignore[attr-defined]


@pytest.fixture
def made() -> Course:
    return course(languages=("en", "fi"))


def test_a_draft_is_invisible_until_a_reviewer_publishes_it(made: Course) -> None:
    draft = drafted(made)
    author, reviewer = _staff("ann", "author"), _staff("rui", "reviewer")
    assert _save_step(_client(author), draft.steps[WHY], title_en="Why change today?") == 302

    assert "Why change today?" not in Client().get(made.step_url(WHY)).content.decode()
    assert "Why change?" in Client().get(made.step_url(WHY)).content.decode()

    page = _client(reviewer).get("/staff/review/course/en/").content.decode()
    assert "first/why/title" in page
    assert "today?</ins>" in page, "the change, word by word"
    refused = _review(_client(reviewer), "en", "publish")
    assert "en: not submitted for review" in _messages(refused)
    assert _review(_client(author), "en", "publish").status_code == 403, "authors do not publish"

    _review(_client(author), "en", "submit", note="clearer title")
    assert LanguageReview.objects.get(program=made.program, language="en").state == LanguageReview.IN_REVIEW
    published = _review(_client(reviewer), "en", "publish", note="reviewed")
    assert "Published as revision 2: en." in _messages(published)

    assert "Why change today?" in Client().get(made.step_url(WHY)).content.decode()
    revision = Revision.objects.get(program=made.program, number=2)
    assert (revision.created_by, revision.languages, revision.note) == (reviewer, ["en"], "reviewed")
    assert revision.snapshot["texts"]["en"]["first/why/title"] == "Why change today?"
    assert not DraftEdit.objects.exists()
    assert StaffEvent.objects.filter(kind=StaffEvent.PUBLISH, actor=reviewer).exists()
    assert StaffEvent.objects.filter(kind=StaffEvent.SUBMIT, actor=author).exists()
    detail = _client(reviewer).get("/staff/revisions/course/2/").content.decode()
    assert "Why <del>change?</del><ins>change today?</ins>" in detail


def test_a_reviewer_never_publishes_their_own_change(made: Course) -> None:
    draft = drafted(made)
    editor, other = _staff("ada", "administrator"), _staff("bo", "administrator")
    _save_step(_client(editor), draft.steps[WHY], title_en="Why stop?")
    _review(_client(editor), "en", "submit")
    refused = _review(_client(editor), "en", "publish")
    assert "en: you submitted it; another reviewer publishes it" in _messages(refused)
    assert "en: you changed it; another reviewer publishes it" in _messages(refused)
    assert Revision.objects.filter(program=made.program).count() == 1
    assert "Why stop?" not in Client().get(made.step_url(WHY)).content.decode()

    _review(_client(other), "en", "publish")
    assert "Why stop?" in Client().get(made.step_url(WHY)).content.decode()


def test_a_reviewer_returns_a_language_with_a_note(made: Course) -> None:
    drafted(made)
    author, reviewer = _staff("ann", "author"), _staff("rui", "reviewer")
    _review(_client(author), "en", "submit")
    _review(_client(reviewer), "en", "return", note="the second paragraph is too long")
    review = LanguageReview.objects.get(program=made.program, language="en")
    assert (review.state, review.returned_note) == (LanguageReview.DRAFT, "the second paragraph is too long")
    assert "the second paragraph is too long" in _client(author).get("/staff/review/").content.decode()


def test_publishing_a_language_with_missing_or_outdated_fields_is_refused_with_the_list(made: Course) -> None:
    draft = drafted(made)
    translator, author, reviewer = _staff("tia", "translator", "fi"), _staff("ann", "author"), _staff("rui", "reviewer")
    block = draft.blocks["intro"]
    block.body_fi = ""
    block.save()
    _save_step(_client(author), draft.steps[WHY], title_en="Why change now?")  # the Finnish title is now outdated
    _review(_client(translator), "fi", "submit")

    refused = _review(_client(reviewer), "fi", "publish")
    problems = _messages(refused)
    assert "fi: first/welcome/intro/body is not translated" in problems
    assert "fi: step “2. Why change now?” title is outdated (its source changed)" in problems
    assert made.program.published_languages == ["en", "fi"]
    assert Revision.objects.filter(program=made.program).count() == 1

    with pytest.raises(workflow.PublishRefused) as refusal:
        workflow.languages_publish(program=made.program, languages=["fi"], user=reviewer)
    assert len(refusal.value.problems) == 2


def test_a_translator_submits_only_their_languages(made: Course) -> None:
    drafted(made)
    translator = _staff("tia", "translator", "fi")
    assert _review(_client(translator), "sv", "submit").status_code == 403
    assert _review(_client(translator), "en", "submit").status_code == 403
    assert _review(_client(translator), "fi", "submit").status_code == 200


def test_publishing_the_source_with_a_new_step_says_which_languages_it_withdraws(made: Course) -> None:
    draft = drafted(made)
    from tests.factories import StepFactory

    StepFactory(module=draft.modules[FIRST], slug="new", position=9, title_en="A new step")
    author, translator, reviewer = _staff("ann", "author"), _staff("tia", "translator", "fi"), _staff("rui", "reviewer")
    workflow.draft_edited(draft=draft.program, user=author, languages=["en"])
    workflow.review_submit(program=made.program, language="en", user=author)
    plan = workflow.publish_plan(program=made.program, languages=["en"], user=reviewer)
    assert plan.problems == []
    assert plan.withdrawn == ["fi"]
    assert "step first/new added" in plan.difference.structure

    new = Step.objects.get(module__program=draft.program, slug="new")
    new.title_fi = "Uusi askel"
    new.save()
    workflow.draft_edited(draft=draft.program, user=translator, languages=["fi"])
    workflow.review_submit(program=made.program, language="fi", user=translator)
    workflow.languages_publish(program=made.program, languages=["en", "fi"], user=reviewer)
    live = Program.objects.get(pk=made.program.pk)
    assert live.published_languages == ["en", "fi"]
    assert "Uusi askel" in Client().get("/fi/program/course/first/").content.decode()


def test_progress_and_answers_survive_a_revision_that_removes_a_step(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    browser.post(program.answers_url(WHY), {"reasons": "For my family.", "importance": "8", "action": "complete"})
    profile = HelpSeekerProfile.objects.get()
    live_step = program.steps[WHY]
    assert StepProgress.objects.filter(profile=profile, step=live_step, completed_on__isnull=False).exists()
    answers = ExerciseAnswer.objects.filter(profile=profile, block__step=live_step).count()
    assert answers == 2

    draft = drafted(program)
    author, reviewer = _staff("ann", "author"), _staff("rui", "reviewer")
    _client(author).post("/staff/modules/step/", {"action": "retire", "_selected_action": [str(draft.steps[WHY].pk)]})
    _review(_client(author), "en", "submit")
    assert "Published as revision 2" in " ".join(_messages(_review(_client(reviewer), "en", "publish")))

    live_step.refresh_from_db()
    assert live_step.retired_on is not None, "retired, never deleted"
    assert StepProgress.objects.filter(profile=profile, step=live_step).exists()
    assert ExerciseAnswer.objects.filter(profile=profile, block__step=live_step).count() == answers
    assert browser.get(program.step_url(WHY)).status_code == 404
    module_page = browser.get(f"/en/program/{program.program.slug}/{FIRST}/")
    assert module_page.status_code == 200
    assert "Why change?" not in module_page.content.decode()
    assert browser.get("/en/me/").status_code == 200
    assert browser.get("/en/me/export/").status_code == 200

    # and it comes back, with the help-seeker's answers, when a revision that has it is restored
    workflow.revision_restore(revision=Revision.objects.get(program=program.program, number=1), user=author)
    _review(_client(author), "en", "submit")
    _review(_client(reviewer), "en", "publish")
    live_step.refresh_from_db()
    assert live_step.retired_on is None
    assert browser.get(program.step_url(WHY)).status_code == 200


def test_a_revision_restores_into_the_draft_and_publishes_again(made: Course) -> None:
    draft = drafted(made)
    author, reviewer, other = _staff("ann", "author"), _staff("rui", "reviewer"), _staff("sam", "reviewer")
    _save_step(_client(author), draft.steps[WHY], title_en="Why change today?")
    _review(_client(author), "en", "submit")
    _review(_client(reviewer), "en", "publish")

    restored = _client(author).post("/staff/revisions/course/1/", follow=True)
    assert "Revision 1 restored into the draft" in " ".join(_messages(restored))
    assert Step.objects.get(pk=draft.steps[WHY].pk).title_en == "Why change?"
    assert "Why change today?" in Client().get(made.step_url(WHY)).content.decode(), "live until published"
    assert set(DraftEdit.objects.filter(user__username="ann").values_list("language", flat=True)) >= {"en", "fi"}

    _review(_client(author), "en", "submit")
    _review(_client(other), "en", "publish")
    assert "Why change?" in Client().get(made.step_url(WHY)).content.decode()
    assert Revision.objects.filter(program=made.program).count() == 3
    assert _client(reviewer).post("/staff/revisions/course/1/").status_code == 403, "reviewers do not restore"


def test_revisions_never_change() -> None:
    made = course()
    drafted(made)
    revision = Revision.objects.get(program=made.program)
    revision.note = "rewritten history"
    with pytest.raises(RevisionImmutable):
        revision.save()
    with pytest.raises(RevisionImmutable):
        revision.delete()
    assert Revision.objects.get(pk=revision.pk).note != "rewritten history"


def test_a_draft_can_never_be_served_to_help_seekers(made: Course) -> None:
    from django.db import IntegrityError, transaction

    draft = drafted(made).program
    assert Client().get(f"/en/program/{draft.slug}/").status_code == 404
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=draft.pk).update(is_published=True)


def test_the_difference_escapes_hostile_text() -> None:
    from authoring.revisions import word_diff

    html = word_diff("Hello <b>there</b>", 'Hello <script>alert(1)</script> "there"')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_bundle_load_keeps_unpublished_draft_edits(made: Course, tmp_path) -> None:
    from authoring.services import program_export_path, program_load_path

    draft = drafted(made)
    program_export_path(program=made.program, path=tmp_path / "bundle")
    author = _staff("ann", "author")
    _save_step(_client(author), draft.steps[WHY], title_en="Draft title")
    program, _changed = program_load_path(path=tmp_path / "bundle")
    assert "kept" in workflow.after_bundle_load(program=program)
    assert Step.objects.get(pk=draft.steps[WHY].pk).title_en == "Draft title"
    DraftEdit.objects.all().delete()
    assert "updated" in workflow.after_bundle_load(program=program)
    assert Step.objects.get(pk=draft.steps[WHY].pk).title_en == "Why change?"


def test_staff_preview_a_draft_as_help_seekers_would_without_a_trace(made: Course) -> None:
    draft = drafted(made)
    author, evaluator = _staff("ann", "author"), _staff("eve", "evaluator")
    _save_step(_client(author), draft.steps[WHY], title_en="Why change, really?")
    client = _client(evaluator)  # any staff member
    before = (HelpSeekerProfile.objects.count(), StepProgress.objects.count(), HelplineDirectoryView.objects.count())

    outline = client.get("/staff/preview/course/fi/")
    step = client.get("/staff/preview/course/en/first/why/")
    finnish = client.get("/staff/preview/course/fi/first/why/")

    assert outline.status_code == step.status_code == finnish.status_code == 200
    html = step.content.decode()
    assert "Why change, really?" in html
    assert "Preview of the draft" in html
    assert "<script" not in html
    assert " onclick=" not in html
    assert "FI Why do you want to change?" in finnish.content.decode()
    assert 'lang="fi"' in finnish.content.decode()
    assert "/staff/preview/course/en/first/values/" in html, "links stay in the preview"
    assert (
        HelpSeekerProfile.objects.count(),
        StepProgress.objects.count(),
        HelplineDirectoryView.objects.count(),
    ) == before
    assert "Why change, really?" not in Client().get(made.step_url(WHY)).content.decode()


def test_staff_preview_the_drafts_urge_now_page(made: Course) -> None:
    from modules.models import Program

    draft = drafted(made)
    Program.objects.filter(pk=draft.program.pk).update(urge_line_en="Draft line: never.", content_version=99)
    client = _client(_staff("eve", "evaluator"))

    html = client.get("/staff/preview/course/en/urge-now/").content.decode()

    assert "Preview of the draft" in html
    assert "Draft line: never." in html
    assert "Why do you want to change?" in html, "the prompts whose answers a signed-in reader sees"
    assert "Draft line: never." not in Client().get("/en/urge/").content.decode()
    assert "/staff/preview/course/en/urge-now/" in client.get("/staff/preview/course/en/").content.decode()
    assert client.get("/staff/preview/course/en/first/nothing/").status_code == 404
    assert client.get("/staff/preview/course/xx/").status_code == 404
    assert Client().get("/staff/preview/course/en/").status_code == 302


def test_the_status_page_shows_the_share_reviewed(made: Course) -> None:
    draft = drafted(made)
    translator = _staff("tia", "translator", "fi")
    page = _client(translator).get("/staff/translations/course/fi/").content.decode()
    assert '<th scope="col">Reviewed</th>' in page
    assert "100%" in page
    assert _save_step(_client(translator), draft.steps[WHY], title_fi="Miksi muuttua nyt?") == 302
    shares = workflow.reviewed_shares(program=made.program, languages=["fi"])["fi"]
    assert shares["first"] < 100
    assert shares["second"] == 100


def test_the_draft_of_the_sample_program_is_the_live_content_exactly() -> None:
    from pathlib import Path

    from authoring.services import program_load_path

    live, _changed = program_load_path(path=Path(__file__).resolve().parents[2] / "programs" / "sample")
    draft = workflow.program_draft(program=live)
    snapshot = workflow.program_snapshot(live)
    assert workflow.program_snapshot(draft) == snapshot
    assert len(snapshot["texts"]) >= 3
    assert Revision.objects.get(program=live).snapshot == snapshot
    assert workflow.after_bundle_load(program=live) == "the draft is the same as the live content"
