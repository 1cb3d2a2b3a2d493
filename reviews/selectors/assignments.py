"""Assignments and the names a reviewer declares conflicts of interest against."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from filings.models import Filing, Snapshot

from ..models import (
    Assignment,
)


def assignments_for(filing: Filing) -> QuerySet[Assignment]:
    return filing.assignments.select_related("reviewer", "assigned_by").order_by("assigned_at")


def assignable_reviewers(filing: Filing) -> list[User]:
    """Active reviewers and lead reviewers not already on the filing (nor conflicted out of it)."""
    taken = Assignment.objects.filter(filing=filing).filter(Q(active=True) | Q(conflict_declared=True))
    return list(
        User.objects.filter(role__in=[Role.REVIEWER, Role.LEAD_REVIEWER], is_active=True)
        .exclude(pk__in=taken.values("reviewer_id"))
        .order_by("role", "username")
    )


def latest_snapshot(filing: Filing) -> Snapshot | None:
    return filing.snapshots.order_by("-version").first()


PARTY_LABELS = {
    "originator": gettext_lazy("Originator"),
    "servicer": gettext_lazy("Servicer"),
    "backup_servicer": gettext_lazy("Backup servicer"),
    "trustee": gettext_lazy("Trustee"),
    "custodian": gettext_lazy("Custodian"),
    "token_platform": gettext_lazy("Token platform operator"),
    "prc_counsel": gettext_lazy("PRC counsel"),
    "offshore_counsel": gettext_lazy("Offshore counsel"),
    "arranger": gettext_lazy("Arranger"),
    "other": gettext_lazy("Other party"),
}


def coi_parties(filing: Filing) -> list[dict[str, Any]]:
    """The names a reviewer declares ties to: the filing entity and its controllers, the originator
    and every intermediary, as the latest snapshot records them (never the moving draft)."""
    snapshot = latest_snapshot(filing)
    data = snapshot.data if snapshot else {}
    found: list[dict[str, Any]] = []

    def add(kind: str, label: Any, name: Any) -> None:
        name = (name or "").strip() if isinstance(name, str) else ""
        if name and not any(p["name"] == name and p["label"] == label for p in found):
            found.append({"kind": kind, "label": label, "name": name})

    entity = data.get("entity") or {}
    add("entity", gettext_lazy("Filing entity"), entity.get("name_zh"))
    add("entity", gettext_lazy("Filing entity"), entity.get("name_en"))
    add("entity", gettext_lazy("Controlling shareholder"), entity.get("controlling_shareholder"))
    add("entity", gettext_lazy("Actual controller"), entity.get("actual_controller"))
    for party in data.get("parties") or []:
        kind = "originator" if party.get("role") == "originator" else "intermediary"
        add(kind, PARTY_LABELS.get(party.get("role"), PARTY_LABELS["other"]), party.get("name"))
    add("intermediary", gettext_lazy("SPV / issuer"), (data.get("structure") or {}).get("spv_name"))
    add("intermediary", gettext_lazy("Guarantor"), (data.get("structure") or {}).get("guarantor"))
    for venue in data.get("venues") or []:
        add("intermediary", gettext_lazy("Venue"), venue.get("name"))
        add("intermediary", gettext_lazy("Licensed intermediary"), venue.get("intermediary"))
    return found
