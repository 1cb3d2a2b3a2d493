"""Celery tasks of the filings app; thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def lapse_filings_task() -> list[str]:
    """Daily: filings filed twelve months ago without issuance lapse."""
    return services.lapse_stale_filings()


@shared_task(acks_late=True)
def render_dossier_task(job_id: int) -> None:
    """Render one dossier; a no-op if another worker holds the job (queue "pdf")."""
    from .dossier.jobs import run_render_job

    run_render_job(job_id)


@shared_task(acks_late=True)
def run_preflight_task(job_id: int) -> None:
    """Evaluate the rule catalogue for one pre-flight run; a no-op if another worker holds it."""
    from .compliance.jobs import run_preflight_job

    run_preflight_job(job_id)


@shared_task(acks_late=True)
def sweep_jobs_task() -> list[int]:
    """Every ten seconds (beat and the watchdog): re-send dossier renders and pre-flight runs whose
    worker vanished or that were never picked up."""
    from .compliance.jobs import sweep_preflight_runs
    from .dossier.jobs import sweep_render_jobs

    return sweep_render_jobs() + sweep_preflight_runs()


@shared_task(acks_late=True)
def refresh_clocks_task(everything: bool = False) -> int:
    """Every ten minutes: after the working-day rollover, re-derive the stored clock of every filing
    whose clock may still move (a no-op once today's values are written). ``everything`` (sent when
    the calendar or a clock's limit changed): also the clocks already computed today."""
    from .deadlines import refresh_clocks

    return refresh_clocks(everything=everything)
