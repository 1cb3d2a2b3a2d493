"""Writing notifications (beside each email) and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Notification

# kind → (URL name for regulator staff, URL name for the issuer's people and agents); each takes the
# filing's reference. Names are resolved at run time, so this app imports nothing above filings.
TARGETS: dict[str, tuple[str, str]] = {
    "review_assigned": ("reviews:workspace", "filings:detail"),
    "conflict_declared": ("reviews:workspace", "filings:detail"),
    "review_started": ("reviews:workspace", "filings:detail"),
    "not_accepted": ("reviews:workspace", "filings:detail"),
    "supplement_requested": ("reviews:items", "reviews:supplement"),
    "resubmitted": ("reviews:workspace", "filings:detail"),
    "decision_drafted": ("reviews:decision", "filings:detail"),
    "decision_returned": ("reviews:decision", "filings:detail"),
    "decision_confirmed": ("reviews:decision", "filings:detail"),
    "clock_reminder": ("reviews:workspace", "filings:detail"),
    "ready_for_signature": ("filings:detail", "filings:detail"),
    # In-app only (inbox.labels.IN_APP_ONLY): the end of a tape import, told to the person who ran it.
    "import_finished": ("filings:pool", "filings:pool"),
    "import_refused": ("filings:pool", "filings:pool"),
    "import_failed": ("filings:pool", "filings:pool"),
}


def target_for(*, kind: str, recipient: Any, reference: str, assignment_id: int | None = None) -> str:
    """Where the notification leads this recipient: the page on which they act."""
    if kind == "review_assigned" and assignment_id is not None:
        return reverse("reviews:declaration", args=[assignment_id])
    regulator_name, issuer_name = TARGETS.get(kind, ("reviews:workspace", "filings:detail"))
    name = regulator_name if getattr(recipient, "is_regulator_staff", False) else issuer_name
    try:
        return reverse(name, args=[reference])
    except NoReverseMatch:
        return ""


def record_notifications(
    *,
    recipients: Iterable[Any],
    kind: str,
    filing: Any = None,
    params: dict[str, Any] | None = None,
    assignment_id: int | None = None,
) -> list[Notification]:
    """One unread notification per recipient, in the caller's transaction (so with its email)."""
    reference = getattr(filing, "reference", "") or ""
    stored = {"reference": reference, **(params or {})}
    notifications = [
        Notification(
            recipient=user,
            kind=kind,
            filing=filing,
            params=stored,
            target=target_for(kind=kind, recipient=user, reference=reference, assignment_id=assignment_id)
            if reference
            else "",
        )
        for user in recipients
    ]
    return Notification.objects.bulk_create(notifications)


@transaction.atomic
def mark_read(*, notification_id: int, by: Any) -> Notification:
    """Mark one of the person's own notifications read (again is a no-op); another's is not found."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, recipient_id=by.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, by: Any) -> int:
    """Mark every unread notification of the person read; returns how many were unread."""
    return Notification.objects.filter(recipient_id=by.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
