"""API fuzzing (issue 16, item 3): schemathesis generates requests for every operation of the
OpenAPI schema, as an anonymous visitor, as a signed-in help-seeker (bearer token) and as an
evaluator (staff session); every response must be no 5xx and conform to the schema (its
status documented, its content type and body as documented).

Bounded: ``FUZZ_EXAMPLES`` examples per operation and role (3 in ``make test``; ``make fuzz``
runs 50), in-process through the WSGI application, nothing on the network.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import Group, User
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import course

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("anonymous", "helpseeker", "evaluator")


def _headers(role: str) -> dict[str, str]:
    if role == "helpseeker":
        token = Client().post("/api/v1/helpseekers/start/").json()["token"]
        return {"Authorization": f"Bearer {token}"}
    if role == "evaluator":
        user = User.objects.create_user("eve", password="a long evaluator password", is_staff=True)
        user.groups.add(Group.objects.get(name="evaluator"))
        client = Client()
        client.force_login(user)
        return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    return {}


def _fuzz(operation: Any, headers: dict[str, str], calls: list[int], failures: list[tuple[str, str]]) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def fuzz(case: Any) -> None:
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as failure:  # every check's failure is collected, then reported at once
            failures.append((operation.label, str(failure).strip().splitlines()[0] if str(failure) else repr(failure)))
        else:
            calls.append(response.status_code)

    fuzz()


# Committed, as in production: the sign-in views run outside a transaction.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_within_its_schema_and_never_with_a_5xx(role: str) -> None:
    course(languages=("en", "fi"))
    headers = _headers(role)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    calls: list[int] = []
    failures: list[tuple[str, str]] = []

    for operation in operations:
        _fuzz(operation, headers, calls, failures)

    print(f"fuzz as {role}: {len(operations)} operations, {len(calls) + len(failures)} requests, "
          f"{sum(1 for status in calls if status >= 500)} 5xx")  # fmt: skip
    assert len(operations) >= 20
    assert failures == []
