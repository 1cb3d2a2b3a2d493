"""Reads of notifications: the bell's count and the person's list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def unread_count(user: Any) -> int:
    """The bell's number: one count over the partial index of unread rows."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's own notifications, newest first; nobody sees another person's."""
    notifications = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")
