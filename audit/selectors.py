"""Reads of the audit log, scoped to who may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Event


def events_for_user(user: Any) -> QuerySet[Event]:
    """Administrators read the whole log; nobody else reads it here."""
    if getattr(user, "is_administrator", False):
        return Event.objects.select_related("actor")
    return Event.objects.none()


def events_for_filing(filing_id: int) -> QuerySet[Event]:
    """A filing's own history, oldest first (callers have already scoped the filing)."""
    return Event.objects.filter(filing_id=filing_id).select_related("actor").order_by("sequence")
