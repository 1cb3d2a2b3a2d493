"""The id of the request (or of the request that caused the task) the current code runs for."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("filingdesk_request_id", default=None)

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def accept_or_generate(incoming: str | None) -> str:
    """Keep a well-formed incoming id (a proxy's or a client's) so one id follows the request
    through every tier; anything else gets a fresh one."""
    if incoming and _ACCEPTED.match(incoming):
        return incoming
    return uuid.uuid4().hex
