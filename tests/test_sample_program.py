"""The shipped sample program: the one place that asserts its wording, counts and languages.

A clinician who edits the sample updates this module and nothing else. The sample is loaded
once for the whole module (in a transaction rolled back at the end); each test runs inside it
and rolls back its own changes.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from authoring.selectors import program_complete_languages
from authoring.services import program_export_path, program_load_path
from modules import selectors
from modules.models import Block, BlockKind, Helpline, Program, Step
from questionnaires.models import Instrument
from questionnaires.selectors import instrument_problems
from tests.conftest import codename_from

SAMPLE = Path(__file__).resolve().parents[1] / "programs" / "sample"
# Files for people beside the bundle: translator notes, the sources of its claims, its review.
PROSE = {"NOTES.md", "SOURCES.md", "REVIEW.md"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="module")
def sample(django_db_setup: None, django_db_blocker: object) -> Iterator[Program]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        outer = transaction.atomic()
        outer.__enter__()
        try:
            program, _changed = program_load_path(path=SAMPLE)
            yield program
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.django_db
def test_the_shipped_bundle_is_in_canonical_form(sample: Program, tmp_path: Path) -> None:
    program_export_path(program=sample, path=tmp_path / "out")

    shipped = {name: data for name, data in _tree(SAMPLE).items() if name.rsplit("/", 1)[-1] not in PROSE}
    assert _tree(tmp_path / "out") == shipped


@pytest.mark.django_db
def test_loading_it_again_changes_nothing(sample: Program) -> None:
    program, changed = program_load_path(path=SAMPLE)

    assert not changed
    assert program.content_version == sample.content_version


@pytest.mark.django_db
def test_it_is_complete_and_published_in_english_finnish_and_spanish_only(sample: Program) -> None:
    assert program_complete_languages(program=sample) == {"en", "fi", "es"}
    assert sample.published_languages == ["en", "fi", "es"]
    assert selectors.program_get(slug="sample").published_languages == {"en", "fi", "es"}


MODULES = [
    "getting-started",
    "understanding-my-use",
    "contact-with-other-users",
    "the-harm-is-real",
    "sexual-interest",
    "feelings-that-drive-use",
    "urges-and-risky-situations",
    "the-line-not-to-cross",
    "lapses-and-my-plan",
    "a-good-life-and-my-plan",
]


@pytest.mark.django_db
def test_it_has_ten_modules_of_three_to_six_steps_every_block_kind_and_sample_helplines(sample: Program) -> None:
    modules = list(sample.modules.filter(retired_on__isnull=True).order_by("position"))
    assert [module.slug for module in modules] == MODULES, "contact with other users comes early, as third"
    for module in modules:
        assert 3 <= module.steps.filter(retired_on__isnull=True).count() <= 6, module.slug
    steps = Step.objects.active().filter(module__program=sample)
    print(f"sample: {len(modules)} modules, {steps.count()} steps, {sum(s.estimated_minutes for s in steps)} minutes")
    kinds = set(Block.objects.active().filter(step__module__program=sample).values_list("kind", flat=True))
    assert kinds == set(BlockKind.values), "every block kind is used where it helps"
    assert sample.is_sample
    assert Helpline.objects.filter(is_sample=True).values("country").distinct().count() >= 4
    assert Helpline.objects.filter(kind="crisis", is_sample=True).count() >= 3, (
        "crisis lines, for the operator to verify"
    )


@pytest.mark.django_db
def test_who_is_in_contact_with_other_users_is_led_to_leaving_and_who_is_not_skips_it(
    client: Client, sample: Program
) -> None:
    welcome = "/en/me/answers/sample/getting-started/welcome/"
    module = "/en/program/sample/contact-with-other-users/"
    client.post("/en/start/")
    client.post(welcome, {"contact-with-users": "never", "viewed-before": "never", "action": "save"})
    never = client.get(module).content.decode()
    urges = client.get("/en/program/sample/urges-and-risky-situations/").content.decode()
    client.post(welcome, {"contact-with-users": "want-to-leave", "viewed-before": "yes-still", "action": "save"})
    leaving = client.get(module).content.decode()

    assert "/contact-with-other-users/why-groups-pull/" in never, "everybody learns why these groups pull people in"
    assert "/contact-with-other-users/leaving/" not in never
    assert "/urges-and-risky-situations/escalation/" not in urges, "no viewing-pattern steps for who never viewed"
    for step in ("what-groups-do", "leaving", "old-contacts", "connection-elsewhere"):
        assert f"/contact-with-other-users/{step}/" in leaving, step


@pytest.mark.django_db
def test_where_content_touches_despair_or_shame_the_crisis_lines_are_on_the_page(
    client: Client, sample: Program
) -> None:
    for step in ("feelings-that-drive-use/shame-and-guilt", "sexual-interest/my-own-history"):
        html = client.get(f"/en/program/sample/{step}/").content.decode()
        block = html.split('<section class="block helplines crisis">')[1].split("</section>")[0]
        assert "Samaritans" in block, step
    client.post("/en/start/")
    for step in ("welcome", "why-change", "what-matters", "this-program"):
        client.post(f"/en/me/answers/sample/getting-started/{step}/", {"action": "complete"})
    answers = {"urge-strength": "3", "mood": "5", "shame": "10"}
    assert client.post("/en/questionnaires/sample/after-getting-started/", answers).status_code == 302
    result = client.get("/en/questionnaires/sample/after-getting-started/result/").content.decode()
    assert "If you are in despair" in result
    assert "Samaritans" in result.split("If you are in despair")[1]


@pytest.mark.django_db
def test_its_instruments_pass_every_authoring_rule(sample: Program) -> None:
    instruments = list(Instrument.objects.all())

    assert {i.slug for i in instruments} == {"my-situation", "check-in", "program-feedback", "weekly-check"}
    for instrument in instruments:
        assert instrument_problems(instrument) == [], instrument.slug


@pytest.mark.parametrize("language", ["en", "fi", "es", "ar"])
@pytest.mark.django_db
def test_every_page_of_it_renders(client: Client, sample: Program, language: str) -> None:
    outline = selectors.program_outline(program=selectors.program_get(slug="sample"), language="en")
    pages = [f"/{language}/", f"/{language}/program/sample/", f"/{language}/help/", f"/{language}/urge/"]
    pages += [f"/{language}/safety/", f"/{language}/urge/wait/", f"/{language}/urge/after/"]
    for module in outline.modules:
        pages.append(f"/{language}/program/sample/{module.slug}/")
        pages += [f"/{language}/program/sample/{module.slug}/{step.step_slug}/" for step in module.steps]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert b"<script" not in response.content, page
    assert len(pages) == 7 + 10 + 43  # 10 modules, 43 steps


CSS = Path(__file__).resolve().parents[1] / "redirection" / "static" / "redirection" / "site.css"
URGE_WEIGHT_LIMIT = 15 * 1024  # bytes of HTML and stylesheet, uncompressed: a slow Tor circuit


@pytest.mark.django_db
def test_urge_now_reads_the_samples_words_and_weighs_under_15_kb(client: Client, sample: Program) -> None:
    stylesheet = CSS.stat().st_size
    signed_out = client.get("/en/urge/").content
    assert "Put both feet flat on the floor." in signed_out.decode()
    assert "Seeking contact with a child, online or offline, is a line you must not cross." in signed_out.decode()
    assert "Aseta molemmat jalat tukevasti lattialle." in client.get("/fi/urge/").content.decode()
    assert "Apoya los dos pies en el suelo." in client.get("/es/urge/").content.decode()

    client.post("/en/start/")
    answer = "A few honest sentences of my own, about as long as people write them in a plan. " * 3
    for step, blocks in (
        ("getting-started/why-change", ["my-reasons"]),
        ("urges-and-risky-situations/delay-and-distract", ["delay-plan"]),
        ("the-line-not-to-cross/the-moment", ["if-drawn"]),
        ("lapses-and-my-plan/my-plan-for-setbacks", ["what-i-will-do", "who-i-will-contact"]),
    ):  # a step's form holds all its exercises
        assert client.post(f"/en/me/answers/sample/{step}/", dict.fromkeys(blocks, answer)).status_code == 302
    signed_in = client.get("/en/urge/").content
    html = signed_in.decode()
    assert html.count('<p class="plan-answer" dir="auto">A few honest') == 5

    weights = {"signed out": len(signed_out) + stylesheet, "signed in": len(signed_in) + stylesheet}
    print(f"urge now page weight (HTML + CSS, bytes): {weights}")
    assert max(weights.values()) <= URGE_WEIGHT_LIMIT, weights


@pytest.mark.django_db
def test_its_first_step_and_baseline_read_as_written(client: Client, sample: Program) -> None:
    welcome = client.get("/en/program/sample/getting-started/welcome/").content.decode()
    assert "<h1>Welcome</h1>" in welcome
    assert 'name="what-brings-you" value="worried-about-urges"' in welcome
    assert '<article lang="fi" dir="ltr">' in client.get("/fi/program/sample/getting-started/welcome/").content.decode()

    codename_from(client.post("/en/start/").content.decode())
    client.post(
        "/en/questionnaires/sample/start/",
        {"urge-strength": "8", "confidence": "2", "viewing-frequency": "once-or-twice", "action": "submit"},
    )
    result = client.get("/en/questionnaires/sample/start/result/").content.decode()
    assert "Your score: 16.00 (possible scores run from 0.00 to 20.00)" in result
    assert "Right now your urges seem strong, or your confidence low." in result


@pytest.mark.django_db
def test_someone_who_never_viewed_is_not_asked_when_viewing_happens(client: Client, sample: Program) -> None:
    client.post("/en/start/")
    client.post("/en/me/answers/sample/getting-started/welcome/", {"viewed-before": "never", "action": "complete"})

    module = client.get("/en/program/sample/understanding-my-use/").content.decode()
    baseline = client.get("/en/questionnaires/sample/start/").content.decode()

    assert "/understanding-my-use/patterns/" not in module
    assert "/understanding-my-use/triggers/" in module
    assert 'name="viewing-frequency"' not in baseline
    assert 'name="hours-per-week"' not in baseline
    assert 'name="urge-strength"' in baseline


@pytest.mark.django_db
def test_its_baseline_answers_what_the_score_hides_and_responds_to_safety_and_despair(
    client: Client, sample: Program
) -> None:
    client.post("/en/start/")
    client.post(
        "/en/questionnaires/sample/start/",
        {
            "viewing-frequency": "daily",
            "hours-per-week": "30",
            "urge-strength": "2",
            "confidence": "8",
            "contact-with-users": "often",
            "sought-contact-with-child": "tried-contact",
            "hopelessness": "9",
            "action": "submit",
        },
    )

    html = client.get("/en/questionnaires/sample/start/result/").content.decode()

    score = html.index("Your score:")
    for message in (
        "You said that in the last 4 weeks you tried to contact a child online.",
        "You said you feel very hopeless about your future.",
        "You said you have viewed this material often in the last 4 weeks.",
        "You said you spend several hours a week viewing this material.",
        "You said you are in contact with other people who view sexual images of children.",
    ):
        assert html.index(message) < score, message
    assert "Right now your urges seem lower" not in html, "the low score's reassurance gives way to the messages"
    assert 'href="/en/program/sample/the-line-not-to-cross/the-moment/"' in html
    assert "Samaritans (UK and Ireland)" in html.split('aria-labelledby="in-despair"')[1]
    assert "Lower scores are better." in html


@pytest.mark.django_db
def test_its_weekly_check_comes_every_week_for_twelve_weeks(client: Client, sample: Program) -> None:
    from datetime import timedelta

    from helpseekers.models import HelpSeekerProfile
    from questionnaires.models import QuestionnaireResponse

    client.post("/en/start/")
    assert "Weekly check" not in client.get("/en/me/").content.decode(), "not in the first week"
    profile = HelpSeekerProfile.objects.get()
    HelpSeekerProfile.objects.filter(pk=profile.pk).update(created_on=profile.created_on - timedelta(days=15))

    due = client.get("/en/me/").content.decode()
    answered = client.post("/en/questionnaires/sample/weekly/", {"hours-past-week": "2", "urge-strength": "6"})
    again = client.get("/en/questionnaires/sample/weekly/")

    assert 'href="/en/questionnaires/sample/weekly/"' in due
    assert answered.status_code == 302
    assert again.status_code == 409, "week 2 is answered; week 3 comes in a week"
    assert list(QuestionnaireResponse.objects.values_list("occasion__slug", "round")) == [("weekly", 2)]
    result = client.get("/en/questionnaires/sample/weekly/result/").content.decode()
    assert "Thank you." in result
