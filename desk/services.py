"""The preparer's hand-off: a draft marked ready for signature, and its signatories told."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from audit.services import record_event
from filings.compliance import ensure_no_blocking_findings
from filings.errors import TransitionRefusedError
from filings.models import Filing
from filings.rules import is_preparing_agent
from filings.workflow import FilingState
from reviews.notifications import notify

NOTE_MAX = 1000


def can_mark_ready(user: Any, filing: Filing) -> bool:
    """The issuer's preparers (and organisation administrators), or an agent allowed to prepare it."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_issuer and user.organisation_id == filing.organisation_id:
        return bool(user.is_preparer or user.is_org_admin)
    return bool(is_preparing_agent(user, filing))


def issuer_signatories(filing: Filing) -> list[User]:
    return list(
        User.objects.filter(
            organisation_id=filing.organisation_id, role=Role.SIGNATORY, is_active=True
        ).order_by("username")
    )


@transaction.atomic
def mark_ready_for_signature(*, filing_id: int, by: Any, note: str = "") -> Filing:
    """Hand a draft that passes pre-flight to the issuer's signatories: mark it, log it, tell them.

    Marking it again (after an edit cleared the mark) tells them again; marking a filing that is
    already marked changes nothing."""
    # Lock the row: a section saved at the same moment would clear the mark under us.
    filing = Filing.objects.select_for_update().select_related("organisation").get(pk=filing_id)
    if not can_mark_ready(by, filing):
        raise TransitionRefusedError(_("Only the issuer's preparers may hand a filing to its signatories."))
    if filing.state != FilingState.DRAFT:
        raise TransitionRefusedError(_("Only a draft can be marked ready for signature."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise TransitionRefusedError(
            _("The note is %(n)d characters long; at most %(max)d are allowed.")
            % {"n": len(note), "max": NOTE_MAX}
        )
    if filing.ready_for_signature_at is not None:
        return filing
    ensure_no_blocking_findings(filing)  # raises BlockingFindingsError listing them
    now = timezone.now()
    Filing.objects.filter(pk=filing.pk).update(
        ready_for_signature_at=now, ready_for_signature_by=by, ready_for_signature_note=note
    )
    filing.ready_for_signature_at = now
    filing.ready_for_signature_by = by
    filing.ready_for_signature_note = note
    signatories = issuer_signatories(filing)
    record_event(
        action="handoff.ready",
        actor=by,
        subject=filing,
        filing_id=filing.pk,
        data={"note": note, "signatories": [user.username for user in signatories]},
    )
    notify(
        recipients=signatories, event="ready_for_signature", filing=filing, context={"by": by, "note": note}
    )
    return filing
