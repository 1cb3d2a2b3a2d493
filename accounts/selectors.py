"""Role-scoped reads of organisations and users."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Organisation, User


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    if getattr(user, "is_administrator", False):
        return Organisation.objects.all()
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=organisation_id)


def users_for_user(user: Any, *, search: str = "") -> QuerySet[User]:
    if not getattr(user, "is_administrator", False):
        return User.objects.filter(pk=user.pk)
    users = User.objects.select_related("organisation")
    if search:
        users = users.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return users
