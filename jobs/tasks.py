"""Celery tasks of the jobs app: the outbox relay."""

from __future__ import annotations

from celery import shared_task

from . import runner


@shared_task(acks_late=True)
def relay_outbox_task() -> int:
    """Every few seconds: send the outbox rows a broker outage left unsent."""
    return runner.relay()
