"""A step can list the crisis lines (suicide and emotional crisis) where its content touches
despair or overwhelming shame: the directory's crisis lines, in the content's language, with
their ways of contact; a change to the directory shows on those steps at once."""

import pytest
from django.test import Client

from modules.models import BlockKind, Helpline
from modules.services import helplines_touch
from tests.factories import HELP, BlockFactory, Course, HelplineFactory


@pytest.fixture
def crisis_step(program: Course) -> Course:
    body = "If shame becomes too much, or you think of ending your life, talk to someone now."
    BlockFactory(step=program.steps[HELP], slug="crisis", kind=BlockKind.CRISIS_LINES, position=2, body_en=body)
    HelplineFactory(slug="night-line", country="", kind="crisis", name_en="Night line", phone="116 123")
    return program


@pytest.mark.django_db
def test_the_block_lists_only_the_crisis_lines_with_their_ways_of_contact(client: Client, crisis_step: Course) -> None:
    html = client.get(crisis_step.step_url(HELP)).content.decode()

    block = html.split('<section class="block helplines crisis">')[1].split("</section>")[0]
    assert "If shame becomes too much" in block
    assert '<strong dir="auto">Night line</strong> · International' in block
    assert '<a href="tel:116123">116 123</a>' in block
    assert "Finnish line" not in block, "services for people worried about their behaviour are not crisis lines"
    assert 'href="/en/help/"' in block


@pytest.mark.django_db
def test_a_change_to_the_directory_shows_at_once(client: Client, crisis_step: Course) -> None:
    client.get(crisis_step.step_url(HELP))  # cached
    Helpline.objects.filter(slug="night-line").update(name_en="Night and day line")

    stale = client.get(crisis_step.step_url(HELP)).content.decode()
    helplines_touch()  # what saving a helpline in the staff site does
    fresh = client.get(crisis_step.step_url(HELP)).content.decode()

    assert "Night and day line" not in stale
    assert "Night and day line" in fresh


@pytest.mark.django_db
def test_saving_a_helpline_in_the_staff_site_renders_the_steps_afresh(crisis_step: Course) -> None:
    from modules.models import Program
    from tests.authoring.staff import signed_in, staff_member

    before = Program.objects.get(pk=crisis_step.program.pk).content_version
    admin = signed_in(staff_member("ada", "administrator"))
    helpline = Helpline.objects.get(slug="night-line")
    page = admin.get(f"/staff/modules/helpline/{helpline.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        slug="night-line", kind="crisis", languages='["en"]', name_en="Renamed line", website="https://x.example.org/"
    )
    response = admin.post(f"/staff/modules/helpline/{helpline.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Program.objects.get(pk=crisis_step.program.pk).content_version > before
