"""Settings for pytest: DEBUG-mode defaults, fast hashing, a local cache."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DEMO_MODE", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = False
# Jobs run through the real database backend (tests/worker.py runs the worker in the test's process);
# a failed job is retried at once, twice, so that a test sees every attempt.
TASK_RETRY_DELAYS = [0, 0]
