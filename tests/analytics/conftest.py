from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group, User

from analytics import services
from analytics.models import Release
from questionnaires import synthetic

TODAY = date(2026, 12, 2)


@pytest.fixture
def evaluator(db) -> User:
    user = User.objects.create_user("eve", password="a long evaluator password", is_staff=True)
    user.groups.add(Group.objects.get(name="evaluator"))
    return user


@pytest.fixture
def author(db) -> User:
    """Staff without the evaluator role."""
    return User.objects.create_user("ann", password="a long author password", is_staff=True)


@pytest.fixture
def released(program) -> Release:
    """October and November 2026 released over 300 synthetic help-seekers in two languages."""
    synthetic.generate(program=program.program, profiles=300, start=date(2026, 10, 1), end=date(2026, 11, 30),
                       languages=("en", "fi"), seed=7)  # fmt: skip
    services.release(period="2026-10", today=TODAY)
    return services.release(period="2026-11", today=TODAY)
