"""Role-scoped reads of organisations and users."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Organisation, User


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    if getattr(user, "is_administrator", False):
        # How many administrators each has: an issuer or agent organisation needs two.
        return Organisation.objects.annotate(
            admin_count=Count("users", filter=Q(users__is_active=True, users__is_org_admin=True))
        )
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


def sign_in_failures_for_user(user: Any) -> QuerySet[Any]:
    """Recent failed sign-ins (django-axes rows within the cool-off), for administrators only."""
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    if not getattr(user, "is_administrator", False):
        return AccessAttempt.objects.none()
    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    return AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
