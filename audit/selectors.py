"""Reads of the audit log, scoped to who may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

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
    q: str = "",
    filing: str = "",
    actor: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
) -> QuerySet[Event]:
    """Narrow the log by free text, filing (reference or id), actor, action and a date range
    (YYYY-MM-DD)."""
    import datetime as dt

    from django.apps import apps

    # Nobody types a NUL character, and PostgreSQL refuses one in a query: drop them.
    q, filing, actor, action = (value.replace("\x00", "") for value in (q, filing, actor, action))
    if q:
        events = events.filter(Q(filing_id__in=_filings_matching(q)) | Q(actor_label__icontains=q))
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


# What the free-text search matches on a filing (the same fields as the review queue's search); on
# PostgreSQL the trigram indexes of migration filings 0007 serve these icontains lookups.
FILING_TEXT_FIELDS = (
    "reference",
    "title",
    "notice_number",
    "receipt_number",
    "organisation__name_zh",
    "organisation__name_en",
    "organisation__uscc",
)


def _filings_matching(text: str) -> QuerySet[Any]:
    from django.apps import apps

    # The audit app knows filings only by id: look the model up rather than import the filings app.
    model = apps.get_model("filings", "Filing")
    query = Q()
    for field in FILING_TEXT_FIELDS:
        query |= Q(**{f"{field}__icontains": text})
    return model.objects.filter(query).values("pk")
