"""Production settings: PostgreSQL, Redis workers, HTTPS-only cookies and HSTS, JSON logs."""

import os

from ops.sentry import init_sentry

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
# Load-balancer probes may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
STORAGES = {
    "default": STORAGES["default"],  # the private media (PRIVATE_STORAGE in base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per log line (LOG_FORMAT=text for humans); Celery keeps Django's logging.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"
LOGGING["loggers"]["ops"] = {"level": os.environ.get("OPS_LOG_LEVEL", "INFO")}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

SENTRY_ENABLED = init_sentry()  # only when SENTRY_DSN is set
# Persistent connections: a gunicorn thread keeps its PostgreSQL connection across requests instead
# of paying a new one (a few ms of backend start-up) per request; the health check drops a
# connection the server closed before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# CACHES comes from base.py: Redis (CACHE_REDIS_URL, else REDIS_URL; keys prefixed CACHE_KEY_PREFIX)
# so that the refusal-audit flood control and the API's rate limit hold across every gunicorn
# worker and machine; a local-memory cache only without Redis (then a limit is per process).
