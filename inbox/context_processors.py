"""The bell in the page header: the person's unread notifications, counted once per page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never renders the header (a fragment) runs no query.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
