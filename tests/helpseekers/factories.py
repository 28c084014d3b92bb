"""Test data for help-seekers: profiles with random digests (no hashing needed)."""

import os
from typing import Any

import factory

from helpseekers.models import HelpSeekerProfile


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpSeekerProfile

    codename_digest = factory.LazyFunction(lambda: os.urandom(32))
    key_salt = factory.LazyFunction(lambda: os.urandom(16))


def profile(**fields: Any) -> HelpSeekerProfile:
    return ProfileFactory(**fields)
