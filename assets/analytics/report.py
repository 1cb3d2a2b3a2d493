"""One call for a pool's dossier figures: overview, tables, eligibility, limits and stability bands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assets.criteria import DEFAULT_CRITERIA, band
from assets.tape.perf import gc_paused

from .common import INACTIVE_STATUSES, ratio, safe_div
from .eligibility import eligibility_with_positions, pool_checks
from .pool import Assets, pool_data, pool_overview
from .strata import stratifications


def pool_stability_checks(
    overview: Mapping[str, Any],
    *,
    senior_notes_amount: Decimal | float | None = None,
    criteria: Mapping[str, Any] = DEFAULT_CRITERIA,
    history: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """§6.6 bands: OC ratio (needs the senior notes amount), DQ90+, dilution and, with history, collections.

    Without a performance history the dilution ratio is Σ dilution_amount / Σ original amount on the tape,
    a stand-in for the 12-month average, and the collection ratio is omitted. With one
    (assets.analytics.performance.performance_summary) the 12-month collection ratio, the latest DQ90+
    share and the 12-month average dilution ratio come from the monthly history.
    """
    rules = criteria["stability"]
    oc = None
    if senior_notes_amount:
        oc = ratio(safe_div(float(overview["total_outstanding"]), float(senior_notes_amount)))
    values = {
        "oc_ratio": oc,
        "dq90_balance": overview["dq91_balance_share"],
        "dilution_ratio_12m": overview["dilution_ratio"],
    }
    checks = [
        {"check": name, "value": value, "band": band(value, rules[name]), "rule": dict(rules[name])}
        for name, value in values.items()
    ]
    return with_history(checks, history, criteria=criteria) if history else checks


def with_history(
    checks: list[dict[str, Any]], history: Mapping[str, Any] | None, *, criteria: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The §6.6 checks with the collection-ratio, DQ90+ and dilution bands taken from the history figures.

    Checks computed from the tape alone are returned unchanged when there is no history; each replaced
    check says its source ("history").
    """
    if not history or not history.get("months"):
        return checks
    rules = criteria["stability"]
    figures = {
        "collection_ratio_12m": history.get("collection_ratio_12m"),
        "dq90_balance": history.get("latest_dq90_share"),
        "dilution_ratio_12m": history.get("dilution_ratio_12m"),
    }
    replaced = [
        {
            "check": name,
            "value": value,
            "band": band(value, rules[name]),
            "rule": dict(rules[name]),
            "source": "history",
        }
        for name, value in figures.items()
        if name in rules
    ]
    kept = [check for check in checks if check["check"] not in figures]
    return [*kept, *replaced]


@gc_paused()
def pool_report(
    assets: Assets,
    *,
    asset_class: str,
    criteria: Mapping[str, Any] = DEFAULT_CRITERIA,
    legal_final_maturity: dt.date | None = None,
    senior_notes_amount: Decimal | float | None = None,
    cutoff_date: dt.date | None = None,
) -> dict[str, Any]:
    """Everything for a receivable, lease or loan pool, reading the assets once.

    Keys: overview and strata (all active assets), eligibility (every asset), eligible_overview and
    pool_checks (the eligible assets — the pool that would be transferred), stability (§6.6 bands on the
    eligible pool).
    """
    everything = pool_data(assets, cutoff_date=cutoff_date, active_only=False)
    eligibility, ineligible = eligibility_with_positions(
        everything, asset_class=asset_class, criteria=criteria, legal_final_maturity=legal_final_maturity
    )
    statuses = everything.cols["account_status"]
    active = [i for i, b in enumerate(everything.balance) if b > 0 and statuses[i] not in INACTIVE_STATUSES]
    active_pool = everything.subset(active)
    active_pool.inactive_excluded = len(everything) - len(active)
    eligible_pool = everything.subset([i for i in active if i not in ineligible])
    eligible_overview = pool_overview(eligible_pool)
    return {
        "criteria_version": criteria["version"],
        "overview": pool_overview(active_pool),
        "strata": stratifications(active_pool, asset_class=asset_class),
        "eligibility": eligibility,
        "eligible_overview": eligible_overview,
        "pool_checks": pool_checks(eligible_pool, criteria=criteria),
        "stability": pool_stability_checks(
            eligible_overview, senior_notes_amount=senior_notes_amount, criteria=criteria
        ),
    }
