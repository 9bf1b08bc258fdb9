"""Shared test settings: Hypothesis profiles that do not flake on a busy 2-core machine."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Caches (HTTP answers, embeddings) go to a folder of the test run, never the user's."""
    os.environ.setdefault("MESOREFS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
