"""Claiming, heart-beating, finishing and sweeping job rows; safe with several workers."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job, JobStatus

J = TypeVar("J", bound=Job)
DEFAULT_LEASE = timedelta(minutes=5)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(model: type[J], job_id: int, *, lease: timedelta = DEFAULT_LEASE) -> J | None:
    """Take the job if it is queued or its lease has lapsed; None if someone else holds it.

    One conditional UPDATE decides: two workers racing for the same row cannot both win, on
    PostgreSQL or SQLite, so a job is never run twice in parallel.
    """
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    updated = model._default_manager.filter(claimable, pk=job_id, attempts__lt=F("max_attempts")).update(
        status=JobStatus.RUNNING,
        lease_expires_at=now + lease,
        claimed_by=worker_name(),
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
    model: type[Job], enqueue: Callable[[int], Any], *, stale_after: timedelta = timedelta(minutes=2)
) -> list[int]:
    """Re-enqueue jobs whose worker vanished (lease lapsed) or that were never picked up; give up
    on those that used all their attempts."""
    now = timezone.now()
    with transaction.atomic():
        exhausted = model._default_manager.filter(
            Q(status=JobStatus.RUNNING, lease_expires_at__lt=now) | Q(status=JobStatus.QUEUED),
            attempts__gte=F("max_attempts"),
        )
        exhausted.update(status=JobStatus.FAILED, finished_at=now, error="gave up after the last attempt")
    lost = model._default_manager.filter(
        Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
        | Q(status=JobStatus.QUEUED, created_at__lt=now - stale_after),
        attempts__lt=F("max_attempts"),
    ).values_list("pk", flat=True)
    ids = list(lost)
    for job_id in ids:
        enqueue(job_id)
    return ids


def dispatch(task: Any, *args: Any) -> None:
    """Send a task to the workers. On the embedded default (no broker, tasks eager) run it in a
    background thread instead, so the person who clicked gets the page back at once and watches
    the job's progress like they would with real workers. ``JOBS_RUN_INLINE`` (tests, seed_demo)
    runs it right here."""
    from django.conf import settings

    if not settings.CELERY_TASK_ALWAYS_EAGER or getattr(settings, "JOBS_RUN_INLINE", False):
        task.delay(*args)
        return
    threading.Thread(target=_run_in_thread, args=(task, args), daemon=True).start()


def _run_in_thread(task: Any, args: tuple[Any, ...]) -> None:
    from django.db import connection

    try:
        task.apply(args=args)
    finally:
        connection.close()
