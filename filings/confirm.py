"""A confirmation step before an irreversible action: a summary page that works without JavaScript.

The action's button posts with ``_review=1``; the view then answers with this page instead of
acting. Its form posts the same fields again without ``_review`` (and with ``_confirmed=1``), and
the view acts. A program posting directly (tests, scripts) acts at once, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

REVIEW_FIELD = "_review"


def wants_review(request: HttpRequest) -> bool:
    """The person pressed the action's button on its page: show the summary first."""
    return request.POST.get(REVIEW_FIELD) == "1"


@dataclass
class Confirmation:
    title: Any
    lead: Any  # what will happen, in one sentence
    button: Any
    cancel_url: str
    summary: Sequence[tuple[Any, Any]] = ()  # (label, value) pairs
    lists: Sequence[tuple[Any, Sequence[Any]]] = ()  # (heading, lines): items to send, findings …
    warnings: Sequence[Any] = ()
    danger: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def render_confirmation(
    request: HttpRequest, confirmation: Confirmation, *, context: dict[str, Any]
) -> HttpResponse:
    """The summary page; the POSTed fields travel along hidden so the action gets exactly them."""
    fields: Iterable[tuple[str, str]] = (
        (name, value)
        for name in request.POST
        if name not in {"csrfmiddlewaretoken", REVIEW_FIELD}
        for value in request.POST.getlist(name)
    )
    return render(
        request,
        "components/confirm.html",
        {**context, "confirm": confirmation, "confirm_fields": list(fields), "confirm_action": request.path},
    )
