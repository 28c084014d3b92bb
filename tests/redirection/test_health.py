"""/healthz says whether the database and broker answer, and nothing more."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_database_ok_and_no_broker_in_eager_mode(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not used"}


@pytest.mark.django_db
def test_healthz_reports_unreachable_broker_without_details(client: Client, settings) -> None:
    from redirection.celery import app

    # Put back what was there (read before the settings change: the app reads its settings
    # when first asked). With None, tasks sent later from this process went nowhere.
    original = app.conf.broker_url
    settings.CELERY_BROKER_URL = app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "unavailable"}


@pytest.mark.django_db
def test_healthz_reports_real_broker_ok(client: Client, redis_broker: str) -> None:
    response = client.get("/healthz")

    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_probes_that_use_the_container_address(client: Client, settings) -> None:
    settings.ALLOWED_HOSTS = ["help.example.org"]

    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_healthz_rejects_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
