"""Role predicates for django-rules; object rules of other apps build on these."""

import rules

from .models import Role


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "role", None) == Role.ADMINISTRATOR and user.is_active)


rules.add_perm("accounts.manage_organisations", is_administrator)
rules.add_perm("accounts.manage_users", is_administrator)
rules.add_perm("audit.view_audit_log", is_administrator)
