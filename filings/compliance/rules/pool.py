"""Reading the asset pool's analytics from ``data["pool"]`` without depending on exactly where they sit.

The pool layer stores its results (assets.analytics: pool_report for receivable and lease pools,
income_right_metrics and income_right_eligibility for toll income) under ``data["pool"]``. The rules look
results up by their own names ("stability" bands, "checks" lists, "overview") anywhere in that dict, so
a regrouping of the stored dict does not silently switch a rule off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from assets.figures import obligor_shares

from ..registry import Finding
from .common import decimal

POOL_CLASSES = ("trade_receivable", "finance_lease", "loan")
_MAX_DEPTH = 4
_LISTS_OF_RESULTS = ("assets",)  # income_right_eligibility: {"assets": [{"asset_id", "checks": […]}]}


def pool_results(data: Mapping[str, Any]) -> Mapping[str, Any]:
    pool = data.get("pool")
    return pool if isinstance(pool, Mapping) else {}


def has_tape(data: Mapping[str, Any]) -> bool:
    return bool(pool_results(data).get("tape"))


def _nodes(node: Any, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    if depth > _MAX_DEPTH or not isinstance(node, Mapping):
        return
    yield node
    for key, value in node.items():
        if key == "tape":
            continue
        if isinstance(value, Mapping):
            yield from _nodes(value, depth + 1)
        elif key in _LISTS_OF_RESULTS and isinstance(value, list):
            for item in value:
                yield from _nodes(item, depth + 1)


def lookup(pool: Mapping[str, Any], key: str) -> Any:
    """The first value stored under ``key``, the pool's top level first."""
    for node in _nodes(pool):
        if key in node and node[key] is not None:
            return node[key]
    return None


def stability_value(pool: Mapping[str, Any], name: str) -> float | None:
    """A §6.6 metric's value from the stored stability bands ([{check, value, band, rule}, …])."""
    for node in _nodes(pool):
        entries = node.get("stability")
        if isinstance(entries, list):
            for entry in entries:
                if (
                    isinstance(entry, Mapping)
                    and entry.get("check") == name
                    and entry.get("value") is not None
                ):
                    return float(entry["value"])
    return None


def checks(pool: Mapping[str, Any], name: str) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Every stored check result called ``name``, with the node holding it (e.g. the toll asset)."""
    found: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for node in _nodes(pool):
        entries = node.get("checks")
        if isinstance(entries, list):
            found.extend((node, e) for e in entries if isinstance(e, Mapping) and e.get("check") == name)
    return found


def check_value(pool: Mapping[str, Any], name: str) -> Any:
    found = checks(pool, name)
    return found[0][1].get("value") if found else None


def transferred_overview(pool: Mapping[str, Any]) -> Mapping[str, Any]:
    """The overview of the pool to be transferred: the eligible assets when known, else every active asset."""
    for key in ("eligible_overview", "overview"):
        value = pool.get(key)
        if isinstance(value, Mapping):
            return value
    value = lookup(pool, "overview")
    return value if isinstance(value, Mapping) else {}


def pool_outstanding(pool: Mapping[str, Any]) -> Decimal | None:
    return decimal(transferred_overview(pool).get("total_outstanding"))


def pool_currency(pool: Mapping[str, Any]) -> str:
    """Tape amounts are in yuan (assets.analytics.common) unless the pool says otherwise."""
    return str(pool.get("currency") or "CNY").upper()


def pool_rule(
    check: Callable[[Mapping[str, Any], dict[str, Any], dict[str, Any]], Iterator[Finding]],
) -> Callable[[dict[str, Any], dict[str, Any]], Iterator[Finding]]:
    """Run ``check(pool, data, profile)`` only when a tape is imported (ASSET-TAPE reports its absence)."""

    def run(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
        if has_tape(data):
            yield from check(pool_results(data), data, profile)

    run.__name__ = run.__qualname__ = check.__name__
    run.__doc__ = check.__doc__
    return run


def significant_obligors(pool: Mapping[str, Any]) -> list[tuple[str, float, str]]:
    """Every obligor group weighed for disclosure with its share and name, largest first:
    ``(group id, share of the pool, name or "")``, on the basis of the pool's headline figures
    (``assets.figures.obligor_shares``: the eligible pool, else the whole tape)."""
    _basis, shares = obligor_shares(pool)
    return [(o.group, o.share, o.name) for o in shares]
