"""Settings shared by every environment; values that differ come from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "audit",
    "jobs",
    "assets",
    "filings",
    "inbox",
    "reviews",
    "desk",
    "ops",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "register",
    # Sign-in hardening (issue 15): allauth's login stages, MFA and session list; axes lockout.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
]

MIDDLEWARE = [
    "ops.middleware.RequestIdMiddleware",  # first: its id and access line cover every response
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "desk.refusals.RefusedAccessAuditMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "inbox.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'filingdesk.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process task runner write while a page reads; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language on every page ("2026年12月6日", "6 Dec 2026"): templates use the
# named formats (|date, |date:"DATETIME_FORMAT"), never a pattern of their own.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "filingdesk_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Private media on S3-compatible object storage (PRIVATE_STORAGE=s3 + AWS_* variables) so that
# every web and worker node sees the same files; the default is the PRIVATE_MEDIA_ROOT folder
# (a shared volume when there is more than one machine). Every read and write goes through the
# storage API, never the local path.
PRIVATE_STORAGE = os.environ.get("PRIVATE_STORAGE", "filesystem").strip().lower()
if PRIVATE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", "private"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Uploaded filing material is private: it is never under STATIC or a public MEDIA_URL and is only
# streamed by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/no-public-media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(50 * 1024 * 1024)))
TAPE_MAX_BYTES = int(os.environ.get("TAPE_MAX_BYTES", str(500 * 1024 * 1024)))
# An Excel tape is a zip: refused before it is opened if its parts would inflate past this, or if
# any part inflates more than TAPE_MAX_COMPRESSION_RATIO times (a zip bomb; real sheets stay < 30).
TAPE_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("TAPE_MAX_UNCOMPRESSED_BYTES", str(2 * 1024**3)))
TAPE_MAX_COMPRESSION_RATIO = int(os.environ.get("TAPE_MAX_COMPRESSION_RATIO", "200"))
# Pools larger than this are checked by a worker (pre-flight as a job with a progress bar).
PREFLIGHT_INLINE_MAX_ASSETS = int(os.environ.get("PREFLIGHT_INLINE_MAX_ASSETS", "20000"))

# Dossier signing: production supplies a PKCS#12; development makes one with create_signing_cert.
DOSSIER_SIGNING_P12 = Path(os.environ.get("DOSSIER_SIGNING_P12", BASE_DIR / "var" / "signing" / "signer.p12"))
DOSSIER_SIGNING_PASSPHRASE = os.environ.get("DOSSIER_SIGNING_PASSPHRASE", "filing-desk-dev")
# Dotted path of a callable (filing, snapshot) -> {"checklist", "rounds", "decisions"} printed in the
# reviewer copy; empty: the copy lists the review events of the audit log instead.
DOSSIER_REVIEW_HISTORY_PROVIDER = os.environ.get(
    "DOSSIER_REVIEW_HISTORY_PROVIDER", "reviews.dossier.review_history"
)

# Celery: without REDIS_URL tasks run in-process (embedded default); with it they go to workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 28 * 60
# Redis re-delivers unacknowledged tasks after the visibility timeout: keep it above the time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600, "socket_connect_timeout": 3}
# A worker whose broker went away keeps trying to reconnect (and reconnects when it returns).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CONSUMER = "jobs.consumer:Consumer"  # reconnects every 1–3 s, not after up to 30 s
CELERY_TASK_ROUTES = {
    "filings.tasks.render_dossier_task": {"queue": "pdf"},
    "assets.tasks.run_tape_import_task": {"queue": "imports"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"

# Cache: what limits are counted in (the refusal-audit flood control, the API's per-token rate).
# With Redis every web process and worker shares it, so a limit holds across gunicorn workers and
# machines; its keys carry their own prefix so they never meet Celery's. Without Redis (embedded
# default, one process) a local-memory cache.
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "") or REDIS_URL
CACHES = {
    "default": (
        {
            # A Redis that is away degrades the limits (not counted meanwhile) instead of failing
            # the request, and fails fast: sub-second socket timeouts, no retries (config/cache.py).
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "filingdesk-cache"),
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
        }
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_BEAT_SCHEDULE = {
    "lapse-filings": {"task": "filings.tasks.lapse_filings_task", "schedule": 24 * 3600.0},
    # Lost jobs and unsent tasks within seconds (cheap: indexed queries on a handful of rows).
    "relay-outbox": {"task": "jobs.tasks.relay_outbox_task", "schedule": 10.0, "options": {"expires": 10}},
    "sweep-lost-jobs": {
        "task": "filings.tasks.sweep_jobs_task",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
    "sweep-tape-imports": {
        "task": "assets.tasks.sweep_tape_imports_task",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
    "send-clock-reminders": {"task": "reviews.tasks.send_clock_reminders_task", "schedule": 3600.0},
    "refresh-clocks": {"task": "filings.tasks.refresh_clocks_task", "schedule": 600.0},
    "retry-webhooks": {"task": "api.tasks.retry_webhooks_task", "schedule": 60.0},
    "clear-webhook-secrets": {"task": "api.tasks.clear_webhook_secrets_task", "schedule": 3600.0},
    "yearly-access-confirmation": {
        "task": "accounts.tasks.yearly_access_confirmation_task",
        "schedule": 24 * 3600.0,
    },
}
# The same relay and sweeps, run every JOBS_WATCHDOG_SECONDS by a thread inside every worker and
# beat process straight against the database (jobs/watchdog.py): they need no broker to notice.
JOBS_WATCHDOG_SECONDS = float(os.environ.get("JOBS_WATCHDOG_SECONDS", "5"))
JOBS_WATCHDOG_TASKS = [
    "jobs.tasks.relay_outbox_task",
    "filings.tasks.sweep_jobs_task",
    "assets.tasks.sweep_tape_imports_task",
]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "filing-desk@localhost")

# Security headers that hold in every environment; prod.py adds the HTTPS-only ones.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# A worker marks its queues alive in Redis; /readyz wants each queue seen within this many seconds.
OPS_WORKER_SEEN_SECONDS = int(os.environ.get("OPS_WORKER_SEEN_SECONDS", "30"))
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # prod.py defaults to "json"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}, "text": {"format": "%(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; keep worker logs for what matters.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "celery.app.trace": {"level": os.environ.get("TASK_LOG_LEVEL", "WARNING")},
        # Access and task lines (ops/): prod.py turns them on; runserver prints its own.
        "ops": {"level": os.environ.get("OPS_LOG_LEVEL", "WARNING")},
    },
}

# The API for issuers' systems (api/): bearer tokens only, problem-details errors, a rate per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
API_TOKEN_RATE = os.environ.get("API_TOKEN_RATE", "600/min")
API_WEBHOOK_TIMEOUT = float(os.environ.get("API_WEBHOOK_TIMEOUT", "10"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Filing Desk API",
    "DESCRIPTION": "Versioned REST API for issuers' systems and the regulator's internal tools.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# --- Identity and access (issue 15) -------------------------------------------------------------
# Our own login view checks the password (with django-axes watching), then hands the sign-in to
# allauth's login stages so that an enrolled second factor is always asked for.
ACCOUNT_ADAPTER = "accounts.allauth.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 600
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_ADAPTER = "accounts.allauth.MfaAdapter"
MFA_FORMS = {"activate_totp": "accounts.forms.ActivateTotpForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ALLOW_UNVERIFIED_EMAIL = True  # accounts are made by administrators, not by self sign-up
MFA_TOTP_ISSUER = "Filing Desk"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
# Fernet keys sealing TOTP keys and recovery seeds (first encrypts, all decrypt); unset, one key is
# derived from SECRET_KEY and its fallbacks (accounts/mfa_secrets.py; rotation: docs/operations.md).
MFA_ENCRYPTION_KEYS = [k for k in os.environ.get("MFA_ENCRYPTION_KEYS", "").split(",") if k.strip()]
USERSESSIONS_TRACK_ACTIVITY = True

# Lockout: 5 failures lock the account name and, separately, the address, for a cool-off period
# only, so that nobody can keep a victim locked out for good by guessing wrong on their behalf.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Sessions end after idle time (shorter for the regulator's people) and at an absolute limit.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_IDLE_SECONDS_REGULATOR = int(os.environ.get("SESSION_IDLE_SECONDS_REGULATOR", str(15 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
