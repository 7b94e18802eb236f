"""The hypothesis profiles of the property tests (tests/test_properties.py).

- ``ci`` (the default): a few dozen examples per property, the whole file in under 20 seconds;
- ``long``: 2,000 examples per property, for a nightly or pre-release hunt.

Choose one with ``SLSREVIEW_HYPOTHESIS_PROFILE=long`` or, once ``tests/conftest.py`` calls
``register_profiles()`` (pytest configures hypothesis before it imports any test module), with
pytest's own ``--hypothesis-profile long``. This module imports nothing of the project, so that
conftest.py can import it without a cycle.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings

PROFILE_ENV = "SLSREVIEW_HYPOTHESIS_PROFILE"


def register_profiles() -> None:
    """Register ``ci`` and ``long``. Idempotent."""
    common: dict[str, Any] = {
        "deadline": timedelta(seconds=10),  # per example; the test sandbox kills a hang at 60 s
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
        "print_blob": True,
    }
    settings.register_profile("ci", max_examples=25, **common)
    settings.register_profile("long", max_examples=2000, **common)


def load_chosen_profile() -> None:
    """The profile the environment names; else ``ci``, unless ``--hypothesis-profile`` chose."""
    register_profiles()
    if os.environ.get(PROFILE_ENV):
        settings.load_profile(os.environ[PROFILE_ENV])
    elif settings.get_current_profile_name() == "default":
        settings.load_profile("ci")
