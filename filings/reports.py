"""Reports after the filing notice: the issuance report, material changes and material events.

* A **material change** before issuance (GL1 §二.10: main business or licences, control or
  shareholding, the offering plan; here also the pool and the structure) is reported within 3
  working days of the change (``reports.material_event_working_days``, late ones are flagged); a
  reviewer acknowledges it, and until then the issuance cannot be reported (the FSM condition on
  ``Filing.report_issuance``).
* A material change may make filed materials out of date: acknowledging it, the reviewer may ask for
  updated materials and name the sections (and documents) concerned. Those reopen on the filed filing
  (documents are uploaded as new versions); the issuer signatory sends the update, which freezes a new
  snapshot and closes them again. The issuance cannot be reported while an update is outstanding.
* The **issuance report** (GL3 §一, adapted: date, amount, venue, token details) moves the filing
  from filed to issued; it is due within 3 working days of completion (TM Art. 16(2) by analogy,
  ``reports.issuance_report_working_days``) and is acknowledged by a reviewer too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import has_transition_perm

from audit.services import record_event

from .errors import TransitionRefusedError, UploadRejectedError
from .models import CHANGE_KINDS, Filing, MaterialEvent, ReportStatus
from .services import _check_transition, _lock, _store_clock, sniff_content_type
from .workflow import FilingState

ISSUANCE = "issuance_completion"
MAX_REPORT_BYTES = 20 * 1024 * 1024


def _due_on(kind: str, occurred_on: dt.date) -> dt.date:
    from .deadlines import LIMITS, limit_value, working_calendar

    key = "issuance_report" if kind == ISSUANCE else "material_event"
    return working_calendar().add_working_days(occurred_on, limit_value(LIMITS[key]))


def unacknowledged_changes(filing: Filing) -> QuerySet[MaterialEvent]:
    return filing.material_events.filter(kind__in=CHANGE_KINDS, status=ReportStatus.REPORTED)


def _attach(report: MaterialEvent, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    upload.seek(0)
    content = upload.read()
    if not content:
        raise UploadRejectedError(_("The file is empty."))
    if len(content) > MAX_REPORT_BYTES:
        raise UploadRejectedError(_("The document is larger than 20 MB."))
    if sniff_content_type(content[:16], lambda: content) is None:
        raise UploadRejectedError(
            _(
                "The file's content is not PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, "
                "whatever its name says."
            )
        )
    digest = hashlib.sha256(content).hexdigest()
    report.attachment_name = (upload.name or "document")[:255]
    report.attachment_sha256 = digest
    report.attachment.save(digest, ContentFile(content), save=False)


@transaction.atomic
def report_after_filing(
    *,
    filing_id: int,
    kind: str,
    occurred_on: dt.date,
    description: str,
    by: Any,
    amount_issued: Decimal | None = None,
    venue: str = "",
    token_details: str = "",
    document: UploadedFile | None = None,
) -> MaterialEvent:
    """The issuer signatory reports the completed issuance (filed → issued), a material change or
    a material event, with an optional supporting document."""
    filing = _lock(filing_id)
    if not (getattr(by, "is_signatory", False) and by.organisation_id == filing.organisation_id):
        raise TransitionRefusedError(_("Only the issuer signatory may file post-filing reports."))
    if kind not in dict(MaterialEvent.KIND_CHOICES):
        raise TransitionRefusedError(_("Choose what the report is about."))
    if occurred_on > timezone.localdate():
        raise TransitionRefusedError(_("The date cannot be in the future."))
    before = filing.state
    if kind == ISSUANCE:
        pending = unacknowledged_changes(filing).first()
        if pending is not None:
            raise TransitionRefusedError(
                _(
                    "The material change reported on %(date)s awaits the reviewer's acknowledgement: "
                    "the issuance cannot be reported until then."
                )
                % {"date": timezone.localdate(pending.reported_at).isoformat()}
            )
        if filing.reopened_sections:
            raise TransitionRefusedError(
                _(
                    "Updated materials were asked for after a material change: send them before "
                    "reporting the issuance."
                )
            )
        if amount_issued is None or not venue.strip() or not token_details.strip():
            raise TransitionRefusedError(
                _("The issuance report needs the amount, the venue and the token details.")
            )
        step = _check_transition(filing, "report_issuance", by)
        step()
        filing.issued_at = timezone.now()
        filing.save()
    elif filing.state not in (FilingState.FILED, FilingState.ISSUED):
        raise TransitionRefusedError(_("Material changes and events are reported after the filing notice."))
    report = MaterialEvent(
        filing=filing,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
        amount_issued=amount_issued,
        venue=venue.strip(),
        token_details=token_details.strip(),
        due_on=_due_on(kind, occurred_on),
        reported_by=by,
    )
    _attach(report, document)
    report.save()
    if kind == ISSUANCE:
        record_event(
            action="filing.report_issuance",
            actor=by,
            subject=filing,
            filing_id=filing.pk,
            data={"from": before, "to": filing.state},
        )
        _store_clock(filing)
    record_event(
        action="report.material_event",
        actor=by,
        subject=report,
        filing_id=filing.pk,
        data={
            "kind": kind,
            "occurred_on": occurred_on.isoformat(),
            "due_on": report.due_on.isoformat(),
            "late": report.is_late,
            "amount_issued": str(amount_issued) if amount_issued is not None else None,
            "venue": report.venue,
            "document": report.attachment_sha256,
        },
    )
    return report


# What a material change can make out of date on a filed filing (sections the issuer edits again).
UPDATABLE_SECTIONS = ("entity", "structure", "token", "offering", "documents")


@transaction.atomic
def acknowledge_report(
    *, report_id: int, by: Any, note: str = "", update_sections: Any = ()
) -> MaterialEvent:
    """A reviewer has read the report; a material change then no longer blocks the issuance. If the
    change makes filed materials out of date, the reviewer names the sections to update: they reopen
    for the issuer until the update is sent (``send_update``)."""
    report = MaterialEvent.objects.select_related("filing").get(pk=report_id)
    filing = _lock(report.filing_id)
    report = MaterialEvent.objects.select_for_update().get(pk=report_id)  # two reviewers may click at once
    if not has_transition_perm(report.acknowledge, by):
        raise TransitionRefusedError()
    sections = [s for s in UPDATABLE_SECTIONS if s in set(update_sections or ())]
    if len(sections) != len(set(update_sections or ())):
        raise TransitionRefusedError(_("Choose the sections to update from the list."))
    if sections and not (report.is_change and filing.state == FilingState.FILED):
        raise TransitionRefusedError(
            _("Updated materials can be asked for only for a material change before issuance.")
        )
    report.acknowledge()
    report.acknowledged_by = by
    report.acknowledged_at = timezone.now()
    report.acknowledgement_note = note.strip()
    report.update_sections = sections
    report.save()
    if sections:
        filing.reopened_sections = [
            s for s in UPDATABLE_SECTIONS if s in set(filing.reopened_sections or []) | set(sections)
        ]
        filing.save(update_fields=["reopened_sections"])
    record_event(
        action="report.acknowledge",
        actor=by,
        subject=report,
        filing_id=report.filing_id,
        data={
            "kind": report.kind,
            "note": report.acknowledgement_note,
            "late": report.is_late,
            "reopened_sections": sections,
        },
    )
    return report


@transaction.atomic
def send_update(*, report_id: int, by: Any) -> MaterialEvent:
    """The issuer signatory sends the materials updated after a material change: the filing's current
    data is frozen as a new snapshot (blocking findings refuse it, as at submission) and the reopened
    sections close again."""
    from .compliance import ensure_no_blocking_findings
    from .services import _freeze_snapshot, _snapshot_extras

    report = MaterialEvent.objects.select_related("filing").get(pk=report_id)
    filing = _lock(report.filing_id)
    report = MaterialEvent.objects.select_for_update().get(pk=report_id)
    if not (getattr(by, "is_signatory", False) and by.organisation_id == filing.organisation_id):
        raise TransitionRefusedError(_("Only the issuer signatory may send updated materials."))
    if not report.update_pending or filing.state != FilingState.FILED:
        raise TransitionRefusedError(_("No update of the filed materials is outstanding for this report."))
    ensure_no_blocking_findings(filing)
    snapshot = _freeze_snapshot(filing, by, _snapshot_extras(filing))
    report.update_snapshot = snapshot
    report.save(update_fields=["update_snapshot"])
    still_open = set()
    for other in pending_updates(filing).exclude(pk=report.pk):
        still_open |= set(other.update_sections)
    filing.reopened_sections = [s for s in UPDATABLE_SECTIONS if s in still_open]
    filing.save(update_fields=["reopened_sections"])
    record_event(
        action="report.update_sent",
        actor=by,
        subject=report,
        filing_id=filing.pk,
        data={
            "kind": report.kind,
            "sections": report.update_sections,
            "snapshot": snapshot.version,
            "snapshot_sha256": snapshot.sha256,
        },
    )
    return report


def pending_updates(filing: Filing) -> QuerySet[MaterialEvent]:
    """Reports whose asked-for update has not been sent yet."""
    return filing.material_events.exclude(update_sections=[]).filter(update_snapshot__isnull=True)
