"""Changes to organisations and users; each one is recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event

from .models import Organisation, User


@transaction.atomic
def save_organisation(*, organisation: Organisation, by: User) -> Organisation:
    created = organisation.pk is None
    organisation.save()
    record_event(
        action="organisation.create" if created else "organisation.update",
        actor=by,
        subject=organisation,
        data={"name_zh": organisation.name_zh, "kind": organisation.kind, "active": organisation.is_active},
    )
    return organisation


@transaction.atomic
def save_user(*, user: User, password: str | None, by: User) -> User:
    """Create or change an account; an issuer or agent organisation keeps its two administrators."""
    from .members import MIN_ORG_ADMINS, MemberChangeError

    created = user.pk is None
    if not created:
        before = User.objects.select_for_update().get(pk=user.pk)
        stays_admin = user.is_active and user.is_org_admin and user.organisation_id == before.organisation_id
        if before.is_active and before.is_org_admin and not stays_admin and before.organisation_id:
            # Lock the organisation's administrators: two changes may remove two of them at once.
            admins = User.objects.select_for_update().filter(
                organisation_id=before.organisation_id, is_active=True, is_org_admin=True
            )
            if len(admins) <= MIN_ORG_ADMINS:
                raise MemberChangeError(
                    _("An organisation keeps at least %(n)s administrators: appoint another one first.")
                    % {"n": MIN_ORG_ADMINS}
                )
    if password:
        user.set_password(password)
    user.save()
    record_event(
        action="user.create" if created else "user.update",
        actor=by,
        subject=user,
        data={
            "username": user.username,
            "role": user.role,
            "organisation_id": user.organisation_id,
            "active": user.is_active,
            "org_admin": user.is_org_admin,
            "password_changed": bool(password),
        },
    )
    return user


def set_user_language(*, user: Any, language: str) -> None:
    """Remember the reader's language choice on their account (the cookie remembers it too)."""
    if getattr(user, "is_authenticated", False) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def unlock_sign_in(*, attempt_id: int, by: User) -> int:
    """Lift a lockout: forget the failures of that account name and of that address."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    attempt = AccessAttempt.objects.get(pk=attempt_id)
    removed = 0
    if attempt.username:
        removed += reset(username=attempt.username)
    if attempt.ip_address:
        removed += reset(ip=attempt.ip_address)
    record_event(
        action="auth.unlocked",
        actor=by,
        data={"username": attempt.username or "", "ip": attempt.ip_address or "", "attempts": removed},
    )
    return removed
