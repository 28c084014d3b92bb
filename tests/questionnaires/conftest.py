from tests.helpseekers.conftest import _fast_hashing, started  # noqa: F401  (shared fixtures)
