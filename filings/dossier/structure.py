"""The transaction-structure diagram, drawn from the snapshot's parties, accounts and SPV."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from ..models import Account as AccountModel
from ..models import Party as PartyModel
from ..models import Venue
from .charts import Account, Flow, Party, Svg, structure_diagram
from .formatting import choice_label

# Parties that take part in the cash and token flows; counsel and arrangers are listed, not drawn.
DRAWN_ROLES = ("originator", "servicer", "backup_servicer", "trustee", "custodian", "token_platform", "other")
EXTRA_SLOTS = {"backup_servicer": (0, 0), "other": (0, 2)}


def structure_chart(data: Mapping[str, Any]) -> Svg:
    """Parties, the SPV, the accounts inside the party that holds them, and the flows between them."""
    parties: list[Party] = []
    first_of_role: dict[str, str] = {}
    used_slots: set[tuple[int, int]] = set()

    def add(key: str, label: str, detail: str, slot: tuple[int, int] | None = None) -> None:
        if slot in used_slots:
            slot = None
        if slot is not None:
            used_slots.add(slot)
        parties.append(Party(key, label, detail, slot))

    structure = data.get("structure") or {}
    spv_detail = " · ".join(
        part for part in (structure.get("spv_name") or "", structure.get("spv_jurisdiction") or "") if part
    )
    add("spv", _("SPV / token issuer"), spv_detail, (1, 1))
    standard = {"originator": (0, 1), "trustee": (1, 0), "servicer": (2, 0), "custodian": (2, 1)}
    standard |= {"token_platform": (1, 2), **EXTRA_SLOTS}
    for index, row in enumerate(data.get("parties") or []):
        role = row.get("role") or "other"
        if role not in DRAWN_ROLES:
            continue
        key = role if role not in first_of_role else f"{role}-{index}"
        first_of_role.setdefault(role, key)
        slot = standard.get(role) if key == role else None
        add(key, choice_label(PartyModel, "role", role), row.get("name") or "", slot)
    eligibility = sorted({row.get("investor_eligibility") or "" for row in data.get("venues") or []} - {""})
    investor_detail = "; ".join(choice_label(Venue, "investor_eligibility", value) for value in eligibility)
    add("investors", _("Investors"), investor_detail, (2, 2))

    keys = {party.key for party in parties}
    accounts: list[Account] = []
    account_keys: dict[str, list[str]] = {}
    for index, row in enumerate(data.get("accounts") or []):
        role = row.get("role") or "other"
        holder = _account_holder(role, keys)
        label = choice_label(AccountModel, "role", role)
        if row.get("bank"):
            label = f"{label} · {row['bank']}"
        key = f"account-{index}"
        accounts.append(Account(key, label, holder))
        account_keys.setdefault(role, []).append(key)

    def first(*candidates: str) -> str | None:
        for candidate in candidates:
            if candidate in account_keys:
                return account_keys[candidate][0]
            if candidate in keys:
                return candidate
        return None

    owner = {party.key: party.key for party in parties} | {
        account.key: account.holder for account in accounts
    }
    collection = first("collection") or first("servicer", "originator")
    spv_account = first("spv") or "spv"
    # Investors pay into and are paid from the box holding the SPV's account; an arrow to the account
    # itself would run through the other accounts drawn in that box.
    treasury = owner.get(spv_account, "spv")
    wanted: list[tuple[str | None, str | None, str, Any]] = [
        (first("originator"), "spv", _("Asset transfer"), "asset"),
        ("spv", first("originator"), _("Purchase price"), "cash"),
        (collection, spv_account, _("Collections swept"), "cash"),
        (first("trustee"), "spv", _("Holds and administers"), "service"),
        ("spv", first("token_platform"), _("Issuance instruction"), "service"),
        (first("token_platform"), "investors", _("Tokens delivered"), "token"),
        ("investors", treasury, _("Subscriptions"), "cash"),
        (treasury, "investors", _("Principal and yield"), "cash"),
    ]
    flows = [
        Flow(source, target, label, kind)
        for source, target, label, kind in wanted
        # A flow needs two ends in two different boxes; missing parties simply drop their arrows.
        if source and target and owner.get(source) and owner.get(target) and owner[source] != owner[target]
    ]
    legend = {
        "cash": _("Cash flow"),
        "token": _("Token flow"),
        "asset": _("Asset transfer"),
        "service": _("Instruction or service"),
    }
    return structure_diagram(parties, _dedupe(flows), accounts=accounts, legend=legend)


def _account_holder(role: str, parties: set[str]) -> str:
    # Collections land onshore with the servicer; the SPV's own and reserve accounts sit with the
    # custodian (or the SPV itself when no custodian is named).
    if role == "collection":
        for holder in ("servicer", "originator"):
            if holder in parties:
                return holder
    if "custodian" in parties:
        return "custodian"
    return "spv"


def _dedupe(flows: Sequence[Flow]) -> list[Flow]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for flow in flows:
        key = (flow.source, flow.target, flow.label)
        if key not in seen:
            seen.add(key)
            unique.append(flow)
    return unique
