"""Error reporting: sentry-sdk with the Django and Celery integrations when SENTRY_DSN is set."""

from __future__ import annotations

import os


def init_sentry() -> bool:
    """Start reporting to Sentry if SENTRY_DSN is set; without it nothing is sent anywhere."""
    dsn = os.environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Filings carry personal data: no user identity, request bodies, local variables or SQL values.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
        },
    )
    return True
