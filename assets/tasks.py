"""Celery tasks of the assets app; thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def run_tape_import_task(job_id: int) -> None:
    """Import one tape; a no-op if another worker holds the job (queue "imports")."""
    services.run_tape_import(job_id)


@shared_task(acks_late=True)
def sweep_tape_imports_task() -> list[int]:
    """Every ten seconds (beat and the watchdog): re-send tape imports whose worker vanished or that
    were never picked up."""
    return services.sweep_tape_imports()
