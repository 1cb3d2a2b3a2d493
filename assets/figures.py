"""The pool's headline figures, each on one stated basis (which assets, and weighted how).

The pool page, the pre-flight rules and the dossier all read the largest obligor share (and the other
figures they share) here, so one pool never shows two different numbers under the same name. The basis
is the eligible pool (the assets to be transferred) by outstanding balance once eligibility has been
evaluated, else every active asset of the tape; each figure says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ELIGIBLE_POOL: Final = "eligible_pool"
WHOLE_TAPE: Final = "whole_tape"

BASES: Final[dict[str, Promise]] = {
    ELIGIBLE_POOL: _("eligible pool"),
    WHOLE_TAPE: _("whole tape (every active asset)"),
}
MEASURES: Final[dict[str, Promise]] = {
    "balance": _("share of outstanding balance"),
    "count": _("by count"),
    "sum": _("sum of outstanding balances"),
    "weighted": _("weighted by outstanding balance"),
}

# key, overview key, label, measure, format
_FIGURES: Final = (
    ("asset_count", "asset_count", _("Number of assets"), "count", "integer"),
    ("total_outstanding", "total_outstanding", _("Outstanding balance (yuan)"), "sum", "amount"),
    ("obligor_group_count", "obligor_group_count", _("Number of obligor groups"), "count", "integer"),
    ("largest_obligor_share", "top1_share", _("Largest obligor group"), "balance", "share"),
    ("top5_share", "top5_share", _("Five largest obligor groups"), "balance", "share"),
    ("top10_share", "top10_share", _("Ten largest obligor groups"), "balance", "share"),
    ("largest_asset_share", "largest_asset_share", _("Largest single asset"), "balance", "share"),
    ("wart_months", "wart_months", _("Weighted average remaining term (months)"), "weighted", "number"),
    ("wac", "wac", _("Weighted average interest rate"), "weighted", "share"),
)


@dataclass(frozen=True)
class PoolFigure:
    key: str
    label: Promise
    value: Any
    basis: str  # ELIGIBLE_POOL or WHOLE_TAPE
    measure: str  # a key of MEASURES
    kind: str  # integer, amount, share or number

    @property
    def text(self) -> str:
        """The value as every screen and the dossier print it (shares with two decimals)."""
        return format_value(self.value, self.kind)

    @property
    def basis_label(self) -> str:
        """ "eligible pool, share of outstanding balance", rendered in the reader's language (lazy)."""
        return _basis_label(self.basis, self.measure)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": str(self.label),
            "value": self.value,
            "text": self.text,
            "basis": self.basis,
            "measure": self.measure,
            "basis_label": str(self.basis_label),
        }


def _render_basis(basis: str, measure: str) -> str:
    return gettext("%(basis)s, %(measure)s") % {"basis": BASES[basis], "measure": MEASURES[measure]}


_basis_label = lazy(_render_basis, str)


def format_value(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if kind == "share":
        return f"{number * 100:,.2f}%"
    if kind == "integer":
        return f"{int(number):,}"
    if kind == "amount":
        return f"{number:,.2f}"
    return f"{number:,.2f}"  # as the overview prints weighted averages


def pool_basis(pool: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """The basis the pool's figures are stated on and the overview holding them: the eligible pool
    when eligibility was evaluated, else the whole tape; an empty overview when there is neither."""
    eligible = pool.get("eligible_overview")
    if isinstance(eligible, Mapping) and eligible:
        return ELIGIBLE_POOL, eligible
    overview = pool.get("overview")
    return WHOLE_TAPE, overview if isinstance(overview, Mapping) else {}


def pool_figures(pool: Mapping[str, Any] | None) -> dict[str, PoolFigure]:
    """The headline figures of a pool (its analytics or its snapshot), on one basis, by key."""
    if not isinstance(pool, Mapping):
        return {}
    basis, overview = pool_basis(pool)
    return {
        key: PoolFigure(key, label, overview[source], basis, measure, kind)
        for key, source, label, measure, kind in _FIGURES
        if source in overview
    }


def largest_obligor_share(pool: Mapping[str, Any] | None) -> PoolFigure | None:
    """The largest obligor group's share of the pool, on the pool's stated basis (None without a tape)."""
    return pool_figures(pool).get("largest_obligor_share")


@dataclass(frozen=True)
class ObligorShare:
    group: str
    share: float  # of the outstanding balance on the stated basis
    name: str  # "" when the tape gave none


def obligor_shares(pool: Mapping[str, Any] | None) -> tuple[Any, list[ObligorShare]]:
    """The obligor groups to weigh for disclosure, largest first, on the same basis as the headline
    figures (``pool_basis``), with that basis's label: the eligible pool's disclosure list (every group
    at or above the profile's threshold) once eligibility was evaluated, else every group of the whole
    tape's obligor-group stratification. Never the one basis's list with the other's shares."""
    if not isinstance(pool, Mapping):
        return _basis_label(WHOLE_TAPE, "balance"), []
    basis, _overview = pool_basis(pool)
    found: list[ObligorShare] = []
    pool_checks = pool.get("pool_checks")
    entries = pool_checks.get("checks") if isinstance(pool_checks, Mapping) else None
    listed = [e for e in entries or [] if isinstance(e, Mapping) and e.get("check") == "significant_obligors"]
    if basis == ELIGIBLE_POOL and listed:
        for obligor in listed[0].get("obligors") or []:
            found.append(
                ObligorShare(
                    str(obligor.get("obligor_group_id") or ""),
                    float(obligor.get("share") or 0),
                    str(obligor.get("name") or ""),
                )
            )
    else:
        basis = WHOLE_TAPE
        strata = pool.get("strata")
        table = strata.get("obligor_groups") if isinstance(strata, Mapping) else None
        for row in (table or {}).get("rows") or []:
            key = str(row.get("key") or "")
            if key and key != "others":
                label = str(row.get("label_zh") or "")
                found.append(
                    ObligorShare(key, float(row.get("amount_share") or 0), "" if label == key else label)
                )
    found.sort(key=lambda o: -o.share)
    return _basis_label(basis, "balance"), found
