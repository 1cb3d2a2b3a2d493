"""Creating, checking and revoking API tokens: one function per change, each audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event

from ..models import ApiToken, Scope

DEFAULT_DAYS = 30
MAX_DAYS = 365
TOKEN_MARK = "fdk"


# What each delegation scope (filings.DelegationScope) lets an agent's token do.
AGENT_SCOPES = (("prepare", Scope.WRITE), ("tapes", Scope.TAPES), ("deficiencies", Scope.ANSWER))


class TokenError(Exception):
    """A token request the service refuses; ``user_message`` is translated."""

    def __init__(self, message: Any) -> None:
        self.user_message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the only time the full token exists outside the client


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def scopes_allowed(user: Any) -> list[str]:
    """The scopes a person may give a token: never more than their role allows on the web."""
    if getattr(user, "is_issuer", False):
        allowed = [Scope.READ, Scope.WRITE, Scope.TAPES, Scope.ANSWER, Scope.WEBHOOKS]
        if user.is_signatory:
            allowed.append(Scope.SUBMIT)
        return [str(s) for s in allowed]
    if getattr(user, "is_regulator_staff", False):
        return [str(Scope.READ)]
    if getattr(user, "is_agent", False):
        # An agent's token reads and works on the filings delegated to them, within the scopes the
        # issuers gave; never signing, submitting or webhooks (those stay with the issuer).
        from filings.selectors import delegations_for_agent

        granted = {scope for delegation in delegations_for_agent(user) for scope in delegation.scope}
        allowed = [Scope.READ, *(scope for key, scope in AGENT_SCOPES if key in granted)]
        return [str(s) for s in allowed]
    return []


def _may_pin(owner: Any, filing: Any) -> bool:
    if getattr(owner, "is_issuer", False):
        return bool(filing.organisation_id == owner.organisation_id)
    if getattr(owner, "is_agent", False):
        from filings.selectors import filings_for_user

        return filings_for_user(owner).filter(pk=filing.pk).exists()
    return False


@transaction.atomic
def create_token(
    *, owner: Any, name: str, scopes: list[str], days: int = DEFAULT_DAYS, filing: Any = None, by: Any = None
) -> IssuedToken:
    """A new token for ``owner``; the caller shows ``secret`` once, only its digest is stored."""
    by = by or owner
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(_("A token lasts between 1 and %(max)s days.") % {"max": MAX_DAYS})
    allowed = scopes_allowed(owner)
    chosen = sorted(set(scopes))
    if not chosen:
        raise TokenError(_("Choose at least one scope."))
    refused = [s for s in chosen if s not in allowed]
    if refused:
        raise TokenError(
            _("Your role does not allow these scopes: %(scopes)s.") % {"scopes": ", ".join(refused)}
        )
    if Scope.READ not in chosen:
        chosen = sorted([*chosen, str(Scope.READ)])  # every other scope reads what it changes
    if filing is not None and not _may_pin(owner, filing):
        raise TokenError(_("A token can be pinned only to one of your organisation's filings."))
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        owner=owner,
        name=name[:100],
        prefix=prefix,
        digest=digest_of(secret),
        scopes=chosen,
        filing=filing,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record_event(
        action="api.token.create",
        actor=by,
        subject=token,
        filing_id=filing.pk if filing is not None else None,
        data={
            "name": token.name,
            "prefix": prefix,
            "scopes": chosen,
            "expires_at": token.expires_at.isoformat(),
            "owner": owner.username,
        },
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token_id: int, by: Any) -> ApiToken:
    """The owner or an administrator ends a token at once; revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("owner").get(pk=token_id)
    if not (token.owner_id == by.pk or getattr(by, "is_administrator", False)):
        raise TokenError(_("Only the token's owner or an administrator may revoke it."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            action="api.token.revoke",
            actor=by,
            subject=token,
            data={"name": token.name, "prefix": token.prefix, "owner": token.owner.username},
        )
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The token a bearer secret belongs to (usable or not), found by its digest."""
    if not secret.startswith(f"{TOKEN_MARK}_") or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("owner", "owner__organisation")
        .filter(digest=digest_of(secret))
        .first()
    )


def record_use(*, token: ApiToken, address: str | None) -> None:
    """When and from where the token was last used, shown on the profile page."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address or None)
    token.last_used_at = now
    token.last_used_ip = address or None
