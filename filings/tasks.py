"""Celery tasks of the filings app; thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def lapse_filings_task() -> list[str]:
    """Daily: filings filed twelve months ago without issuance lapse."""
    return services.lapse_stale_filings()
