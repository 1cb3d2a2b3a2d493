"""Role predicates for django-rules; object rules of other apps build on these."""

import rules

from .models import Role


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "role", None) == Role.ADMINISTRATOR and user.is_active)


rules.add_perm("accounts.manage_organisations", is_administrator)
rules.add_perm("accounts.manage_users", is_administrator)
rules.add_perm("audit.view_audit_log", is_administrator)


@rules.predicate
def is_org_admin_of(user, organisation) -> bool:
    """An organisation's own administrators manage its people (the regulator's administrators
    manage the regulator's)."""
    if organisation is None or not getattr(user, "is_active", False):
        return False
    if getattr(user, "organisation_id", None) != organisation.pk:
        return False
    return bool(getattr(user, "is_org_admin", False) or getattr(user, "role", None) == Role.ADMINISTRATOR)


@rules.predicate
def is_any_org_admin(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_org_admin", False))


rules.add_perm("accounts.manage_members", is_org_admin_of)
