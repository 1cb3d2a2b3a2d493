"""Granting and revoking delegations of a filing to an agent organisation; each change is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind
from audit.services import record_event

from .errors import TransitionRefusedError
from .models import Delegation, DelegationScope, Filing
from .rules import is_delegating_issuer


@transaction.atomic
def delegate_filing(
    *, filing_id: int, agent_id: int, scope: list[str], ends_on: datetime.date, by: Any
) -> Delegation:
    """Let an agent organisation work on one filing, within ``scope``, until ``ends_on``."""
    filing = Filing.objects.select_for_update().get(pk=filing_id)
    if not is_delegating_issuer(by, filing):
        raise TransitionRefusedError(_("Only the issuer's signatories and administrators delegate a filing."))
    agent = Organisation.objects.get(pk=agent_id, kind=OrganisationKind.AGENT, is_active=True)
    scope = [value for value in DelegationScope.values if value in scope]
    if not scope:
        raise TransitionRefusedError(_("Choose at least one thing the agent may do."))
    if ends_on < timezone.localdate():
        raise TransitionRefusedError(_("The end date is in the past."))
    delegation = Delegation.objects.create(
        filing=filing, agent=agent, scope=scope, ends_on=ends_on, granted_by=by
    )
    record_event(
        action="filing.delegate",
        actor=by,
        subject=delegation,
        filing_id=filing.pk,
        data={"agent_id": agent.pk, "agent": agent.name_zh, "scope": scope, "ends_on": ends_on.isoformat()},
    )
    return delegation


@transaction.atomic
def revoke_delegation(*, delegation_id: int, by: Any) -> Delegation:
    """End a delegation now; the agent loses the filing on their next request."""
    delegation = Delegation.objects.select_for_update().select_related("filing").get(pk=delegation_id)
    if not is_delegating_issuer(by, delegation.filing):
        raise TransitionRefusedError(_("Only the issuer's signatories and administrators delegate a filing."))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.revoked_by = by
        delegation.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            action="filing.delegation_revoke",
            actor=by,
            subject=delegation,
            filing_id=delegation.filing_id,
            data={"agent_id": delegation.agent_id},
        )
    return delegation


@transaction.atomic
def invite_agent_member(*, delegation_id: int, username: str, full_name: str, email: str, by: Any) -> Any:
    """The issuer's organisation administrator brings a named lawyer into the agent organisation a
    filing is delegated to; the lawyer sees the filing once they set a password."""
    from accounts.members import MemberChangeError, create_member

    delegation = Delegation.objects.select_related("filing", "agent").get(pk=delegation_id)
    if not (is_delegating_issuer(by, delegation.filing) and by.is_org_admin):
        raise TransitionRefusedError(
            _("Only the issuer's organisation administrators invite an agent's people.")
        )
    if not delegation.is_active:
        raise TransitionRefusedError(_("This delegation has ended: delegate the filing again first."))
    try:
        return create_member(
            organisation=delegation.agent,
            username=username,
            email=email,
            full_name=full_name,
            role="agent",
            is_org_admin=False,
            by=by,
            filing_id=delegation.filing_id,
            data={"delegation_id": delegation.pk, "invited_by_issuer_of": delegation.filing.organisation_id},
        )
    except MemberChangeError as error:
        raise TransitionRefusedError(str(error)) from error


def delegations_of(filing: Filing) -> Any:
    return filing.delegations.select_related("agent", "granted_by", "revoked_by")


def agent_organisations() -> Any:
    return Organisation.objects.filter(kind=OrganisationKind.AGENT, is_active=True)
