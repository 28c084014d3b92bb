"""Progress writes: completing a step (once, keeping its first date, also when two requests
race), completing a module, and what retired content does to both."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection, connections, transaction

from helpseekers import selectors, services
from helpseekers.models import ModuleCompletion, StepProgress, today
from modules.services import content_retire
from tests.factories import FIRST, PLAN, VALUES, WELCOME, WHY, Course, ProfileFactory

DAY_ONE = date(2026, 11, 2)
DAY_TWO = date(2026, 11, 3)


def _complete(course: Course, profile: object, step: str) -> bool:
    row = course.steps[step]
    return services.step_complete(  # type: ignore[arg-type]
        profile=profile, step_id=row.pk, module_id=row.module_id, program_id=row.module.program_id
    )


@pytest.mark.django_db
def test_completing_a_step_records_the_day_once_and_keeps_the_first_date(program: Course) -> None:
    profile = ProfileFactory()
    with time_machine.travel(DAY_ONE):
        services.step_record_view(profile=profile, step_id=program.steps[WHY].pk)
        assert _complete(program, profile, WHY) is False
    with time_machine.travel(DAY_TWO):
        assert _complete(program, profile, WHY) is False

    progress = StepProgress.objects.get(profile=profile, step=program.steps[WHY])
    assert (progress.first_viewed_on, progress.completed_on) == (DAY_ONE, DAY_ONE)


@pytest.mark.django_db
def test_completing_a_step_never_opened_writes_one_row(program: Course) -> None:
    profile = ProfileFactory()

    with time_machine.travel(DAY_TWO):
        _complete(program, profile, WELCOME)

    progress = StepProgress.objects.get(profile=profile)
    assert (progress.first_viewed_on, progress.completed_on) == (DAY_TWO, DAY_TWO)


@pytest.mark.django_db
def test_the_last_step_of_a_module_completes_it_once(program: Course) -> None:
    profile = ProfileFactory()
    results = [_complete(program, profile, step) for step in (WELCOME, WHY, VALUES, PLAN)]

    assert results == [False, False, False, True]
    assert _complete(program, profile, PLAN) is False
    assert list(ModuleCompletion.objects.values_list("module__slug", flat=True)) == [FIRST]


@pytest.mark.django_db
def test_a_retired_step_neither_counts_nor_blocks_a_modules_completion(program: Course) -> None:
    profile = ProfileFactory()
    _complete(program, profile, WHY)
    content_retire(rows=[program.steps[WHY], program.steps[PLAN]])

    assert [_complete(program, profile, step) for step in (WELCOME, VALUES)] == [False, True]
    signed_in = services.SignedIn(profile=profile, key=b"k" * 32, token_digest=b"d" * 32)
    progress = selectors.program_progress(signed_in=signed_in, program_id=program.program.pk)
    assert (progress[FIRST].steps_completed, progress[FIRST].steps_total) == (2, 2)
    assert StepProgress.objects.filter(profile=profile, step=program.steps[WHY]).exists(), "history is kept"


@pytest.mark.django_db
def test_a_completion_that_another_request_made_first_reports_nothing(program: Course) -> None:
    # given the step opened, and another request completing it between this one's read and write
    profile = ProfileFactory()
    for step in (WELCOME, WHY, VALUES):
        _complete(program, profile, step)
    services.step_record_view(profile=profile, step_id=program.steps[PLAN].pk)

    raced: list[bool] = []

    def other_request_first(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("UPDATE") and "completed_on" in sql and not raced:
            raced.append(True)
            StepProgress.objects.filter(profile=profile, step=program.steps[PLAN]).update(completed_on=today())
            ModuleCompletion.objects.create(profile=profile, module=program.modules[FIRST], completed_on=today())
        return execute(sql, params, many, context)

    # when this request completes the last step of the module
    with connection.execute_wrapper(other_request_first):
        completed_module = _complete(program, profile, PLAN)

    # then it reports no module completion of its own, and the other request's date stands
    assert raced == [True]
    assert completed_module is False
    assert ModuleCompletion.objects.filter(profile=profile).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_completing_the_last_step_at_once_complete_the_module_once(
    postgresql: None, program: Course
) -> None:
    # given the last step of a module opened, the others completed
    profile = ProfileFactory()
    for step in (WELCOME, WHY, VALUES):
        _complete(program, profile, step)
    services.step_record_view(profile=profile, step_id=program.steps[PLAN].pk)
    both_read = threading.Barrier(2, timeout=10)
    results: list[bool] = []

    def wait_for_the_other(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("UPDATE") and "completed_on" in sql:
            both_read.wait()  # both have read "not completed yet"; now both write
        return execute(sql, params, many, context)

    def request() -> None:
        try:
            with connection.execute_wrapper(wait_for_the_other), transaction.atomic():
                results.append(_complete(program, profile, PLAN))
        finally:
            connections.close_all()

    # when two requests complete it at the same moment, each in its own transaction
    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    # then exactly one of them completed the module
    assert sorted(results) == [False, True]
    assert ModuleCompletion.objects.filter(profile=profile).count() == 1
    assert StepProgress.objects.filter(profile=profile, completed_on__isnull=False).count() == 4
