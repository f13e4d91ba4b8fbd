"""Settings for pytest: DEBUG-mode defaults, fast hashing, a local cache."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DEMO_MODE", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = False
