"""Dossier renders as jobs: claimed by one worker, progress on the row, stored, swept when lost.

A worker claims the row with jobs.runner.claim (one conditional UPDATE), so two workers never render
the same dossier at once. Progress and results are written only while this worker still holds the
claim: if its lease lapsed and the sweeper gave the job to another worker, the late one's result is
thrown away instead of overwriting the other's.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit import hooks
from audit.services import record_event
from jobs import runner
from jobs.models import JobStatus

from ..models import DossierRender, DossierStage
from ..models.dossiers import STAGE_PERCENT

if TYPE_CHECKING:  # WeasyPrint loads only where dossiers are rendered, not in every web process
    from .context import TapeSource
    from .render import RenderedDossier

logger = logging.getLogger(__name__)

# Short: renewed at every stage and, independently, by a keep-alive thread while WeasyPrint works,
# so a dead worker's render is taken by another within a minute.
LEASE = runner.DEFAULT_LEASE


def enqueue_render(job_id: int) -> None:
    """Hand the job to a worker (queue "pdf") once the caller's transaction commits; if the broker
    is unreachable the outbox relay sends it when it is back."""
    runner.dispatch("filings.tasks.render_dossier_task", job_id)


def run_render_job(job_id: int, *, tape_source: TapeSource | None = None) -> DossierRender | None:
    """Claim the job and render it; a no-op (None) if another worker holds it or it is finished."""
    from .render import render_dossier

    job = runner.claim(DossierRender, job_id, lease=LEASE)
    if job is None:
        return None
    timings: dict[str, float] = {}

    def stage(name: str) -> None:
        _progress(job, name, timings)

    try:
        with runner.keep_alive(job, lease=LEASE):
            snapshot = job.snapshot
            rendered = render_dossier(
                snapshot, language=job.language, copy=job.copy, on_stage=stage, tape_source=tape_source
            )
            timings.update(rendered.timings)
            if not _store(job, rendered, timings):
                logger.warning("Dossier render %s lost its claim while rendering; result discarded", job.pk)
                return None
    except Exception as error:  # a render that fails is reported on the row, never raised into the caller
        logger.exception("Dossier render %s failed", job.pk)
        _fail(job, f"{type(error).__name__}: {error}")
        return job
    return job


def _record(job: DossierRender) -> None:
    snapshot = job.snapshot
    record_event(
        action="dossier.render",
        subject=job,
        filing_id=snapshot.filing_id,
        data={
            "snapshot": snapshot.version,
            "language": job.language,
            "copy": job.copy,
            "sha256": job.sha256,
            "content_sha256": job.content_sha256,
            "signed": job.signed,
            "pages": job.page_count,
        },
    )
    if job.copy == "issuer":  # the reviewer copy carries the review history: never announced outward
        hooks.emit(
            "dossier.ready",
            filing=snapshot.filing,
            data={
                "dossier": job.pk,
                "snapshot": snapshot.version,
                "language": job.language,
                "copy": job.copy,
            },
        )


def _held(job: DossierRender) -> Any:
    return DossierRender.objects.filter(pk=job.pk, claimed_by=job.claimed_by, status=JobStatus.RUNNING)


def _progress(job: DossierRender, stage: str, timings: dict[str, float]) -> None:
    progress: dict[str, Any] = {"stage": stage, "percent": STAGE_PERCENT.get(stage, 0)}
    if timings:
        progress["timings"] = {name: round(value, 3) for name, value in timings.items()}
    runner.heartbeat(job, progress, lease=LEASE)


def _store(job: DossierRender, rendered: RenderedDossier, timings: dict[str, float]) -> bool:
    """Save the PDF and the figures, if this worker still holds the job."""
    if not _held(job).exists():
        return False
    # The file is named by the row: a file an earlier attempt saved before its worker died is
    # replaced, not kept beside this one under a suffixed name.
    storage = job.pdf.storage
    name = job.pdf.field.generate_filename(job, "dossier.pdf")
    if storage.exists(name):
        storage.delete(name)
    job.pdf.save("dossier.pdf", ContentFile(rendered.pdf), save=False)
    fields = {
        "status": JobStatus.SUCCEEDED,
        "finished_at": timezone.now(),
        "lease_expires_at": None,
        "progress": {
            "stage": DossierStage.STORED,
            "percent": 100,
            "timings": {name: round(value, 3) for name, value in timings.items()},
        },
        "pdf": job.pdf.name,
        "sha256": rendered.sha256,
        "content_sha256": rendered.content_sha256,
        "text_sha256": rendered.text_sha256,
        "size": len(rendered.pdf),
        "page_count": rendered.page_count,
        "attachments": rendered.attachments,
        "signed": rendered.signed,
        "signer": rendered.signer[:300],
        "signed_at": rendered.signed_at,
        "error": "",
    }
    with transaction.atomic():  # the stored result and its audit event commit together, once
        if not _held(job).update(**fields):
            job.pdf.storage.delete(job.pdf.name)
            return False
        for field, value in fields.items():
            if field != "pdf":
                setattr(job, field, value)
        _record(job)
    return True


def _fail(job: DossierRender, error: str) -> None:
    if _held(job).exists():
        runner.fail(job, error, progress={**(job.progress or {}), "failed": True})


def sweep_render_jobs() -> list[int]:
    """Re-send renders whose worker vanished (lease lapsed) or that no worker ever picked up."""
    return runner.sweep(DossierRender, enqueue_render)
