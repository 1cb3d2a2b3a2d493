"""Object permissions of the review app for django-rules (autodiscovered)."""

from __future__ import annotations

from typing import Any

import rules

from .permissions import is_active_lead


@rules.predicate
def is_lead(user: Any) -> bool:
    return is_active_lead(user)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_administrator", False) and user.is_active)


rules.add_perm("reviews.assign_reviewers", is_lead)
rules.add_perm("reviews.manage_checklists", is_administrator)
