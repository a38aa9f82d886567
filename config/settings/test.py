"""Test settings: the base settings with a throwaway key and fast password hashing.

DATABASE_URL is honoured, so the same suite runs on SQLite and on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sciparks-test-media-"))  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
