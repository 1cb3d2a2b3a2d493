"""Every change to a filing goes through one function here: lock, check, change, record."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed, has_transition_perm

from assets.criteria import DEFAULT_CRITERIA
from assets.models import AssetPool
from audit import hooks
from audit.services import record_event

from .errors import SectionLockedError, StaleEditError, TransitionRefusedError, UploadRejectedError
from .models import (
    PROHIBITED_CIRCUMSTANCES,
    Attestation,
    Document,
    DocumentRequirement,
    EntitySection,
    Filing,
    OfferingSection,
    ReasonCode,
    Snapshot,
    StructureSection,
    TokenSection,
)
from .snapshot import _plain, build_filing_data, sha256_of
from .workflow import PAUSE_STATES, FilingState

SECTION_MODELS: dict[str, Any] = {
    "entity": EntitySection,
    "structure": StructureSection,
    "token": TokenSection,
    "offering": OfferingSection,
}
# Repeating rows edited together with a section (they share the section's version).
SECTION_ROWS = {
    "entity": ["control_links", "officers"],
    "structure": [
        "parties",
        "lawyers",
        "registrations",
        "important_debtors",
        "tranches",
        "accounts",
        "triggers",
        "waterfall",
    ],
    "token": [],
    "offering": ["venues"],
}


def _lock(filing_id: int) -> Filing:
    # Lock the filing row: two people acting on one filing at once must take turns.
    return Filing.objects.select_for_update().select_related("organisation").get(pk=filing_id)


@transaction.atomic
def create_filing(*, organisation: Any, title: str, asset_class: str, by: Any) -> Filing:
    """Open a new draft with empty sections and the six attestations to answer."""
    pool = AssetPool.objects.create(organisation=organisation, asset_class=asset_class)
    filing = Filing(
        organisation=organisation,
        title=title,
        asset_class=asset_class,
        created_by=by,
        pool=pool,
        criteria_profile=DEFAULT_CRITERIA,
    )
    filing.reference = f"TMP-{uuid.uuid4().hex[:16]}"  # replaced below once the id is known
    filing.save()
    filing.reference = f"ABST-{timezone.localdate().year}-{filing.pk:05d}"
    filing.save(update_fields=["reference"])
    EntitySection.objects.create(
        filing=filing, name_zh=organisation.name_zh, name_en=organisation.name_en, uscc=organisation.uscc
    )
    for model in (StructureSection, TokenSection, OfferingSection):
        model.objects.create(filing=filing)
    Attestation.objects.bulk_create(
        Attestation(filing=filing, code=code) for code, _text in PROHIBITED_CIRCUMSTANCES
    )
    record_event(
        action="filing.create",
        actor=by,
        subject=filing,
        filing_id=filing.pk,
        data={"reference": filing.reference, "title": title, "asset_class": asset_class},
    )
    return filing


def _ensure_editable(filing: Filing, section: str, by: Any) -> None:
    from .rules import can_prepare_filing

    if not can_prepare_filing(by, filing):
        raise TransitionRefusedError(_("Only the issuer's own staff may edit this filing."))
    if not filing.section_is_editable(section):
        raise SectionLockedError()


def _clear_ready_for_signature(filing: Filing, *, section: str, by: Any) -> None:
    """An edit after the hand-off changes what the signatory was asked to sign: the mark goes, and
    the log says why (the preparer marks the filing ready again once it passes pre-flight)."""
    if filing.ready_for_signature_at is None:
        return
    Filing.objects.filter(pk=filing.pk).update(
        ready_for_signature_at=None, ready_for_signature_by=None, ready_for_signature_note=""
    )
    filing.ready_for_signature_at = None
    filing.ready_for_signature_by = None
    filing.ready_for_signature_note = ""
    record_event(
        action="handoff.cleared", actor=by, subject=filing, filing_id=filing.pk, data={"section": section}
    )


@transaction.atomic
def update_section(
    *,
    filing_id: int,
    section: str,
    fields: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    expected_version: int,
    by: Any,
) -> Any:
    """Save one section and its rows, unless someone else saved it since the editor loaded it."""
    filing = _lock(filing_id)
    _ensure_editable(filing, section, by)
    model = SECTION_MODELS[section]
    obj = model.objects.select_for_update().get(filing=filing)
    if obj.version != expected_version:
        raise StaleEditError()
    changes = {
        name: [_plain(getattr(obj, name)), _plain(value)]
        for name, value in sorted(fields.items())
        if getattr(obj, name) != value
    }
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["filing"])
    obj.version += 1
    obj.save()
    row_changes = {}
    for relation, items in rows.items():
        if relation not in SECTION_ROWS[section]:
            raise ValueError(relation)
        manager = getattr(filing, relation)
        row_model = manager.model
        names = [f.name for f in row_model._meta.concrete_fields if f.name not in {"id", "filing"}]
        before = [{k: _plain(v) for k, v in row.items()} for row in manager.order_by("id").values(*names)]
        after = [{k: _plain(item.get(k)) for k in names} for item in items]
        if before != after:
            row_changes[relation] = {"before": before, "after": after}
        manager.all().delete()
        row_model.objects.bulk_create(row_model(filing=filing, **item) for item in items)
    if changes or row_changes:
        _clear_ready_for_signature(filing, section=section, by=by)
    record_event(
        action="section.update",
        actor=by,
        subject=filing,
        filing_id=filing.pk,
        data={"section": section, "version": obj.version, "changes": changes, "rows": row_changes},
    )
    return obj


@transaction.atomic
def sign_attestations(*, filing_id: int, answers: dict[str, tuple[str, str]], by: Any) -> None:
    """The issuer signatory answers and signs the six prohibited circumstances."""
    filing = _lock(filing_id)
    _ensure_editable(filing, "attestations", by)
    if not by.is_signatory:
        raise TransitionRefusedError(_("Only the issuer signatory may sign the attestations."))
    now = timezone.now()
    for attestation in filing.attestations.select_for_update():
        answer, evidence = answers.get(attestation.code, (attestation.answer, attestation.evidence))
        attestation.answer = answer
        attestation.evidence = evidence
        attestation.signed_by = by
        attestation.signed_at = now
        attestation.save()
    record_event(
        action="attestations.sign",
        actor=by,
        subject=filing,
        filing_id=filing.pk,
        data={code: answer for code, (answer, _e) in sorted(answers.items())},
    )


# Content sniffing: the first bytes decide the type, never the file name.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
]
OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_content_type(head: bytes, read_all: Callable[[], bytes]) -> str | None:
    for magic, mime in SIGNATURES:
        if head.startswith(magic):
            if mime != "application/zip":
                return mime
            import io
            import zipfile

            try:
                names = zipfile.ZipFile(io.BytesIO(read_all())).namelist()
            except zipfile.BadZipFile:
                return None
            for prefix, ooxml in OOXML_TYPES.items():
                if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
                    return ooxml
            return None
    return None


def _check_pdf(content: bytes) -> None:
    """Refuse a PDF that reviewers could not open: cut short in transfer, or locked by a password."""
    tail = content[-2048:]
    if b"%%EOF" not in tail:
        raise UploadRejectedError(
            _("The PDF is incomplete (its end is missing): save or export it again and upload it.")
        )
    if b"/Encrypt" in content[-65536:]:  # the trailer names the encryption dictionary
        raise UploadRejectedError(
            _("The PDF is protected by a password: remove the protection so reviewers can open it.")
        )


@transaction.atomic
def upload_document(
    *,
    filing_id: int,
    requirement_code: str,
    upload: UploadedFile,
    by: Any,
    language: str = "zh-hans",
    signer_count: int | None = None,
    conclusion_text: str = "",
) -> Document:
    """Store a new version of a checklist item, checked by content and hashed."""
    filing = _lock(filing_id)
    _ensure_editable(filing, "documents", by)
    requirement = DocumentRequirement.objects.filter(code=requirement_code, is_active=True).first()
    if requirement is None or not requirement.applies_to(filing.asset_class):
        raise UploadRejectedError(_("This checklist item does not apply to the filing."))
    if upload.size is None or upload.size == 0:
        raise UploadRejectedError(_("The file is empty."))
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise UploadRejectedError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": settings.DOCUMENT_MAX_BYTES // 1048576}
        )
    upload.seek(0)
    content = upload.read()
    mime = sniff_content_type(content[:16], lambda: content)
    if mime is None:
        raise UploadRejectedError(
            _(
                "The file's content is not PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, "
                "whatever its name says."
            )
        )
    if mime == "application/pdf":
        _check_pdf(content)
    digest = hashlib.sha256(content).hexdigest()
    previous = filing.documents.filter(requirement=requirement).order_by("-version").first()
    if previous is not None and previous.sha256 == digest and previous.is_current:
        raise UploadRejectedError(_("This exact file is already the current version."))
    filing.documents.filter(requirement=requirement).update(is_current=False)
    document = Document(
        filing=filing,
        requirement=requirement,
        version=(previous.version + 1 if previous else 1),
        original_name=upload.name[:255] if upload.name else "upload",
        content_type=mime,
        size=len(content),
        sha256=digest,
        language=language,
        signer_count=signer_count,
        conclusion_text=conclusion_text,
        uploaded_by=by,
    )
    document.file.save(digest, ContentFile(content), save=False)
    document.save()
    _clear_ready_for_signature(filing, section="documents", by=by)
    record_event(
        action="document.upload",
        actor=by,
        subject=document,
        filing_id=filing.pk,
        data={
            "requirement": requirement.code,
            "version": document.version,
            "sha256": digest,
            "name": document.original_name,
            "size": document.size,
        },
    )
    return document


def record_download(*, document: Document, by: Any) -> None:
    record_event(
        action="document.download",
        actor=by,
        subject=document,
        filing_id=document.filing_id,
        data={
            "requirement": document.requirement.code,
            "version": document.version,
            "sha256": document.sha256,
        },
    )


def _check_transition(filing: Filing, name: str, by: Any) -> Callable[[], None]:
    """The transition ``name`` if ``by`` may make it: a step to take once the rest is checked, which
    raises TransitionRefusedError if the filing's state or the transition's conditions refuse it."""
    method = getattr(filing, name)
    if not has_transition_perm(method, by):
        raise TransitionRefusedError()

    def step() -> None:
        try:
            method()
        except TransitionNotAllowed as error:
            raise TransitionRefusedError() from error

    return step


def _state_changed(filing: Filing, *, name: str, by: Any, before: str, data: dict[str, Any]) -> None:
    """The saved transition ``name``: logged with where it came from and went, the clock moved,
    the listeners (notifications, inbox) told."""
    record_event(
        action=f"filing.{name}",
        actor=by,
        subject=filing,
        filing_id=filing.pk,
        data={"from": before, "to": filing.state, **data},
    )
    _store_clock(filing)
    hooks.emit("filing.state_changed", filing=filing, data={"from": before, "to": filing.state})


def _freeze_snapshot(filing: Filing, by: Any, extra: dict[str, Any]) -> Snapshot:
    version = (filing.snapshots.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    data = build_filing_data(filing)
    data.update(extra)
    data["snapshot_version"] = version
    return Snapshot.objects.create(
        filing=filing, version=version, data=data, sha256=sha256_of(data), created_by=by
    )


def _snapshot_extras(filing: Filing) -> dict[str, Any]:
    """Pool summary, pre-flight findings and the waivers asked for travel with the snapshot."""
    from .compliance import findings_for_snapshot
    from .waivers import waivers_for_snapshot

    return {"preflight": findings_for_snapshot(filing), "waivers": waivers_for_snapshot(filing)}


@transaction.atomic
def submit_filing(*, filing_id: int, by: Any) -> Filing:
    """Freeze the draft as snapshot 1 and send it to the regulator."""
    return _submit(filing_id=filing_id, by=by, name="submit")


@transaction.atomic
def resubmit_filing(*, filing_id: int, by: Any) -> Filing:
    """Send the answers to a supplement request back, freezing snapshot N+1."""
    return _submit(filing_id=filing_id, by=by, name="resubmit")


def _submit(*, filing_id: int, by: Any, name: str) -> Filing:
    filing = _lock(filing_id)
    step = _check_transition(filing, name, by)
    from .compliance import ensure_no_blocking_findings

    ensure_no_blocking_findings(filing)  # raises BlockingFindingsError listing them
    before = filing.state
    step()
    now = timezone.now()
    if name == "submit":
        filing.submitted_at = now
        filing.receipt_number = f"FD-{timezone.localtime(now).year}-{filing.pk:06d}"
    filing.reopened_sections = []
    filing.save()
    snapshot = _freeze_snapshot(filing, by, _snapshot_extras(filing))
    # The dossier of the new snapshot, once the submission is committed (a worker renders it).
    transaction.on_commit(partial(queue_submission_dossiers, snapshot_id=snapshot.pk, by=by))
    versions = {"snapshot": snapshot.version, "snapshot_sha256": snapshot.sha256}
    _state_changed(filing, name=name, by=by, before=before, data=versions)
    return filing


@transaction.atomic
def transition_filing(
    *,
    filing_id: int,
    name: str,
    by: Any,
    reason: str = "",
    reason_code: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Filing:
    """Any other lifecycle step (accept, not accept, decisions, issuance, withdraw, terminate)."""
    if name in {"submit", "resubmit"}:
        raise ValueError("use submit_filing / resubmit_filing")
    if name in {"pause_review", "resume_review", "suspend", "resume"}:
        raise ValueError("use filings.pauses.pause_clock / end_pause")
    if name == "refile":
        raise ValueError("use filings.refiling.refile_filing")
    filing = _lock(filing_id)
    step = _check_transition(filing, name, by)
    if name in REASONED_TRANSITIONS and reason_code not in ReasonCode.values:
        raise TransitionRefusedError(_("Choose a reason code for this step."))
    before = filing.state
    step()
    now = at or timezone.now()
    if before in PAUSE_STATES:
        from .pauses import close_open_pause

        close_open_pause(filing, by=by, outcome=filing.state, at=now)
    if reason_code:
        filing.reason_code = reason_code
    if name == "decide_file":
        filing.filed_at = now
        filing.notice_number = (data or {}).get(
            "notice_number"
        ) or f"证监备〔{now.astimezone().year}〕{filing.pk:04d}号"
    elif name == "report_issuance":
        filing.issued_at = now
    if reason:
        filing.closed_reason = reason
    filing.save()
    reasons = {"reason": reason, "reason_code": reason_code, **(data or {})}
    _state_changed(filing, name=name, by=by, before=before, data=reasons)
    return filing


def _store_clock(filing: Filing) -> None:
    """The state change just logged moves the clock: write its derived state into the columns."""
    from .deadlines import store_clocks

    store_clocks([filing.pk])


# Endings that must say why (issue: withdrawn, not accepted, rejected and terminated carry codes).
REASONED_TRANSITIONS = {"withdraw", "not_accept", "decide_reject", "terminate"}


def available_transitions(filing: Filing, user: Any) -> list[str]:
    available = filing.get_available_user_state_transitions  # type: ignore[attr-defined]  # made by django-fsm
    return [t.name for t in available(user)]


__all__ = [
    "FilingState",
    "available_transitions",
    "create_filing",
    "record_download",
    "resubmit_filing",
    "sign_attestations",
    "submit_filing",
    "transition_filing",
    "update_section",
    "upload_document",
]


def report_after_filing(**kwargs: Any) -> Any:
    """Kept for callers of the old name; the reports live in filings/reports.py."""
    from .reports import report_after_filing as report

    return report(**kwargs)


def lapse_stale_filings(*, now: datetime | None = None) -> list[str]:
    """Filed without issuance for twelve months (configurable): the filing lapses."""
    from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

    from .deadlines import LAPSE_MONTHS_KEY, setting

    now = now or timezone.now()
    cutoff = now - relativedelta(months=int(setting(LAPSE_MONTHS_KEY, 12)))  # admin-set (deadlines.LIMITS)
    lapsed = []
    for filing_id in Filing.objects.filter(state=FilingState.FILED, filed_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        filing = transition_filing(
            filing_id=filing_id, name="lapse", by=None, reason="12 months without issuance"
        )
        lapsed.append(filing.reference)
    return lapsed


# Dossiers ------------------------------------------------------------------------------------------


@transaction.atomic
def request_dossier(*, snapshot_id: int, language: str, copy: str, by: Any) -> Any:
    """Queue the render of one snapshot's dossier; the same render already under way is reused.

    Anyone who may see the filing may have the issuer copy rendered; the reviewer copy, which
    carries the review history, only regulator staff. The job is sent to a worker once the
    transaction commits.
    """
    from jobs.models import JobStatus

    from .dossier.jobs import enqueue_render
    from .models import DossierCopy, DossierLanguage, DossierRender, DossierStage
    from .models.dossiers import STAGE_PERCENT
    from .selectors import filings_for_user

    if language not in DossierLanguage.values or copy not in DossierCopy.values:
        raise TransitionRefusedError(_("Choose a language and a copy the dossier comes in."))
    # Lock the snapshot row: two people asking at once must not queue the same render twice.
    snapshot = Snapshot.objects.select_for_update().get(pk=snapshot_id)
    if not filings_for_user(by).filter(pk=snapshot.filing_id).exists():
        raise TransitionRefusedError()
    if copy == DossierCopy.REVIEWER and not getattr(by, "is_regulator_staff", False):
        raise TransitionRefusedError(_("Only regulator staff may have the reviewer copy rendered."))
    under_way = DossierRender.objects.filter(
        snapshot=snapshot, language=language, copy=copy, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).first()
    if under_way is not None:
        return under_way
    job = DossierRender.objects.create(
        snapshot=snapshot,
        language=language,
        copy=copy,
        requested_by=by,
        progress={"stage": DossierStage.QUEUED, "percent": STAGE_PERCENT[DossierStage.QUEUED]},
    )
    record_event(
        action="dossier.request",
        actor=by,
        subject=job,
        filing_id=snapshot.filing_id,
        data={"snapshot": snapshot.version, "language": language, "copy": copy},
    )
    enqueue_render(job.pk)  # in this transaction: the job and its outbox message commit together
    return job


def queue_submission_dossiers(*, snapshot_id: int, by: Any) -> None:
    """After a submission commits: the issuer copy of the new snapshot, in both languages."""
    import logging

    from .models import DossierCopy, DossierLanguage

    for language in DossierLanguage.values:
        try:
            request_dossier(snapshot_id=snapshot_id, language=language, copy=DossierCopy.ISSUER, by=by)
        except Exception:  # the submission stands; the dossier can be requested from its tab
            logging.getLogger(__name__).exception("Could not queue the dossier of snapshot %s", snapshot_id)


def record_dossier_download(*, dossier: Any, by: Any) -> None:
    record_event(
        action="dossier.download",
        actor=by,
        subject=dossier,
        filing_id=dossier.snapshot.filing_id,
        data={
            "snapshot": dossier.snapshot.version,
            "language": dossier.language,
            "copy": dossier.copy,
            "sha256": dossier.sha256,
        },
    )


@transaction.atomic
def load_calendar_year(
    *, year: int, holidays: list[date], working_days: list[date], by: Any
) -> tuple[int, int]:
    """Enter a year's State Council holiday notice: its days off and its weekend make-up days.

    The year's earlier overrides are replaced, and the year joins the verified years, so its other
    days count Monday to Friday as confirmed and its due dates stop being provisional.
    """
    from .deadlines import VERIFIED_YEARS_KEY
    from .models import CalendarOverride, RegulatorySetting

    off = {day for day in holidays if day.year == year}
    on = {day for day in working_days if day.year == year} - off
    CalendarOverride.objects.filter(date__year=year).delete()
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=day, is_working_day=False, note=f"{year}") for day in sorted(off)]
        + [CalendarOverride(date=day, is_working_day=True, note=f"{year}") for day in sorted(on)]
    )
    verified, _created = RegulatorySetting.objects.select_for_update().get_or_create(
        key=VERIFIED_YEARS_KEY, defaults={"value": []}
    )
    verified.value = sorted({int(y) for y in verified.value or []} | {year})
    verified.save(update_fields=["value"])
    record_event(
        action="settings.calendar.load_year",
        actor=by,
        data={
            "year": year,
            "holidays": [day.isoformat() for day in sorted(off)],
            "working_days": [day.isoformat() for day in sorted(on)],
        },
    )
    refresh_clocks_after_calendar_change()
    return len(off), len(on)


def set_limit(*, name: str, value: int, by: Any) -> bool:
    """An administrator changes one time limit; the change is audited with the value it replaced.
    Returns whether the stored clocks are being recomputed under the new limit (by a worker, once
    the change commits: thousands of filings are not re-derived in the administrator's request)."""
    from .deadlines import LIMITS, limit_value
    from .models import RegulatorySetting

    if not getattr(by, "is_administrator", False):
        raise TransitionRefusedError(_("Only an administrator may change the time limits."))
    limit = LIMITS.get(name)
    if limit is None:
        raise TransitionRefusedError(_("There is no such time limit."))
    lowest = 0 if name == "nearly_due" else 1
    if not isinstance(value, int) or not lowest <= value <= 250:
        raise TransitionRefusedError(_("Enter a whole number from %(low)d to 250.") % {"low": lowest})
    with transaction.atomic():
        before = limit_value(limit)
        RegulatorySetting.objects.update_or_create(key=limit.key, defaults={"value": value})
        record_event(
            action="settings.limit.change",
            actor=by,
            data={
                "limit": name,
                "key": limit.key,
                "before": before,
                "after": value,
                "assumed": limit.assumed,
            },
        )
        moves = limit.moves_clocks and value != before
    if moves:
        refresh_clocks_after_calendar_change()
    return moves


def refresh_clocks_after_calendar_change() -> None:
    """The working calendar or a clock's limit changed, so every running clock's due date may move:
    once the change commits, a worker re-derives the stored clock columns the queues sort and
    filter on (thousands of filings: not in the administrator's request)."""
    from jobs import runner

    runner.dispatch("filings.tasks.refresh_clocks_task", True)
