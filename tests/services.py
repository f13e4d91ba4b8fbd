"""For the tests that need a service beside the suite (PostgreSQL, Redis): CI has them and sets REQUIRE_SERVICES=1."""

import os

import pytest


def needs(condition, message):
    """Skip the test unless `condition`; fail it instead where the services are required (CI)."""
    if condition:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)
