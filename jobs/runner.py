"""Claiming, heart-beating, finishing and sweeping job rows, and sending tasks through the outbox;
safe with several workers.

A job row's lease is short (``DEFAULT_LEASE``) and a thread renews it while the job runs
(``keep_alive``), whatever the job itself is doing; a worker that dies stops renewing, and the
sweeper (run every few seconds by beat and by the watchdog thread of every worker) hands the job
to another worker well within a minute. Tasks are never sent straight to the broker: ``dispatch``
writes an ``OutboxTask`` in the caller's transaction and sends it once that commits; the relay
sends whatever a broker outage left behind.
"""

from __future__ import annotations

import contextvars
import importlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job, JobStatus, OutboxTask

logger = logging.getLogger(__name__)

J = TypeVar("J", bound=Job)
# Long enough to ride out a slow query, short enough that a dead worker's job moves on quickly:
# lease (20 s) + sweep interval (10 s) + the next worker's start < 60 s.
DEFAULT_LEASE = timedelta(seconds=20)
# A queued job no worker took (its message lost with a broker that restarted empty) is sent again
# after this long, and then at most once per this long.
RESEND_AFTER = timedelta(seconds=45)
# Sent outbox rows are kept this long for inspection, then deleted by the relay.
OUTBOX_KEEP = timedelta(days=7)


class LeaseLostError(RuntimeError):
    """Another worker took the job (this one's lease lapsed): stop without writing anything."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(model: type[J], job_id: int, *, lease: timedelta = DEFAULT_LEASE) -> J | None:
    """Take the job if it is queued or its lease has lapsed; None if someone else holds it.

    One conditional UPDATE decides: two workers racing for the same row cannot both win, on
    PostgreSQL or SQLite, so a job is never run twice in parallel. Each claim carries its own
    token, so a late heartbeat of an earlier claim (even from the same process) cannot renew it.
    """
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    updated = model._default_manager.filter(claimable, pk=job_id, attempts__lt=F("max_attempts")).update(
        status=JobStatus.RUNNING,
        lease_expires_at=now + lease,
        claimed_by=f"{worker_name()}:{uuid.uuid4().hex[:8]}",
        attempts=F("attempts") + 1,
        started_at=now,
        error="",
    )
    if not updated:
        return None
    return model._default_manager.get(pk=job_id)


def heartbeat(job: Job, progress: dict[str, Any] | None = None, *, lease: timedelta = DEFAULT_LEASE) -> None:
    """Record progress and extend the lease; written outside any surrounding transaction's view
    only when the caller is not inside one (imports commit progress separately)."""
    fields: dict[str, Any] = {"lease_expires_at": timezone.now() + lease}
    if progress is not None:
        job.progress = progress
        fields["progress"] = progress
    type(job)._default_manager.filter(pk=job.pk, claimed_by=job.claimed_by).update(**fields)


class _Keeper(threading.Thread):
    """Renews a claimed job's lease every ``every`` seconds on its own database connection."""

    def __init__(self, job: Job, lease: timedelta, every: float) -> None:
        super().__init__(name=f"lease-{type(job).__name__}-{job.pk}", daemon=True)
        self.job = job
        self.lease = lease
        self.every = every
        self.lost = False
        self.beats = 0
        self._halt = threading.Event()

    def run(self) -> None:
        model = type(self.job)
        try:
            while not self._halt.wait(self.every):
                try:
                    renewed = model._default_manager.filter(
                        pk=self.job.pk, claimed_by=self.job.claimed_by, status=JobStatus.RUNNING
                    ).update(lease_expires_at=timezone.now() + self.lease)
                except Exception:  # the database is away for a moment: try again next beat
                    logger.warning("Could not renew the lease of %s %s", model.__name__, self.job.pk)
                    connection.close()
                    continue
                if not renewed:
                    self.lost = True
                    logger.warning("%s %s was taken by another worker", model.__name__, self.job.pk)
                    return
                self.beats += 1
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)


class Holding:
    """What ``keep_alive`` yields: whether the claim is still this worker's."""

    def __init__(self, keeper: _Keeper | None) -> None:
        self._keeper = keeper

    @property
    def lost(self) -> bool:
        return bool(self._keeper and self._keeper.lost)

    @property
    def beats(self) -> int:
        return self._keeper.beats if self._keeper else 0

    def check(self) -> None:
        """Raise LeaseLostError if another worker took the job meanwhile."""
        if self.lost:
            raise LeaseLostError()


@contextmanager
def keep_alive(
    job: Job, *, lease: timedelta = DEFAULT_LEASE, every: float | None = None
) -> Iterator[Holding]:
    """Renew the job's lease from a thread while the block runs, independent of its progress writes.

    Inside a caller's transaction (jobs run inline in tests) the row may not be visible to another
    connection, and nothing else could take the job meanwhile: no thread is started then.
    """
    if connection.in_atomic_block:
        yield Holding(None)
        return
    keeper = _Keeper(job, lease, every if every is not None else lease.total_seconds() / 4)
    keeper.start()
    try:
        yield Holding(keeper)
    finally:
        keeper.stop()


def finish(job: Job, **fields: Any) -> None:
    now = timezone.now()
    values = {"status": JobStatus.SUCCEEDED, "finished_at": now, "lease_expires_at": None, **fields}
    type(job)._default_manager.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def fail(job: Job, error: str, **fields: Any) -> None:
    now = timezone.now()
    values = {
        "status": JobStatus.FAILED,
        "finished_at": now,
        "lease_expires_at": None,
        "error": error[:4000],
        **fields,
    }
    type(job)._default_manager.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def sweep(
    model: type[Job], enqueue: Callable[[int], Any], *, stale_after: timedelta = RESEND_AFTER
) -> list[int]:
    """Re-enqueue jobs whose worker vanished (lease lapsed) or that were never picked up; give up
    on those that used all their attempts.

    A lapsed job goes back to queued (the next claim takes it whatever its lease says); a queued
    job is re-sent once it has waited ``stale_after``, then at most once per ``stale_after`` (its
    lease field, unused while queued, says when), so a sweeper running every few seconds does not
    flood a busy queue with copies. Cheap: both queries use the status index.
    """
    now = timezone.now()
    with transaction.atomic():
        exhausted = model._default_manager.filter(
            Q(status=JobStatus.RUNNING, lease_expires_at__lt=now) | Q(status=JobStatus.QUEUED),
            attempts__gte=F("max_attempts"),
        )
        exhausted.update(
            status=JobStatus.FAILED,
            finished_at=now,
            lease_expires_at=None,
            error="gave up after the last attempt",
        )
    lapsed = list(
        model._default_manager.filter(
            status=JobStatus.RUNNING, lease_expires_at__lt=now, attempts__lt=F("max_attempts")
        ).values_list("pk", flat=True)
    )
    if lapsed:  # conditional: a worker that renewed meanwhile keeps its job
        model._default_manager.filter(
            pk__in=lapsed, status=JobStatus.RUNNING, lease_expires_at__lt=now
        ).update(status=JobStatus.QUEUED, lease_expires_at=now + stale_after)
    waiting = list(
        model._default_manager.filter(
            Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now),
            status=JobStatus.QUEUED,
            created_at__lt=now - stale_after,
            attempts__lt=F("max_attempts"),
        ).values_list("pk", flat=True)
    )
    if waiting:
        model._default_manager.filter(pk__in=waiting, status=JobStatus.QUEUED).update(
            lease_expires_at=now + stale_after
        )
    ids = sorted(set(lapsed) | set(waiting))
    for job_id in ids:
        enqueue(job_id)
    return ids


# ---------------------------------------------------------------------------------------------
# Sending tasks: the transactional outbox
# ---------------------------------------------------------------------------------------------


def _task_name(task: Any) -> str:
    return task if isinstance(task, str) else str(task.name)


def _task(name: str) -> Any:
    """The registered task object for a dotted task name (its module imported on demand)."""
    from celery import current_app

    module = name.rsplit(".", 1)[0]
    if name not in current_app.tasks:
        importlib.import_module(module)
    return current_app.tasks[name]


def dispatch(task: Any, *args: Any) -> None:
    """Send a task (by its dotted name; a task object also works) to the workers once the caller's
    transaction commits.

    With a broker: an OutboxTask is written in the caller's transaction (so the change and the
    request to act on it commit together), and sent on commit; if the broker is down the relay
    sends it later. On the embedded default (no broker, tasks eager) the task runs in a background
    thread instead, so the person who clicked gets the page back at once and watches the job's
    progress like they would with real workers. ``JOBS_RUN_INLINE`` (tests, seed_demo) runs it right
    here, on commit.
    """
    from django.conf import settings

    name = _task_name(task)
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        message = OutboxTask.objects.create(task=name, args=list(args))
        transaction.on_commit(lambda: send_now(message.pk))
        return
    if getattr(settings, "JOBS_RUN_INLINE", False):
        if _in_callers_transaction():
            transaction.on_commit(lambda: _task(name).apply(args=args))
        else:  # autocommit, or only the test case's own wrapping transaction: now, as on commit
            _task(name).apply(args=args)
        return
    transaction.on_commit(lambda: _start_thread(name, args))


def _start_thread(name: str, args: tuple[Any, ...]) -> None:
    # The thread runs in a copy of the caller's context, so what the request set there (its
    # request id, ops/context.py) is still set while the task runs and its log lines carry it.
    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(_run_in_thread, name, args), daemon=True).start()


def _in_callers_transaction() -> bool:
    """Whether the caller holds a transaction of its own (not just the one a test case wraps
    every test in, whose commit never comes)."""
    blocks = connection.atomic_blocks
    return bool(blocks) and not getattr(blocks[-1], "_from_testcase", False)  # as Django's durable check


def _run_in_thread(name: str, args: tuple[Any, ...]) -> None:
    try:
        _task(name).apply(args=args)
    finally:
        connection.close()


def _publish(message: OutboxTask, connection: Any) -> None:
    from celery import current_app

    # No retries: a broker that is down fails at once (the relay tries again), so a web request
    # never hangs on it.
    current_app.send_task(message.task, args=list(message.args), retry=False, connection=connection)


def _confirm(connection: Any) -> None:
    """Raise unless the broker answers now.

    A publish can return without error into a pooled connection whose broker has just gone (the
    write lands in the socket before the peer's close is noticed). Redis has no publisher
    confirms, but it answers commands in order: a PING answered after the publish says the broker
    is there and took it. Other transports: (re)establish the connection, which fails if it is gone.
    """
    connection.ensure_connection(max_retries=0)
    client = getattr(connection.default_channel, "client", None)
    if connection.transport.driver_type == "redis" and client is not None:
        client.ping()


def _send_locked(messages: list[OutboxTask]) -> int:
    """Publish rows the caller holds locked, each marked sent only once the broker confirmed it;
    stops at the first failure (the broker is down)."""
    from celery import current_app

    if not messages:
        return 0
    now = timezone.now()
    sent = 0
    try:
        broker = current_app.connection_for_write()
    except Exception as error:  # a broker URL that cannot even be parsed: leave the rows to the relay
        logger.warning("No broker connection (%s); the relay will retry", error)
        return 0
    with broker:
        for message in messages:
            try:
                _confirm(broker)  # a dead connection is not written into
                _publish(message, broker)
                _confirm(broker)
            except Exception as error:
                OutboxTask.objects.filter(pk=message.pk).update(
                    attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
                )
                logger.warning("Could not send %s (%s); the relay will retry", message, error)
                break
            OutboxTask.objects.filter(pk=message.pk).update(
                sent_at=now, attempts=F("attempts") + 1, last_error=""
            )
            sent += 1
    return sent


def send_now(message_id: int) -> bool:
    """Send one outbox row right after its transaction committed; never raises (the relay retries)."""
    try:
        with transaction.atomic():
            messages = list(
                OutboxTask.objects.select_for_update(skip_locked=True).filter(
                    pk=message_id, sent_at__isnull=True
                )
            )
            return bool(_send_locked(messages))
    except Exception:
        logger.exception("Could not send outbox message %s; the relay will retry", message_id)
        return False


def relay(*, limit: int = 500) -> int:
    """Send the outbox rows still unsent, oldest first; the number sent. Safe to run in several
    processes at once: each row is locked while it is sent and skipped by the others."""
    with transaction.atomic():
        messages = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("pk")[:limit]
        )
        sent = _send_locked(messages)
    OutboxTask.objects.filter(sent_at__lt=timezone.now() - OUTBOX_KEEP).delete()
    return sent
