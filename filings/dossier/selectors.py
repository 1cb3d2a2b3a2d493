"""Which dossier renders a user may see: within the filing's scope, reviewer copies for regulator staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..models import DossierCopy, DossierRender, Filing


def can_see_reviewer_copy(user: Any) -> bool:
    return bool(getattr(user, "is_regulator_staff", False))


def dossiers_for_user(user: Any, filing: Filing) -> QuerySet[DossierRender]:
    """Renders of a filing the caller has already scoped with filings_for_user, newest first."""
    dossiers = DossierRender.objects.filter(snapshot__filing=filing).select_related(
        "snapshot", "requested_by"
    )
    if not can_see_reviewer_copy(user):
        dossiers = dossiers.exclude(copy=DossierCopy.REVIEWER)
    return dossiers.order_by("-snapshot__version", "-created_at", "-pk")
