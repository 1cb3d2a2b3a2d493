from __future__ import annotations

from django.urls import path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.ReadyzView.as_view(), name="readyz"),
]
