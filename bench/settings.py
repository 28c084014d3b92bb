"""Benchmark settings: the production settings, plus the floor view's URL."""

from redirection.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
