"""Outward events by name: services announce what happened, upper layers (the API's webhooks) listen.

Dependencies point one way: the lower apps call ``emit`` explicitly where they already schedule their
side effects; an app above them registers a receiver in its ``AppConfig.ready``. Nothing here knows who
listens, and receivers run only once the change is committed, so a rolled-back change announces nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Receiver = Callable[[str, dict[str, Any]], None]
_receivers: list[Receiver] = []


def register(receiver: Receiver) -> None:
    """Listen to every emitted event; registering the same receiver twice keeps one."""
    if receiver not in _receivers:
        _receivers.append(receiver)


def emit(event: str, *, filing: Any, data: dict[str, Any] | None = None) -> None:
    """Announce ``event`` about ``filing`` once the surrounding transaction commits."""
    payload = {
        "filing": filing.reference,
        "filing_id": filing.pk,
        "organisation_id": filing.organisation_id,
        "state": filing.state,
        **(data or {}),
    }
    transaction.on_commit(lambda: _deliver(event, payload))


def _deliver(event: str, payload: dict[str, Any]) -> None:
    for receiver in list(_receivers):
        try:
            receiver(event, payload)
        except Exception:  # a listener's failure never undoes or blocks the change it heard about
            logger.exception("Receiver %r failed on %s", receiver, event)
