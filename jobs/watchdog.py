"""The watchdog: a thread in every worker and beat process that relays the outbox and sweeps lost
jobs straight against the database, every few seconds.

Beat's own schedule does the same through the broker, which is exactly what is missing while the
broker is down: the watchdog notices the broker's return by itself (its next send succeeds) and
sends what waited, without a beat message having to get through first. Running it in several
processes at once is safe: outbox rows are locked while sent, job claims are conditional.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

_started: threading.Event | None = None


def run_once(names: list[str]) -> None:
    """Run each task body here, in this process (not through the broker); one failing does not
    stop the others."""
    for name in names:
        module, _, attribute = name.rpartition(".")
        try:
            task = getattr(importlib.import_module(module), attribute)
            task.run()
        except Exception:  # the database may be away: try again next round
            logger.exception("Watchdog task %s failed", name)
            connection.close()


def _loop(stop: threading.Event, every: float, names: list[str]) -> None:
    try:
        run_once(names)  # a worker started to replace a dead one looks at once
        while not stop.wait(every):
            run_once(names)
    finally:
        connection.close()


def start(**_kwargs: Any) -> threading.Event | None:
    """Start the watchdog thread once per process (connected to worker_ready and beat_init)."""
    global _started
    every = float(getattr(settings, "JOBS_WATCHDOG_SECONDS", 0) or 0)
    names = list(getattr(settings, "JOBS_WATCHDOG_TASKS", []))
    if _started is not None or every <= 0 or not names or settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    _started = threading.Event()
    threading.Thread(target=_loop, args=(_started, every, names), name="jobs-watchdog", daemon=True).start()
    logger.info("Jobs watchdog started: %s every %.0f s", ", ".join(names), every)
    return _started
