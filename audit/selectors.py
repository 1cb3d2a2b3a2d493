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


def filter_events(
    events: QuerySet[Event],
    *,
    filing: str = "",
    actor: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
) -> QuerySet[Event]:
    """Narrow the log by filing (reference or id), actor, action and a date range (YYYY-MM-DD)."""
    import datetime as dt

    from django.apps import apps

    if filing:
        if filing.isdigit():
            events = events.filter(filing_id=int(filing))
        else:
            # The audit app knows filings only by id; resolve a reference without importing filings.
            model = apps.get_model("filings", "Filing")
            ids = list(model.objects.filter(reference__iexact=filing).values_list("pk", flat=True))
            events = events.filter(filing_id__in=ids)
    if actor:
        events = events.filter(actor_label__icontains=actor) | events.filter(actor__username__iexact=actor)
    if action:
        events = events.filter(action__icontains=action)
    for value, lookup in ((since, "occurred_at__date__gte"), (until, "occurred_at__date__lte")):
        if value:
            try:
                events = events.filter(**{lookup: dt.date.fromisoformat(value)})
            except ValueError:
                events = events.none()
    return events
