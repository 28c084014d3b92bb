"""Clinicians edit content in the staff admin, in the program's draft: a save invalidates the
draft's cached renderings and records who changed which language, and help-seekers see none
of it until it is published (``test_workflow``); content is retired and restored, never
deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from authoring.models import DraftEdit
from modules.models import Module, Program, Step
from tests.factories import FIRST, WHY, Course, course, drafted


@pytest.fixture
def staff_client(db: None) -> Client:
    user = get_user_model().objects.create_superuser("clinician", password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_lists_and_forms_render(staff_client: Client, program: Course) -> None:
    program = drafted(program)
    step = program.steps[WHY]
    block = program.blocks["reasons"]
    for url in (
        "/staff/modules/program/",
        f"/staff/modules/program/{program.program.pk}/change/",
        "/staff/modules/module/",
        f"/staff/modules/module/{program.modules[FIRST].pk}/change/",
        "/staff/modules/step/",
        "/staff/modules/step/?retired=yes",
        f"/staff/modules/step/{step.pk}/change/",
        f"/staff/modules/block/{block.pk}/change/",
        "/staff/modules/helpline/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_saving_a_module_changes_the_draft_only(staff_client: Client, program: Course) -> None:
    live = program
    program = drafted(live)
    module = program.modules[FIRST]
    version = Program.objects.get(pk=program.program.pk).content_version
    form = staff_client.get(f"/staff/modules/module/{module.pk}/change/").context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(title_en="Starting out", **_steps_inline(module))

    response = staff_client.post(f"/staff/modules/module/{module.pk}/change/", data)

    assert response.status_code == 302, response.content[:2000]
    assert Module.objects.get(pk=module.pk).title_en == "Starting out"
    assert Program.objects.get(pk=program.program.pk).content_version > version
    assert list(DraftEdit.objects.values_list("program", "language", "user__username")) == [
        (live.program.pk, "en", "clinician")
    ]
    assert live.modules[FIRST].title_en == Module.objects.get(pk=live.modules[FIRST].pk).title_en != "Starting out"
    assert "Starting out" not in Client().get("/en/program/course/").content.decode()
    assert staff_client.get("/staff/live-program-rows-are-not-here/").status_code == 404
    assert staff_client.get(f"/staff/modules/module/{live.modules[FIRST].pk}/change/").status_code == 302


@pytest.mark.django_db
def test_emptying_a_translation_in_the_draft_leaves_the_published_language(staff_client: Client) -> None:
    made = course(languages=("en", "fi"))
    module = drafted(made).modules[FIRST]
    form = staff_client.get(f"/staff/modules/module/{module.pk}/change/").context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(title_fi="", **_steps_inline(module))

    staff_client.post(f"/staff/modules/module/{module.pk}/change/", data)

    assert not Module.objects.get(pk=module.pk).title_fi
    assert Program.objects.get(pk=made.program.pk).published_languages == ["en", "fi"]
    assert "FI Welcome" in Client().get("/fi/program/course/first/").content.decode()
    assert list(DraftEdit.objects.values_list("language", flat=True)) == ["fi"]


@pytest.mark.django_db
def test_content_cannot_be_deleted_in_the_admin_only_retired_and_restored(
    staff_client: Client, program: Course
) -> None:
    step = drafted(program).steps[WHY]
    assert staff_client.get(f"/staff/modules/step/{step.pk}/delete/").status_code == 403

    retired = staff_client.post("/staff/modules/step/", {"action": "retire", "_selected_action": [str(step.pk)]})
    assert retired.status_code == 302
    assert Step.objects.get(pk=step.pk).retired_on is not None
    assert Client().get(program.step_url(WHY)).status_code == 200, "live until a reviewer publishes it"

    staff_client.post("/staff/modules/step/", {"action": "restore", "_selected_action": [str(step.pk)]})
    assert Step.objects.get(pk=step.pk).retired_on is None


def _steps_inline(module: Module) -> dict[str, str]:
    steps = list(module.steps.all())
    data = {
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, step in enumerate(steps):
        data.update(
            {
                f"steps-{index}-id": str(step.pk),
                f"steps-{index}-module": str(module.pk),
                f"steps-{index}-position": str(step.position),
                f"steps-{index}-slug": step.slug,
                f"steps-{index}-title_en": step.title_en or "",
                f"steps-{index}-title_fi": step.title_fi or "",
                f"steps-{index}-estimated_minutes": str(step.estimated_minutes),
            }
        )
    return data


@pytest.mark.django_db
def test_a_block_shows_its_text_as_help_seekers_read_it(staff_client: Client, program: Course) -> None:
    from tests.factories import WELCOME

    program = drafted(program)
    block = program.blocks["intro"]
    assert block.step == program.steps[WELCOME]
    page = staff_client.get(f"/staff/modules/block/{block.pk}/change/").content.decode()
    assert "Preview, as help-seekers read it" in page
    assert "You are <strong>welcome</strong> here." in page


@pytest.mark.django_db
def test_questionnaires_are_in_the_staff_site(staff_client: Client, program: Course) -> None:
    instrument = program.occasions["start"].instrument
    page = staff_client.get(f"/staff/questionnaires/instrument/{instrument.pk}/change/")
    assert page.status_code == 200
    assert "How strong were your urges?" in page.content.decode()
    assert staff_client.get(f"/staff/questionnaires/item/{program.items['contact'].pk}/change/").status_code == 200
    assert staff_client.get(f"/staff/questionnaires/instrument/{instrument.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_questionnaire_items_and_occasions_retire_and_restore_in_the_staff_site(
    staff_client: Client, program: Course
) -> None:
    from questionnaires.models import Item, Occasion

    item, occasion = program.items["contact"], program.occasions["end"]
    version = Program.objects.get(pk=program.program.pk).content_version
    for url, row in (("/staff/questionnaires/item/", item), ("/staff/questionnaires/occasion/", occasion)):
        assert staff_client.post(url, {"action": "retire", "_selected_action": [str(row.pk)]}).status_code == 302
    assert Item.objects.get(pk=item.pk).retired_on is not None
    assert Occasion.objects.get(pk=occasion.pk).retired_on is not None
    assert Program.objects.get(pk=program.program.pk).content_version > version, "cached pages invalidated"

    staff_client.post("/staff/questionnaires/item/", {"action": "restore", "_selected_action": [str(item.pk)]})
    assert Item.objects.get(pk=item.pk).retired_on is None
