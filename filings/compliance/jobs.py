"""Pre-flight as a job: filings whose pool is too large to check while the page waits.

The rules read the pool's stored analytics, not its rows, but building the data they read and
evaluating the catalogue against a large pool's exceptions takes long enough that the person who
asked should watch a progress bar instead of a spinning page. The run is frozen like a snapshot's
findings (both languages, citations, rule versions) with the hash of the data it read, so the page
can tell the reader when the filing has changed since.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation

from audit.services import record_event
from jobs import runner
from jobs.models import JobStatus

from ..models import Filing, PreflightRun
from ..snapshot import sha256_of
from . import preflight_data
from .registry import BLOCKING, RULES, WARNING, evaluate

logger = logging.getLogger(__name__)

LEASE = runner.DEFAULT_LEASE  # short; renewed by a keep-alive thread while the run works


def pool_size(filing: Filing) -> int:
    """The number of assets in the filing's current asset table (0 without a pool)."""
    from assets.selectors import current_asset_count

    return current_asset_count(filing.pool_id) if filing.pool_id else 0


def runs_as_job(filing: Filing, *, asset_count: int | None = None) -> bool:
    """Whether the pool is large enough to be checked by a worker (``asset_count`` if already read)."""
    size = pool_size(filing) if asset_count is None else asset_count
    return size > settings.PREFLIGHT_INLINE_MAX_ASSETS


def data_fingerprint(filing: Filing) -> str:
    """What the rules read, hashed: equal fingerprints give equal findings."""
    return sha256_of({"data": preflight_data(filing), "profile": filing.criteria_profile or {}})


def runs_of(filing: Filing) -> QuerySet[PreflightRun]:
    """The filing's pre-flight runs, newest first (the caller has already scoped the filing to the user)."""
    return PreflightRun.objects.filter(filing=filing).select_related("requested_by")


def latest_run(filing: Filing) -> PreflightRun | None:
    return runs_of(filing).first()


def latest_report(filing: Filing) -> PreflightRun | None:
    """The newest run that finished with a report."""
    return runs_of(filing).filter(status=JobStatus.SUCCEEDED).first()


def is_outdated(run: PreflightRun, filing: Filing) -> bool:
    """A finished run whose data no longer matches the filing as it stands."""
    return run.status == JobStatus.SUCCEEDED and run.data_sha256 != data_fingerprint(filing)


@transaction.atomic
def request_preflight(*, filing_id: int, by: Any) -> PreflightRun:
    """Queue a pre-flight run of the filing; the run already waiting or under way is returned instead."""
    filing = Filing.objects.select_for_update().get(pk=filing_id)  # two clicks must not queue two runs
    live = runs_of(filing).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if live is not None:
        return live
    run = PreflightRun.objects.create(
        filing=filing, requested_by=by, progress={"done": 0, "total": len(RULES), "percent": 0}
    )
    record_event(action="preflight.request", actor=by, subject=run, filing_id=filing.pk)
    enqueue_preflight(run.pk)  # in this transaction: the run and its outbox message commit together
    return run


def enqueue_preflight(job_id: int) -> None:
    """Hand the run to a worker once the caller's transaction commits; if the broker is
    unreachable the outbox relay sends it when it is back."""
    runner.dispatch("filings.tasks.run_preflight_task", job_id)


def _held(job: PreflightRun) -> Any:
    return PreflightRun.objects.filter(pk=job.pk, claimed_by=job.claimed_by, status=JobStatus.RUNNING)


def run_preflight_job(job_id: int) -> PreflightRun | None:
    """Claim the run and evaluate every rule; a no-op (None) if another worker holds it or it is done.

    Never raises: a broken run fails the job with its error, and the page offers to run it again.
    """
    job = runner.claim(PreflightRun, job_id, lease=LEASE)
    if job is None:
        return None
    with runner.keep_alive(job, lease=LEASE):
        return _evaluate(job)


def _evaluate(job: PreflightRun) -> PreflightRun:
    try:
        # Frozen messages are rendered in both languages by as_dict; the rest runs in the default one.
        with translation.override(settings.LANGUAGE_CODE):
            filing = Filing.objects.get(pk=job.filing_id)
            data = preflight_data(filing)
            profile = filing.criteria_profile or {}

            def progress(done: int, total: int) -> None:
                if done % 8 == 0 or done == total:
                    percent = int(done * 100 / total) if total else 100
                    runner.heartbeat(job, {"done": done, "total": total, "percent": percent}, lease=LEASE)

            findings = evaluate(data, profile, on_progress=progress)
            frozen = [finding.as_dict() for finding in findings]
        counts = {
            "blocking_count": sum(1 for f in findings if f.severity == BLOCKING),
            "warning_count": sum(1 for f in findings if f.severity == WARNING),
        }
        fingerprint = sha256_of({"data": data, "profile": profile})
        with transaction.atomic():
            if not _held(job).exists():
                logger.warning("Pre-flight run %s lost its claim while running; result discarded", job.pk)
                return job
            runner.finish(
                job,
                findings=frozen,
                data_sha256=fingerprint,
                progress={**(job.progress or {}), "percent": 100},
                error="",
                **counts,
            )
            record_event(
                action="preflight.run",
                actor=job.requested_by,
                subject=job,
                filing_id=filing.pk,
                data={
                    "blocking": counts["blocking_count"],
                    "warnings": counts["warning_count"],
                    "data_sha256": fingerprint,
                },
            )
    except Exception as error:  # reported on the row, never raised into the worker
        logger.exception("Pre-flight run %s failed", job.pk)
        if _held(job).exists():
            runner.fail(job, f"{type(error).__name__}: {error}")
    return job


def sweep_preflight_runs() -> list[int]:
    """Re-send runs whose worker vanished or that were never picked up."""
    return runner.sweep(PreflightRun, enqueue_preflight)
