"""Changes to asset pools: receive a tape, run its import as a job, keep the pool's analytics current.

An import is all or nothing. The job stages the tape's rows under its own TapeImport row, batch by
batch (committing its progress in between, so the progress bar moves); only when the whole file is
valid does one transaction switch the tape to current and store the recomputed analytics. A tape with
any error is refused: its staged rows are deleted and the previous tape stays in force.

Assets does not import filings (dependencies point one way): callers in filings pass the filing's
cut-off date, criteria profile and legal final maturity. The filing resting on a pool is reached only
through the reverse one-to-one the filings app declares, to check that the pool may change and to file
audit events under it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import IO, Any, Final

import rules
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assets.analytics import evaluate_eligibility
from assets.criteria import DEFAULT_CRITERIA
from assets.tape import ColumnMapping, ImportOptions, MappingError, Progress, kinds_for, run_import
from assets.tape.errors import TapeError
from assets.tape.readers import TapeReadError, check_inflation
from audit.services import record_event
from inbox.services import record_notifications
from jobs import runner
from jobs.models import JobStatus

from .analytics.performance import performance_summary
from .analytics.report import with_history
from .errors import DuplicateTapeError, NotAllowedError, PoolLockedError, TapeImportError
from .loading import Stager, discard_staged
from .models import Asset, AssetPool, PeriodRow, SavedMapping, TapeImport, TapeKind, TapeUpload
from .storage import local_tape_path, store_tape
from .summaries import (
    history_cutoff,
    income_analytics,
    performance_table,
    pool_analytics,
    pool_report_stream,
    tape_summary,
)

logger = logging.getLogger(__name__)

# Short: renewed after every batch and, independently, by a keep-alive thread while the job runs,
# so a dead worker's import is taken by another within a minute.
LEASE: Final = runner.DEFAULT_LEASE
BATCH_SIZE: Final = 5000
_UPDATE_CHUNK: Final = 500


# ---------------------------------------------------------------------------------------------
# Pools and permissions
# ---------------------------------------------------------------------------------------------


def create_pool(*, organisation: Any, asset_class: str) -> AssetPool:
    """An empty pool for a filing's assets."""
    return AssetPool.objects.create(organisation=organisation, asset_class=asset_class)


def filing_of(pool: AssetPool) -> Any | None:
    """The filing resting on the pool, through the reverse one-to-one filings declares (no import)."""
    try:
        return pool.filing  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, AttributeError):
        return None


def _filing_id(pool: AssetPool) -> int | None:
    filing = filing_of(pool)
    return filing.pk if filing is not None else None


def _may_import(pool: AssetPool, user: Any) -> bool:
    """The filing's "filings.import_tapes" permission (issuer staff, or an agent delegated to import
    tapes), looked up by name so assets does not depend on filings; a pool without a filing is its
    organisation's issuer staff's."""
    filing = filing_of(pool)
    if filing is not None:
        return bool(rules.has_perm("filings.import_tapes", user, filing))
    return bool(getattr(user, "is_issuer", False) and user.organisation_id == pool.organisation_id)


def can_change_pool(pool: AssetPool, user: Any) -> bool:
    """Who may import tapes for the filing, while its assets section is open to edits."""
    if not _may_import(pool, user):
        return False
    filing = filing_of(pool)
    return filing is None or bool(filing.section_is_editable("assets"))


def _ensure_can_change(pool: AssetPool, by: Any) -> None:
    if not _may_import(pool, by):
        raise NotAllowedError()
    filing = filing_of(pool)
    if filing is not None and not filing.section_is_editable("assets"):
        raise PoolLockedError()


def _check_kind(pool: AssetPool, kind: str) -> None:
    if kind not in kinds_for(pool.asset_class):
        raise TapeImportError(
            _("A %(asset_class)s pool has no %(kind)s table.")
            % {"asset_class": pool.asset_class, "kind": kind}
        )


# ---------------------------------------------------------------------------------------------
# Receiving a file and starting its import
# ---------------------------------------------------------------------------------------------


def receive_tape(
    *, pool_id: int, upload: IO[bytes] | Any, kind: str, by: Any, file_name: str | None = None
) -> TapeUpload:
    """Store an uploaded tape file in private storage (content-addressed) for its mapping step."""
    pool = AssetPool.objects.get(pk=pool_id)
    _ensure_can_change(pool, by)
    _check_kind(pool, kind)
    limit = settings.TAPE_MAX_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise TapeImportError(_too_large(declared, limit))
    seekable = callable(getattr(upload, "seekable", None)) and upload.seekable()
    if seekable:
        _check_inflation(upload)  # a zip bomb is refused before it is stored or opened
    try:
        stored = store_tape(upload, max_bytes=limit)
    except ValueError:
        raise TapeImportError(_too_large(limit + 1, limit)) from None
    if not seekable:
        with local_tape_path(stored.sha256) as path:
            _check_inflation(path)
    if stored.size == 0:
        raise TapeImportError(_("The file is empty."))
    name = (file_name or getattr(upload, "name", None) or "tape").rsplit("/", 1)[-1][:255]
    received = TapeUpload.objects.create(
        pool=pool, kind=kind, file_name=name, sha256=stored.sha256, size=stored.size, uploaded_by=by
    )
    record_event(
        action="tape.upload",
        actor=by,
        subject=received,
        filing_id=_filing_id(pool),
        data={"kind": kind, "file_name": name, "sha256": stored.sha256, "size": stored.size},
    )
    return received


def _check_inflation(source: Any) -> None:
    """Refuse an Excel workbook that would inflate past TAPE_MAX_UNCOMPRESSED_BYTES (or by more than
    TAPE_MAX_COMPRESSION_RATIO), from its zip directory alone."""
    try:
        check_inflation(source)
    except TapeReadError as error:
        raise TapeImportError(TapeError(error.code, params=error.params).message) from None


def _too_large(size: int, limit: int) -> str:
    return str(
        _("The file is %(size)s MB; the limit is %(limit)s MB.")
        % {"size": round(size / 1048576, 1), "limit": limit // 1048576}
    )


def start_tape_import(
    *,
    pool_id: int,
    upload: TapeUpload | IO[bytes] | Any,
    kind: str,
    mapping: ColumnMapping | Mapping[str, Any] | str | None,
    by: Any,
    cutoff_date: dt.date | None = None,
    criteria: Mapping[str, Any] | None = None,
    legal_final_maturity: dt.date | None = None,
    file_name: str | None = None,
    enqueue: bool = True,
) -> TapeImport:
    """Create the import job for a received file (or a file, received first) and hand it to a worker.

    Raises DuplicateTapeError when the same file is already the current tape of that table or is being
    imported. With enqueue=False the caller runs it (run_tape_import) itself, as the command does.
    """
    try:
        parsed = (
            ColumnMapping.from_json(mapping) if isinstance(mapping, str) else ColumnMapping.coerce(mapping)
        )
    except MappingError as error:
        raise TapeImportError(_("The column mapping is not valid: %(error)s") % {"error": error}) from None
    if not isinstance(upload, TapeUpload):
        upload = receive_tape(pool_id=pool_id, upload=upload, kind=kind, by=by, file_name=file_name)
    if upload.pool_id != pool_id or upload.kind != kind:
        raise TapeImportError(_("This upload belongs to another pool or table."))
    profile = dict(criteria) if criteria else DEFAULT_CRITERIA
    with transaction.atomic():
        pool = AssetPool.objects.select_for_update().get(pk=pool_id)
        _ensure_can_change(pool, by)
        _check_kind(pool, kind)
        existing = (
            TapeImport.objects.filter(pool=pool, kind=kind, sha256=upload.sha256)
            .filter(Q(is_current=True) | Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]))
            .order_by("-is_current", "-created_at")
            .first()
        )
        if existing is not None:
            raise DuplicateTapeError(existing)
        job = TapeImport.objects.create(
            pool=pool,
            kind=kind,
            file_name=upload.file_name,
            sha256=upload.sha256,
            size=upload.size,
            mapping=parsed.to_json(),
            options={
                "cutoff_date": cutoff_date.isoformat() if cutoff_date else None,
                "legal_final_maturity": legal_final_maturity.isoformat() if legal_final_maturity else None,
                "criteria": profile,
            },
            requested_by=by,
            progress={"stage": "queued", "percent": 0},
        )
        if enqueue:
            enqueue_import(job.pk)  # in this transaction: the job and its outbox message commit together
    return job


def enqueue_import(job_id: int) -> None:
    """Hand the job to a worker (queue "imports") once the caller's transaction commits; if the
    broker is unreachable the outbox relay sends it when it is back."""
    runner.dispatch("assets.tasks.run_tape_import_task", job_id)


def sweep_tape_imports() -> list[int]:
    """Re-send imports whose worker vanished (lease lapsed) or that no worker ever picked up."""
    return runner.sweep(TapeImport, enqueue_import)


# ---------------------------------------------------------------------------------------------
# The job body
# ---------------------------------------------------------------------------------------------


def _held(job: TapeImport) -> Any:
    return TapeImport.objects.filter(pk=job.pk, claimed_by=job.claimed_by, status=JobStatus.RUNNING)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _eligibility_of(
    asset_class: str, criteria: Mapping[str, Any], legal_final_maturity: dt.date | None
) -> Any:
    """The reasons each asset of a batch fails the criteria (by tape row), for the rows as they are stored."""

    def failing(rows: list[dict[str, Any]]) -> dict[int, list[str]]:
        result = evaluate_eligibility(
            rows, asset_class=asset_class, criteria=criteria, legal_final_maturity=legal_final_maturity
        )
        return {entry["source_row"]: entry["reasons"] for entry in result["ineligible"]}

    return failing


class _Reporter:
    """Commits the progress after every batch (outside any staging transaction) and renews the lease."""

    def __init__(self, job: TapeImport, stager: Stager, holding: runner.Holding) -> None:
        self.job = job
        self.stager = stager
        self.holding = holding
        self.last: dict[str, Any] = {}

    def __call__(self, progress: Progress) -> None:
        self.holding.check()  # another worker took the job: stop staging rows under it
        if progress.error_count:
            self.stager.halted = True  # the tape will be refused: stop storing rows
        total = progress.total_bytes or 0
        share = min(progress.bytes_read / total, 1.0) if total else 0.0
        self.last = {
            "stage": "reading",
            "rows_read": progress.rows_read,
            "rows_validated": progress.rows_validated,
            "rows_valid": progress.rows_valid,
            "rows_stored": self.stager.stored,
            "error_count": progress.error_count,
            "bytes_read": progress.bytes_read,
            "total_bytes": progress.total_bytes,
            "percent": int(share * 90),
        }
        runner.heartbeat(self.job, self.last, lease=LEASE)

    def stage(self, name: str, percent: int) -> None:
        self.holding.check()
        self.last = {**self.last, "stage": name, "percent": percent}
        runner.heartbeat(self.job, self.last, lease=LEASE)


def run_tape_import(job_id: int) -> TapeImport | None:
    """Claim the import and run it; a no-op (None) when another worker holds it or it is finished.

    Never raises: a tape with errors is refused (job succeeded, result ok = false), a broken run fails
    the job with its error; either way nothing of the new tape is stored.
    """
    job = runner.claim(TapeImport, job_id, lease=LEASE)
    if job is None:
        return None
    # Analytics texts (reasons, check messages) are kept in the regulator's language.
    with translation.override(settings.LANGUAGE_CODE), runner.keep_alive(job, lease=LEASE) as holding:
        try:
            discard_staged(job)  # an earlier attempt that died may have left rows
            _execute(job, holding)
        except runner.LeaseLostError:  # its rows are the new holder's business now
            logger.warning("Tape import %s was taken by another worker; this run stops", job.pk)
        except Exception as error:  # reported on the row, never raised into the worker
            logger.exception("Tape import %s failed", job.pk)
            if _held(job).exists():
                discard_staged(job)
                with transaction.atomic():  # the outcome and its audit event together, once
                    runner.fail(
                        job, f"{type(error).__name__}: {error}", progress={**job.progress, "stage": "failed"}
                    )
                    _record_outcome(job, "failed")
    return job


def _execute(job: TapeImport, holding: runner.Holding) -> None:
    pool = job.pool
    options = job.options or {}
    criteria = options.get("criteria") or DEFAULT_CRITERIA
    legal_final = _date(options.get("legal_final_maturity"))
    pooled = pool.asset_class != "toll_income"
    stager = Stager(
        job,
        analytics=pool_report_stream(
            asset_class=pool.asset_class, criteria=criteria, legal_final_maturity=legal_final
        )
        if pooled and job.kind == TapeKind.ASSETS
        else None,
        eligibility=_eligibility_of(pool.asset_class, criteria, legal_final) if pooled else None,
    )
    reporter = _Reporter(job, stager, holding)
    with local_tape_path(job.sha256) as path, stager:
        result = run_import(
            str(path),
            asset_class=pool.asset_class,
            kind=job.kind,
            mapping=job.mapping,
            options=ImportOptions(
                batch_size=BATCH_SIZE, criteria=criteria, cutoff_date=_date(options.get("cutoff_date"))
            ),
            on_progress=reporter,
            sink=stager,
        )
    if result.sha256 != job.sha256:
        raise RuntimeError(f"the stored tape does not match its SHA-256 {job.sha256}")
    summary = result.as_dict()
    if not result.ok:
        holding.check()
        discard_staged(job)
        with transaction.atomic():  # the outcome and its audit event together, once
            if not _held(job).exists():
                return
            _complete(
                job, summary, progress={**reporter.last, "stage": "refused", "percent": 100, "rows_stored": 0}
            )
        return
    reporter.stage("analysing", 95)
    cutoff = result.cutoff_dates[-1] if result.cutoff_dates else None
    analytics: dict[str, Any] | None = None
    if stager.analytics is not None:  # fed batch by batch as the rows were staged
        analytics, _kept = pool_analytics(  # the rows already carry their eligibility
            stager.analytics,
            asset_class=pool.asset_class,
            criteria=criteria,
            legal_final_maturity=legal_final,
        )
        stager.analytics = None
        summary["pool_summary"] = tape_summary(analytics["overview"])
    elif job.kind in (TapeKind.HISTORY, TapeKind.PERFORMANCE):
        cutoff = history_cutoff(PeriodRow.objects.filter(tape_id=job.pk).values_list("period", flat=True))
    with transaction.atomic():
        locked = AssetPool.objects.select_for_update().get(pk=pool.pk)
        if not _held(job).exists():
            logger.warning("Tape import %s lost its claim while running; result discarded", job.pk)
            discard_staged(job)
            return
        TapeImport.objects.filter(pool=locked, kind=job.kind, is_current=True).update(is_current=False)
        done = {
            **reporter.last,
            "stage": "stored",
            "percent": 100,
            "rows_stored": stager.stored,
        }
        TapeImport.objects.filter(pk=job.pk).update(
            is_current=True, rows_stored=stager.stored, cutoff_date=cutoff
        )
        job.is_current, job.rows_stored, job.cutoff_date = True, stager.stored, cutoff
        if analytics is None and pooled:  # a pool's performance table: the asset figures stay
            analytics = dict(locked.analytics or {})
        elif analytics is None:  # an income right: all four tables, with this one as it now stands
            analytics = _income_analytics(locked, criteria=criteria, legal_final_maturity=legal_final)
        else:
            analytics["performance"] = _performance(locked, summary["pool_summary"])
        if pooled:
            analytics.update(_performance_analytics(locked, analytics, criteria=criteria))
        _store_analytics(locked, analytics, criteria=criteria, legal_final_maturity=legal_final)
        _complete(job, summary, progress=done)


def _complete(job: TapeImport, summary: dict[str, Any], *, progress: dict[str, Any]) -> None:
    runner.finish(job, result=summary, progress=progress, error="")
    _record_outcome(job, "accepted" if summary.get("ok") else "refused")


def _record_outcome(job: TapeImport, outcome: str) -> None:
    result = job.result or {}
    record_event(
        action="tape.import",
        actor=job.requested_by,
        subject=job,
        filing_id=_filing_id(job.pool),
        data={
            "outcome": outcome,
            "kind": job.kind,
            "file_name": job.file_name,
            "sha256": job.sha256,
            "rows_read": result.get("rows_read"),
            "rows_stored": job.rows_stored if outcome == "accepted" else 0,
            "error_count": result.get("error_count"),
            "error_counts": result.get("error_counts"),
            "criteria_version": (job.options.get("criteria") or {}).get("version"),
        },
    )
    _notify_outcome(job, outcome)


# An import's outcome → the in-app notification its requester gets (no email: they started it and the
# task inbox lists it too; the bell tells them when they have left the page).
OUTCOME_KINDS = {"accepted": "import_finished", "refused": "import_refused", "failed": "import_failed"}


def _notify_outcome(job: TapeImport, outcome: str) -> None:
    filing = filing_of(job.pool)
    requester = job.requested_by
    if filing is None or requester is None or not requester.is_active:
        return
    result = job.result or {}
    record_notifications(
        recipients=[requester],
        kind=OUTCOME_KINDS[outcome],
        filing=filing,
        params={
            "file": job.file_name,
            "rows": job.rows_stored if outcome == "accepted" else 0,
            "errors": result.get("error_count") or 0,
            "import": job.pk,
        },
    )


def mark_eligibility(tape_id: int, ineligible: list[dict[str, Any]], *, reset: bool) -> None:
    """Write each asset's eligibility (reasons by code) onto its row; assets are eligible unless listed."""
    if reset:
        Asset.objects.filter(tape_id=tape_id, eligible=False).update(eligible=True, reasons=[])
    groups: dict[tuple[str, ...], list[int]] = {}
    for entry in ineligible:
        groups.setdefault(tuple(entry["reasons"]), []).append(entry["source_row"])
    for reasons, rows in groups.items():
        for start in range(0, len(rows), _UPDATE_CHUNK):
            Asset.objects.filter(tape_id=tape_id, source_row__in=rows[start : start + _UPDATE_CHUNK]).update(
                eligible=False, reasons=list(reasons)
            )


def _store_analytics(
    pool: AssetPool,
    analytics: dict[str, Any],
    *,
    criteria: Mapping[str, Any],
    legal_final_maturity: dt.date | None,
) -> None:
    pool.analytics = analytics
    pool.criteria_version = str(criteria.get("version", ""))
    pool.legal_final_maturity = legal_final_maturity
    pool.analytics_computed_at = timezone.now()
    pool.save(
        update_fields=[
            "analytics",
            "criteria_version",
            "legal_final_maturity",
            "analytics_computed_at",
            "updated_at",
        ]
    )


def _performance(pool: AssetPool, latest: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Performance by cut-off over every accepted asset tape of the pool (superseded ones included)."""
    earlier = (
        TapeImport.objects.filter(
            pool=pool, kind=TapeKind.ASSETS, status=JobStatus.SUCCEEDED, result__ok=True
        )
        .order_by("created_at", "pk")
        .values_list("result", flat=True)
    )
    summaries = [result["pool_summary"] for result in earlier if result.get("pool_summary")]
    return performance_table([*summaries, latest] if latest else summaries)


def _current(pool: AssetPool) -> dict[str, TapeImport]:
    return {tape.kind: tape for tape in TapeImport.objects.filter(pool=pool, is_current=True)}


def _income_analytics(
    pool: AssetPool, *, criteria: Mapping[str, Any], legal_final_maturity: dt.date | None
) -> dict[str, Any]:
    current = _current(pool)

    def period_rows(kind: str) -> list[dict[str, Any]]:
        tape = current.get(kind)
        if tape is None:
            return []
        return list(
            PeriodRow.objects.filter(tape=tape)
            .order_by("period", "source_row")
            .values_list("data", flat=True)
        )

    master = current.get(TapeKind.ASSETS)
    toll_assets = (
        list(Asset.objects.filter(tape=master).order_by("source_row").values_list("data", flat=True))
        if master
        else []
    )
    return income_analytics(
        toll_assets=toll_assets,
        history=period_rows(TapeKind.HISTORY),
        forecast=period_rows(TapeKind.FORECAST),
        debt_service=period_rows(TapeKind.DEBT_SERVICE),
        criteria=criteria,
        legal_final_maturity=legal_final_maturity,
    )


def _performance_analytics(
    pool: AssetPool, analytics: Mapping[str, Any], *, criteria: Mapping[str, Any]
) -> dict[str, Any]:
    """The figures of the pool's current performance table (动态池), to merge into its analytics.

    Returns {} without such a table; otherwise the history summary and the §6.6 checks with the
    collection-ratio, DQ90+ and dilution bands taken from it.
    """
    tape = _current(pool).get(TapeKind.PERFORMANCE)
    if tape is None:
        return {}
    rows = list(PeriodRow.objects.filter(tape=tape).order_by("period").values_list("data", flat=True))
    history = performance_summary(rows)
    return {
        "performance_history": history,
        "stability": with_history(list(analytics.get("stability") or []), history, criteria=criteria),
    }


def stream_pool_analytics(
    tape: TapeImport,
    *,
    asset_class: str,
    criteria: Mapping[str, Any],
    legal_final_maturity: dt.date | None,
    on_ineligible: Callable[[list[dict[str, Any]]], None] | None = None,
) -> dict[str, Any]:
    """The analytics of a stored asset tape, its rows read back and fed to the analytics batch by batch."""
    stream = pool_report_stream(
        asset_class=asset_class,
        criteria=criteria,
        legal_final_maturity=legal_final_maturity,
        on_ineligible=on_ineligible,
    )
    rows = Asset.objects.filter(tape=tape).order_by("source_row").values_list("data", flat=True)
    batch: list[dict[str, Any]] = []
    for data in rows.iterator(chunk_size=BATCH_SIZE):
        batch.append(data)
        if len(batch) == BATCH_SIZE:
            stream.add(batch)
            batch = []
    if batch:
        stream.add(batch)
    analytics, _kept = pool_analytics(
        stream, asset_class=asset_class, criteria=criteria, legal_final_maturity=legal_final_maturity
    )
    return analytics


@transaction.atomic
def recompute_pool_analytics(
    *,
    pool_id: int,
    by: Any,
    criteria: Mapping[str, Any] | None = None,
    legal_final_maturity: dt.date | None = None,
) -> AssetPool:
    """Recompute the analytics of the current tapes, e.g. after the tranches or the criteria changed."""
    pool = AssetPool.objects.select_for_update().get(pk=pool_id)
    _ensure_can_change(pool, by)
    profile = dict(criteria) if criteria else DEFAULT_CRITERIA
    with translation.override(settings.LANGUAGE_CODE):
        if pool.asset_class == "toll_income":
            analytics = _income_analytics(pool, criteria=profile, legal_final_maturity=legal_final_maturity)
        else:
            tape = _current(pool).get(TapeKind.ASSETS)
            if tape is None:
                analytics = {}
            else:
                mark_eligibility(tape.pk, [], reset=True)
                analytics = stream_pool_analytics(
                    tape,
                    asset_class=pool.asset_class,
                    criteria=profile,
                    legal_final_maturity=legal_final_maturity,
                    on_ineligible=lambda entries: mark_eligibility(tape.pk, entries, reset=False),
                )
                analytics["performance"] = _performance(pool, None)
            analytics.update(_performance_analytics(pool, analytics, criteria=profile))
    _store_analytics(pool, analytics, criteria=profile, legal_final_maturity=legal_final_maturity)
    record_event(
        action="pool.recompute",
        actor=by,
        subject=pool,
        filing_id=_filing_id(pool),
        data={
            "criteria_version": pool.criteria_version,
            "legal_final_maturity": legal_final_maturity.isoformat() if legal_final_maturity else None,
        },
    )
    return pool


# ---------------------------------------------------------------------------------------------
# Saved mappings
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def save_mapping(
    *,
    by: Any,
    name: str,
    asset_class: str,
    kind: str,
    mapping: ColumnMapping | Mapping[str, Any] | str,
    filing_id: int | None = None,
    pool_id: int | None = None,
) -> SavedMapping:
    """Save (or replace) a named column mapping for the user's organisation, or, given the pool it was
    made for, for the pool's organisation (so an agent importing for the issuer saves it there)."""
    if pool_id is not None:
        pool = AssetPool.objects.get(pk=pool_id)
        if not _may_import(pool, by):
            raise NotAllowedError()
        organisation_id = pool.organisation_id
    elif getattr(by, "is_issuer", False) and by.organisation_id:
        organisation_id = by.organisation_id
    else:
        raise NotAllowedError(_("Only issuer staff may save column mappings."))
    name = name.strip()[:100]
    if not name:
        raise TapeImportError(_("Give the mapping a name."))
    try:
        parsed = (
            ColumnMapping.from_json(mapping) if isinstance(mapping, str) else ColumnMapping.coerce(mapping)
        )
    except MappingError as error:
        raise TapeImportError(_("The column mapping is not valid: %(error)s") % {"error": error}) from None
    saved, created = SavedMapping.objects.update_or_create(
        organisation_id=organisation_id,
        asset_class=asset_class,
        kind=kind,
        name=name,
        defaults={"mapping": parsed.to_json(), "created_by": by},
    )
    record_event(
        action="tape.mapping_save",
        actor=by,
        subject=saved,
        filing_id=filing_id,
        data={"name": name, "asset_class": asset_class, "kind": kind, "created": created},
    )
    return saved


def record_tape_download(*, job: TapeImport, by: Any, what: str, file_format: str = "") -> None:
    """Audit a download of a tape file ("tape") or of an import's error report ("errors")."""
    record_event(
        action="tape.download" if what == "tape" else "tape.errors_download",
        actor=by,
        subject=job,
        filing_id=_filing_id(job.pool),
        data={"file_name": job.file_name, "sha256": job.sha256, "format": file_format},
    )
