"""Test settings: fast hashing, in-memory mail, temporary private storage."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The service-backed suite's worker process is pointed at the test process's folder (conftest).
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("FILINGDESK_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="filingdesk-test-media-")
)
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}
WHITENOISE_AUTOREFRESH = True
JOBS_RUN_INLINE = True  # jobs finish before the test looks at them
# Each test process counts limits on its own even with REDIS_URL set (a shared Redis cache would
# carry one run's refusals into the next); the service-backed cache test switches to Redis itself.
REDIS_CACHES = CACHES
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
