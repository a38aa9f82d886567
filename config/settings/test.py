"""Test settings: the base settings with a throwaway key and fast password hashing.

DATABASE_URL is honoured, so the same suite runs on SQLite and on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
# Tasks run at once, in the test's process, once its transaction commits; the tests of the
# worker itself start `db_worker` with TASKS_BACKEND=database.
os.environ.setdefault("TASKS_BACKEND", "immediate")
# The bulk downloads in a folder of their own, which the worker started by a test sees too.
os.environ.setdefault("DOWNLOADS_ROOT", tempfile.mkdtemp(prefix="sciparks-test-downloads-"))

from .base import *  # noqa: F403

# The test client and the browser tests speak plain HTTP to the test server.
SECURE_SSL_REDIRECT = False
# Plain static storage: the tests do not run collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="sciparks-test-static-"))  # noqa: F405
WHITENOISE_USE_FINDERS = True
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sciparks-test-private-"))  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sciparks-test-media-"))  # noqa: F405
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# One test database per test process, so that two runs against one PostgreSQL server
# (two CI jobs, or a developer and CI) never drop each other's database.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_sciparks_{os.getpid()}"}  # noqa: F405

# Rate limits have their own tests, which set low rates; the rest of the suite is not limited.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "none", "partner": "none", "staff": "none"},
}

# Django's test client logs in without a request, which django-axes refuses; the lockout tests
# turn it on for themselves.
AXES_ENABLED = False

# Rebuilding the bulk downloads has its own tests (tests/api/test_downloads.py), which turn it
# on; elsewhere a saved record would rebuild them in the middle of the test.
DOWNLOADS_REBUILD_ON_CHANGE = False

# Counts over whole tables are recounted on the first request after a change, so that a test
# sees its change at once; tests/test_aggregates.py tests the worker's way and the lag.
AGGREGATES_REFRESH_ON_CHANGE = False
AGGREGATES_MAX_LAG_SECONDS = 0

# Sign-in limits have their own tests; the rest of the suite signs in as often as it likes.
ACCOUNT_RATE_LIMITS = False

# The embedded database of the tests is a file in memory (/dev/shm where there is one), not
# SQLite's private in-memory database: the tests of the task worker start `db_worker` in
# another process, which must see the same database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    _shared_memory = Path("/dev/shm")  # noqa: F405
    _folder = _shared_memory if _shared_memory.is_dir() else Path(tempfile.gettempdir())  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(_folder / f"sciparks-test-{os.getpid()}.sqlite3")
    }
