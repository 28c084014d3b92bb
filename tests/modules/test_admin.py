"""Clinicians edit content in the admin; a save invalidates cached pages."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from modules.models import Block, Module, Program, Step


@pytest.fixture
def staff_client(db: None) -> Client:
    user = get_user_model().objects.create_superuser("clinician", password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_lists_and_forms_render(staff_client: Client, sample_program: Program) -> None:
    step = Step.objects.get(module__slug="getting-started", slug="welcome")
    block = Block.objects.filter(step=step).first()
    assert block is not None
    for url in (
        "/admin/modules/program/",
        f"/admin/modules/program/{sample_program.pk}/change/",
        "/admin/modules/module/",
        f"/admin/modules/module/{Module.objects.first().pk}/change/",  # type: ignore[union-attr]
        "/admin/modules/step/",
        f"/admin/modules/step/{step.pk}/change/",
        f"/admin/modules/block/{block.pk}/change/",
        "/admin/modules/helpline/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_saving_a_module_in_the_admin_bumps_the_content_version(staff_client: Client, sample_program: Program) -> None:
    module = Module.objects.get(program=sample_program, slug="getting-started")
    version = Program.objects.get(pk=sample_program.pk).content_version
    form = staff_client.get(f"/admin/modules/module/{module.pk}/change/").context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(title_en="Starting out", **_empty_inline("steps", module))

    response = staff_client.post(f"/admin/modules/module/{module.pk}/change/", data)

    assert response.status_code == 302, response.content[:2000]
    assert Module.objects.get(pk=module.pk).title_en == "Starting out"
    assert Program.objects.get(pk=sample_program.pk).content_version == version + 1


def _empty_inline(prefix: str, module: Module) -> dict[str, str]:
    steps = list(module.steps.all())
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(steps)),
        f"{prefix}-INITIAL_FORMS": str(len(steps)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, step in enumerate(steps):
        data.update(
            {
                f"{prefix}-{index}-id": str(step.pk),
                f"{prefix}-{index}-module": str(module.pk),
                f"{prefix}-{index}-position": str(step.position),
                f"{prefix}-{index}-slug": step.slug,
                f"{prefix}-{index}-title_en": step.title_en or "",
                f"{prefix}-{index}-title_fi": step.title_fi or "",
                f"{prefix}-{index}-title_es": step.title_es or "",
                f"{prefix}-{index}-estimated_minutes": str(step.estimated_minutes),
            }
        )
    return data
