"""The default eligibility and stability criteria profile (abs-data.md §6.5–6.6), as plain versioned data.

A filing stores the profile it was checked against, so a dossier can be re-rendered later with the
thresholds then in force. Code reads every threshold from a profile; none is written into the checks.
Ratios are fractions (0.5 = 50 %); day and month counts are integers.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final, Literal

Band = Literal["green", "amber", "red"]

DEFAULT_CRITERIA: Final[dict[str, Any]] = {
    "version": "2026.1",
    # Integrity rules the importer applies to every tape (errors, not eligibility).
    "tape": {
        "outstanding_tolerance": 0.005,  # outstanding ≤ original × 1.005 (capitalised fees)
        "max_interest_rate": 0.36,
        "min_origination_date": "1990-01-01",
        "default_dpd": 90,  # DPD above this means defaulted (CRR / ESMA usage)
        "history_min_months": 24,  # toll history: hard minimum
        "performance_min_months": 12,  # receivable/lease performance (动态池): hard minimum
        "performance_target_months": 24,  # … and a warning below this
        "max_errors": 1000,
    },
    # Per-asset eligibility (合格标准); each failed rule is a reason code on the asset.
    "asset": {
        "max_days_past_due": 0,
        "excluded_statuses": ["defaulted", "written_off", "repaid", "repurchased"],
        "allowed_risk_classes": ["normal"],
        "exclude_disputed": True,
        "require_transferable": True,
        "exclude_encumbered_unless_released": True,
        "excluded_obligor_types": ["government", "lgfv"],
        "allowed_currencies": ["CNY"],
        "legal_final_buffer_days": 30,
        "min_outstanding": 0,  # strictly greater than
        "outstanding_tolerance": 0.005,
        "lease_min_instalments_paid": 1,
        "lease_require_registration": True,
        "receivable_max_tenor_days": 365,
        "receivable_max_ageing_days": 365,
        "receivable_require_goods_delivered": True,
        "receivable_require_obligor_confirmation": False,
    },
    # Pool-level limits (exchange leasing guide 2018; our suggestions where marked in abs-data.md).
    "pool": {
        "max_single_obligor_share": 0.50,  # block
        "significant_obligor_share": 0.15,  # disclosure of the obligor's financials
        "max_top5_share": 0.70,  # block
        "min_obligor_groups": 10,  # block
        "max_single_asset_share": 0.001,  # warning only (granular auto-lease route)
        "n_eff_amber": 20,
        "n_eff_red": 10,
        "max_industry_share": 0.50,  # warning
        "max_province_share": 0.50,  # warning
        "max_related_party_share": 0.20,  # warning
    },
    # Income rights (收益权).
    "income_right": {
        "min_toll_months_after_legal_final": 12,
        "history_months_target": 36,
        "history_months_min": 24,
        "require_unpledged_or_released": True,
        "escrow_frequencies": ["daily", "weekly", "monthly"],
        "min_originator_operating_years": 2,
        "cv_window_months": 36,
        "stress_haircuts": [0.10, 0.20, 0.30],
        "dscr_window_months": 12,
    },
    # Stability and coverage (§6.6): "lower" = smaller is better (green ≤ green, amber ≤ red, else red);
    # "higher" = larger is better (green ≥ green, amber ≥ red, else red).
    "stability": {
        "revenue_cv": {"direction": "lower", "green": 0.15, "red": 0.30},
        "min_to_mean": {"direction": "higher", "green": 0.70, "red": 0.50},
        "max_drawdown_t12": {"direction": "lower", "green": 0.10, "red": 0.25},
        "yoy_growth": {"direction": "higher", "green": 0.0, "red": -0.10},
        "min_coverage_base": {"direction": "higher", "green": 1.30, "red": 1.20},
        "min_coverage_stress_20": {"direction": "higher", "green": 1.00, "red": 0.90},
        "min_dscr": {"direction": "higher", "green": 1.30, "red": 1.20},
        "ncf_to_debt_service": {"direction": "higher", "green": 1.30, "red": 1.10},
        "oc_ratio": {"direction": "higher", "green": 1.10, "red": 1.05},
        "collection_ratio_12m": {"direction": "higher", "green": 0.98, "red": 0.95},
        "dq90_balance": {"direction": "lower", "green": 0.01, "red": 0.03},
        "dilution_ratio_12m": {"direction": "lower", "green": 0.02, "red": 0.05},
    },
}


def criteria_with(
    overrides: Mapping[str, Any] | None = None, base: Mapping[str, Any] = DEFAULT_CRITERIA
) -> dict[str, Any]:
    """A copy of the profile with sections overridden key by key, e.g. {"asset": {"max_days_past_due": 30}}.

    The version becomes "<base version>+custom" unless the overrides set one, so a stored profile shows
    that it departs from the published default.
    """
    profile = copy.deepcopy(dict(base))
    if not overrides:
        return profile
    for section, values in overrides.items():
        if isinstance(values, Mapping) and isinstance(profile.get(section), dict):
            for key, value in values.items():
                if isinstance(value, Mapping) and isinstance(profile[section].get(key), dict):
                    profile[section][key] = {**profile[section][key], **value}
                else:
                    profile[section][key] = copy.deepcopy(value)
        else:
            profile[section] = copy.deepcopy(values)
    if "version" not in overrides:
        profile["version"] = f"{base['version']}+custom"
    return profile


def band(value: float | None, rule: Mapping[str, Any]) -> Band | None:
    """Green, amber or red for a metric under one stability rule; None when the metric is unavailable."""
    if value is None:
        return None
    green, red = float(rule["green"]), float(rule["red"])
    if rule["direction"] == "lower":
        return "green" if value <= green else "amber" if value <= red else "red"
    return "green" if value >= green else "amber" if value >= red else "red"
