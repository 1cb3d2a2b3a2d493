"""Waivers of warnings: the issuer signatory asks with a justification, a regulator reviewer rules.

A waiver names one finding by its rule code and field anchor. Only warnings can be waived (a blocking
finding must be fixed), only while the issuer may still change the filing, and only while the warning is
actually reported. Every step locks the filing row and is recorded in the audit log in the same
transaction; the waivers are frozen into each snapshot with the findings.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event

from .errors import FilingError
from .models import Filing, Waiver, WaiverStatus
from .workflow import EDITABLE_STATES

MAX_JUSTIFICATION = 4000


class WaiverError(FilingError):
    default_message = _("The waiver could not be recorded.")


def _lock_filing(filing_id: int) -> Filing:
    # Lock the filing row first, always: a submission and a waiver request must not interleave.
    return Filing.objects.select_for_update().get(pk=filing_id)


def _is_filing_signatory(filing: Filing, user: Any) -> bool:
    return bool(
        getattr(user, "is_signatory", False)
        and user.is_active
        and user.organisation_id == filing.organisation_id
    )


def _warning_is_reported(filing: Filing, rule_code: str, field: str) -> None:
    from .compliance import WARNING, run_preflight

    matching = [f for f in run_preflight(filing) if f.code == rule_code and f.field == field]
    if not matching:
        raise WaiverError(_("This finding is not reported for the filing: there is nothing to waive."))
    if any(f.severity != WARNING for f in matching):
        raise WaiverError(_("Blocking findings cannot be waived: fix the filing instead."))


@transaction.atomic
def request_waiver(*, filing_id: int, rule_code: str, field: str, justification: str, by: Any) -> Waiver:
    """The issuer signatory asks the regulator to accept a warning; a refused waiver may be asked again."""
    filing = _lock_filing(filing_id)
    if not _is_filing_signatory(filing, by):
        raise WaiverError(_("Only the issuer signatory of this filing may request a waiver."))
    if filing.state not in EDITABLE_STATES:
        raise WaiverError(_("Waivers can only be requested while the issuer can still change the filing."))
    justification = (justification or "").strip()
    if not justification:
        raise WaiverError(_("Give the justification for the waiver."))
    if len(justification) > MAX_JUSTIFICATION:
        raise WaiverError(
            _("Keep the justification under %(limit)s characters; attach longer reasoning as a document.")
            % {"limit": MAX_JUSTIFICATION}
        )
    _warning_is_reported(filing, rule_code, field)
    waiver = (
        Waiver.objects.select_for_update().filter(filing=filing, rule_code=rule_code, field=field).first()
    )
    if waiver is not None and waiver.status == WaiverStatus.PENDING:
        raise WaiverError(_("A waiver of this finding is already pending."))
    if waiver is not None and waiver.status == WaiverStatus.GRANTED:
        raise WaiverError(_("This finding is already waived."))
    if waiver is None:
        waiver = Waiver(filing=filing, rule_code=rule_code, field=field)
    previous = waiver.status if waiver.pk else None
    waiver.justification = justification
    waiver.requested_by = by
    waiver.requested_at = timezone.now()
    waiver.status = WaiverStatus.PENDING
    waiver.ruled_by = None
    waiver.ruled_at = None
    waiver.ruling_note = ""
    waiver.save()
    record_event(
        action="waiver.request",
        actor=by,
        subject=waiver,
        filing_id=filing.pk,
        data={"rule": rule_code, "field": field, "justification": justification, "previous": previous},
    )
    return waiver


@transaction.atomic
def withdraw_waiver(*, waiver_id: int, by: Any) -> None:
    """The issuer signatory withdraws a pending request; the row goes, the audit log keeps it."""
    filing_id = Waiver.objects.filter(pk=waiver_id).values_list("filing_id", flat=True).first()
    if filing_id is None:
        raise WaiverError(_("This waiver does not exist."))
    filing = _lock_filing(filing_id)
    waiver = Waiver.objects.select_for_update().get(pk=waiver_id)
    if not _is_filing_signatory(filing, by):
        raise WaiverError(_("Only the issuer signatory of this filing may withdraw a waiver request."))
    if waiver.status != WaiverStatus.PENDING or filing.state not in EDITABLE_STATES:
        raise WaiverError(
            _("Only a pending request of a filing the issuer can still change may be withdrawn.")
        )
    data = {"rule": waiver.rule_code, "field": waiver.field, "justification": waiver.justification}
    waiver.delete()
    record_event(action="waiver.withdraw", actor=by, subject=filing, filing_id=filing.pk, data=data)


@transaction.atomic
def rule_on_waiver(*, waiver_id: int, grant: bool, note: str, by: Any) -> Waiver:
    """A reviewer or lead reviewer with the filing in scope grants or refuses a pending waiver."""
    from .selectors import filings_for_user

    if not (getattr(by, "is_reviewer", False) or getattr(by, "is_lead_reviewer", False)) or not by.is_active:
        raise WaiverError(_("Only a reviewer may rule on a waiver."))
    filing_id = Waiver.objects.filter(pk=waiver_id).values_list("filing_id", flat=True).first()
    # A filing outside the reviewer's scope does not exist for them (same answer as a missing waiver).
    if filing_id is None or not filings_for_user(by).filter(pk=filing_id).exists():
        raise WaiverError(_("This waiver does not exist."))
    filing = _lock_filing(filing_id)
    waiver = Waiver.objects.select_for_update().get(pk=waiver_id)
    if waiver.status != WaiverStatus.PENDING:
        raise WaiverError(_("This waiver has already been ruled on."))
    note = (note or "").strip()
    if not grant and not note:
        raise WaiverError(_("Give the reason for refusing the waiver."))
    waiver.status = WaiverStatus.GRANTED if grant else WaiverStatus.REFUSED
    waiver.ruled_by = by
    waiver.ruled_at = timezone.now()
    waiver.ruling_note = note
    waiver.save(update_fields=["status", "ruled_by", "ruled_at", "ruling_note"])
    record_event(
        action="waiver.grant" if grant else "waiver.refuse",
        actor=by,
        subject=waiver,
        filing_id=filing.pk,
        data={"rule": waiver.rule_code, "field": waiver.field, "note": note},
    )
    return waiver


def waivers_for(filing: Filing) -> QuerySet[Waiver]:
    return filing.waivers.select_related("requested_by", "ruled_by").order_by("rule_code", "field")


def waivers_for_snapshot(filing: Filing) -> list[dict[str, Any]]:
    """The waivers as frozen in a snapshot: what was asked, by whom, and the ruling if there is one."""
    return [
        {
            "rule_code": w.rule_code,
            "field": w.field,
            "justification": w.justification,
            "status": w.status,
            "requested_by": w.requested_by.username,
            "requested_at": w.requested_at.isoformat() if w.requested_at else None,
            "ruling": (
                {
                    "by": w.ruled_by.username if w.ruled_by else None,
                    "at": w.ruled_at.isoformat() if w.ruled_at else None,
                    "note": w.ruling_note,
                }
                if w.ruled_by_id
                else None
            ),
        }
        for w in waivers_for(filing)
    ]
