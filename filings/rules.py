"""Who may act on a filing: the issuer's own people, and agents within a live delegation."""

from __future__ import annotations

from typing import Any

import rules

from .models import Delegation, DelegationScope


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_issuer_staff_of(user: Any, filing: Any) -> bool:
    return bool(
        _active(user) and getattr(user, "is_issuer", False) and user.organisation_id == filing.organisation_id
    )


def has_delegation(user: Any, filing: Any, scope: str) -> bool:
    """An agent of an organisation the filing is delegated to, for this scope, today."""
    if not (_active(user) and getattr(user, "is_agent", False)):
        return False
    scopes = Delegation.objects.active().filter(filing_id=filing.pk, agent_id=user.organisation_id)
    return any(scope in delegation.scope for delegation in scopes.only("scope"))


@rules.predicate
def is_preparing_agent(user: Any, filing: Any) -> bool:
    return has_delegation(user, filing, DelegationScope.PREPARE)


@rules.predicate
def is_tape_agent(user: Any, filing: Any) -> bool:
    return has_delegation(user, filing, DelegationScope.TAPES)


@rules.predicate
def is_answering_agent(user: Any, filing: Any) -> bool:
    return has_delegation(user, filing, DelegationScope.DEFICIENCIES)


@rules.predicate
def is_agent(user: Any) -> bool:
    return bool(_active(user) and getattr(user, "is_agent", False))


@rules.predicate
def is_delegating_issuer(user: Any, filing: Any) -> bool:
    """The issuer's signatories and organisation administrators grant and revoke delegations."""
    return bool(is_issuer_staff_of(user, filing) and (user.is_signatory or user.is_org_admin))


can_prepare_filing = is_issuer_staff_of | is_preparing_agent
can_import_tapes = is_issuer_staff_of | is_tape_agent
can_answer_deficiencies = is_issuer_staff_of | is_answering_agent
# The pool screens: whoever sees the filing, except an agent whose delegation leaves tapes out.
can_see_pool = ~is_agent | is_tape_agent

rules.add_perm("filings.prepare_filing", can_prepare_filing)
rules.add_perm("filings.import_tapes", can_import_tapes)
rules.add_perm("filings.answer_deficiencies", can_answer_deficiencies)
rules.add_perm("filings.view_pool", can_see_pool)
rules.add_perm("filings.manage_delegations", is_delegating_issuer)
