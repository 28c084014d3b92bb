"""Feedback that tells the truth: answers a score hides get their own message first, a safety
answer its own response with help and the line not to cross, despair the crisis lines; every
score says which way is better, and the change since the start whether it is an improvement;
a subscale of reverse-scored items reads as answered."""

import pytest
from django.test import Client

from helpseekers.models import HelpSeekerProfile
from helpseekers.services import step_complete
from questionnaires.models import Better, FeedbackRule, Item, RuleKind, Subscale
from questionnaires.services import response_submit
from tests.factories import PLAN, Course, HelplineFactory

START = "/en/questionnaires/course/start/"


def _rule(course: Course, slug: str, item: str, text: str, **condition: object) -> FeedbackRule:
    return FeedbackRule.objects.create(
        instrument=course.items[item].instrument, slug=slug, item=course.items[item], text_en=text, **condition
    )


@pytest.mark.django_db
def test_an_answer_the_score_hides_gets_its_own_message_before_the_band(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    _rule(
        program, "views-often", "frequency", "You view often: the module on urges can help.", any_of=["weekly", "daily"]
    )
    _rule(program, "many-hours", "hours", "That is a lot of hours.", at_least=20)

    browser.post(
        START, {"urge-strength": "1", "confidence": "9", "frequency": "daily", "hours": "30", "action": "submit"}
    )
    html = browser.get(START + "result/").content.decode()

    assert html.index("You view often: the module on urges can help.") < html.index("That is a lot of hours.")
    assert html.index("That is a lot of hours.") < html.index("Your score:")
    # the score alone would reassure: its band's text gives way to the messages, the score stays
    assert "Things look calmer." not in html
    assert "A score reads only some of your answers." in html


@pytest.mark.django_db
def test_a_rule_that_does_not_match_says_nothing(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    _rule(program, "views-often", "frequency", "You view often.", any_of=["weekly", "daily"])
    _rule(program, "many-hours", "hours", "That is a lot of hours.", at_least=20)

    browser.post(
        START, {"urge-strength": "1", "confidence": "9", "frequency": "never", "hours": "19", "action": "submit"}
    )
    html = browser.get(START + "result/").content.decode()

    assert "You view often." not in html
    assert "That is a lot of hours." not in html
    assert "Things look calmer." in html, "with no message on the answers, the band speaks"
    assert "A score reads only some of your answers." not in html


@pytest.mark.django_db
def test_a_safety_answer_has_its_own_response_with_help_and_the_line_not_to_cross(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    rule = _rule(program, "tried", "contact", "You said you tried to contact a child. Please talk to a service today.",
                 any_of=["tried"], kind=RuleKind.SAFETY)  # fmt: skip
    rule.step = program.steps[PLAN]
    rule.save(update_fields=["step"])

    browser.post(START, {"contact": "tried", "action": "submit"})
    html = browser.get(START + "result/").content.decode()

    urgent = html.split('<section class="urgent"')[1].split("</section>")[0]
    assert "You said you tried to contact a child." in urgent
    assert f'href="{program.step_url(PLAN)}"' in urgent
    assert "Finnish line" in urgent
    assert "If you are about to act" not in urgent, "it happened: not the moment-of-acting message"


@pytest.mark.django_db
def test_despair_shows_the_crisis_lines(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    HelplineFactory(slug="night-line", kind="crisis", country="", name_en="Night crisis line", phone="116 123")
    _rule(program, "hopeless", "confidence", "It sounds very hard right now.", at_most=0, kind=RuleKind.CRISIS)

    browser.post(START, {"confidence": "0", "action": "submit"})
    html = browser.get(START + "result/").content.decode()

    crisis = html.split('aria-labelledby="in-despair"')[1].split("</section>")[0]
    assert "It sounds very hard right now." in crisis
    assert "Night crisis line" in crisis
    assert "Finnish line" not in crisis


@pytest.mark.django_db
def test_every_score_says_which_way_is_better_and_whether_the_change_is_an_improvement(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    browser.post(START, {"urge-strength": "8", "confidence": "2", "action": "submit"})
    assert "Lower scores are better." in browser.get(START + "result/").content.decode()

    profile = HelpSeekerProfile.objects.get()
    for step in program.steps.values():
        step_complete(profile=profile, step_id=step.pk, module_id=step.module_id, program_id=program.program.pk)
    response_submit(
        profile=profile, occasion=program.occasions["end"], answers={"urge-strength": "2", "confidence": "9"}
    )
    end = browser.get("/en/questionnaires/course/end/result/").content.decode()

    assert "Change since you started: -13.00 · <strong>That is an improvement.</strong>" in end


@pytest.mark.django_db
def test_a_subscale_of_reverse_scored_items_reads_as_answered(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    check_in = program.items["mood"].instrument
    mood = Subscale.objects.create(instrument=check_in, slug="mood", title_en="Mood", better=Better.HIGHER)
    Item.objects.filter(pk=program.items["mood"].pk).update(reverse_scored=True, subscale=mood)
    for step in (step for step in program.steps.values() if step.module.slug == "first"):
        browser.post(program.answers_url(step.slug), {"action": "complete"})

    browser.post(program.questionnaire_url("after-first"), {"mood": "0", "action": "submit"})
    html = browser.get(program.questionnaire_url("after-first") + "result/").content.decode()

    assert "Mood</span>: 0.00 (higher is better)" in html
    assert "10.00 (higher is better)" not in html
