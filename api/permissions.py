"""Scope checks: a token reaches an endpoint only with the scope it names (and the role behind it)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ApiToken, Scope


class _ScopePermission(BasePermission):
    scope: str = Scope.READ
    or_scopes: tuple[str, ...] = ()  # any one of these does instead
    message = _("This token does not have the scope this request needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or request.user is None:
            return False
        scoped = any(token.has_scope(scope) for scope in (self.scope, *self.or_scopes))
        return scoped and self.role_allows(request.user)

    def role_allows(self, user: Any) -> bool:
        return True


class ReadScope(_ScopePermission):
    scope = Scope.READ


class WriteScope(_ScopePermission):
    scope = Scope.WRITE


class TapesScope(_ScopePermission):
    scope = Scope.TAPES


class AnswerScope(_ScopePermission):
    scope = Scope.ANSWER


class SubmitScope(_ScopePermission):
    """Signing and submitting: the token must carry the scope and its owner must still be a signatory."""

    scope = Scope.SUBMIT
    message = _("Only an issuer signatory's token with the submit scope may do this.")

    def role_allows(self, user: Any) -> bool:
        return bool(getattr(user, "is_signatory", False))


class RenderScope(_ScopePermission):
    """Having a dossier rendered: a token that may write the filing or sign it (which copy the
    person may have rendered is the service's rule, as on the web)."""

    scope = Scope.WRITE
    or_scopes = (Scope.SUBMIT,)
    message = _("Only a token with the write or submit scope may have a dossier rendered.")


class WebhooksScope(_ScopePermission):
    scope = Scope.WEBHOOKS

    def role_allows(self, user: Any) -> bool:
        return bool(getattr(user, "is_issuer", False))


class RegulatorRead(_ScopePermission):
    """The regulator's read-only queue and exports: reviewers and lead reviewers."""

    scope = Scope.READ
    message = _("Only reviewers and lead reviewers may read the review queue.")

    def role_allows(self, user: Any) -> bool:
        return bool(getattr(user, "is_reviewer", False) or getattr(user, "is_lead_reviewer", False))


def scoped(read: type[BasePermission], write: type[BasePermission]) -> type[BasePermission]:
    """Read scope for safe methods, ``write`` for the others (one view serving GET and PUT/POST)."""

    class _Scoped(BasePermission):
        message = write.message  # type: ignore[attr-defined]

        def has_permission(self, request: Request, view: Any) -> bool:
            permission = read() if request.method in ("GET", "HEAD", "OPTIONS") else write()
            self.message = getattr(permission, "message", self.message)
            return permission.has_permission(request, view)

    _Scoped.__name__ = f"Scoped{read.__name__}{write.__name__}"
    return _Scoped
