"""Celery signal hooks: the request id travels in task headers, task lines log it, and each
worker marks the queues it consumes as seen in Redis (what /readyz reads)."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress
from contextvars import Token
from typing import Any

from celery import signals
from django.conf import settings

from . import context

logger = logging.getLogger("ops.task")
_tokens: dict[str, tuple[Token[str | None], float]] = {}


def seen_key(queue: str, hostname: str = "*") -> str:
    return f"filingdesk:worker-seen:{queue}:{hostname}"


def _redis() -> Any:
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def add_request_id_header(headers: dict[str, Any] | None = None, **_: Any) -> None:
    rid = context.request_id.get()
    if headers is not None and rid and context.TASK_HEADER not in headers:
        headers[context.TASK_HEADER] = rid


def task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    rid = getattr(request, context.TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        context.TASK_HEADER
    )
    # Eager tasks run inside the request: they keep its id; a worker takes it from the header.
    token = context.request_id.set(rid or context.request_id.get())
    _tokens[task_id or ""] = (token, time.perf_counter())
    logger.info(
        "task started %s",
        getattr(task, "name", "?"),
        extra={"task": getattr(task, "name", None), "task_id": task_id},
    )


def task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    token, started = _tokens.pop(task_id or "", (None, time.perf_counter()))
    logger.info(
        "task finished %s %s",
        getattr(task, "name", "?"),
        state,
        extra={
            "task": getattr(task, "name", None),
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    if token is not None:
        with suppress(ValueError):  # set in another context: nothing to restore
            context.request_id.reset(token)


class _Heartbeat(threading.Thread):
    """Every few seconds, one short-lived Redis key per consumed queue: 'a worker for this queue
    was alive just now'. A stopped worker deletes its keys; a killed one lets them expire."""

    def __init__(self, queues: list[str], hostname: str) -> None:
        super().__init__(name="filingdesk-worker-seen", daemon=True)
        self.queues, self.hostname = queues, hostname
        self.stopped = threading.Event()

    def beat(self) -> None:
        ttl = int(settings.OPS_WORKER_SEEN_SECONDS)
        client = _redis()
        try:
            pipe = client.pipeline()
            for queue in self.queues:
                pipe.set(seen_key(queue, self.hostname), int(time.time()), ex=ttl)
            pipe.execute()
        finally:
            client.close()

    def run(self) -> None:
        interval = max(1.0, int(settings.OPS_WORKER_SEEN_SECONDS) / 3)
        while not self.stopped.is_set():
            try:
                self.beat()
            except Exception:  # Redis down: the keys expire and /readyz says so; keep trying
                logger.warning("could not record the worker heartbeat in Redis", exc_info=True)
            self.stopped.wait(interval)

    def stop(self) -> None:
        self.stopped.set()
        try:
            client = _redis()
            client.delete(*(seen_key(q, self.hostname) for q in self.queues))
            client.close()
        except Exception:
            logger.warning("could not clear the worker heartbeat in Redis", exc_info=True)


_heartbeat: _Heartbeat | None = None


def worker_ready(sender: Any = None, **_: Any) -> None:
    global _heartbeat
    if not settings.REDIS_URL or sender is None:
        return
    queues = sorted(sender.app.amqp.queues.consume_from or {})
    _heartbeat = _Heartbeat(queues, sender.hostname)
    _heartbeat.start()


def worker_shutdown(**_: Any) -> None:
    if _heartbeat is not None:
        _heartbeat.stop()


def connect() -> None:
    signals.before_task_publish.connect(add_request_id_header, weak=False, dispatch_uid="ops-request-id")
    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="ops-task-started")
    signals.task_postrun.connect(task_finished, weak=False, dispatch_uid="ops-task-finished")
    signals.worker_ready.connect(worker_ready, weak=False, dispatch_uid="ops-worker-ready")
    signals.worker_shutdown.connect(worker_shutdown, weak=False, dispatch_uid="ops-worker-shutdown")
