"""How pool checks, stability bands and ineligibility reasons read in either language: shared by the
pool page and the dossier (which prints the same wording)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.analytics.eligibility import REASONS, _check, _reason_params
from assets.criteria import DEFAULT_CRITERIA

_STABILITY_LABELS = {
    "revenue_cv": gettext_lazy("Coefficient of variation of monthly cash flow"),
    "min_to_mean": gettext_lazy("Weakest month to the mean"),
    "max_drawdown_t12": gettext_lazy("Largest fall of trailing-12-month revenue"),
    "yoy_growth": gettext_lazy("Last year's revenue growth"),
    "min_coverage_base": gettext_lazy("Minimum coverage of senior debt service"),
    # xgettext:no-python-format
    "min_coverage_stress_20": gettext_lazy("Minimum coverage with revenue 20 % lower"),
    "min_dscr": gettext_lazy("Minimum rolling 12-month DSCR"),
    "ncf_to_debt_service": gettext_lazy("Net cash flow over senior debt service"),
    "oc_ratio": gettext_lazy("Pool balance over senior notes"),
    "collection_ratio_12m": gettext_lazy("12-month collection ratio"),
    "dq90_balance": gettext_lazy("Balance 90+ days past due"),
    "dilution_ratio_12m": gettext_lazy("Dilution ratio"),
}

_MULTIPLES = {"min_coverage_base", "min_coverage_stress_20", "min_dscr", "ncf_to_debt_service", "oc_ratio"}

_BANDS = {
    "green": ("ok", gettext_lazy("green")),
    "amber": ("warn", gettext_lazy("amber")),
    "red": ("bad", gettext_lazy("red")),
}

_STATUS = {
    "pass": ("ok", gettext_lazy("pass")),
    "fail": ("bad", gettext_lazy("fail")),
    "warning": ("warn", gettext_lazy("warning")),
    "disclose": ("warn", gettext_lazy("disclose")),
}

_CHECK_LABELS = {
    "single_obligor_share": gettext_lazy("Largest obligor group"),
    "significant_obligors": gettext_lazy("Significant obligors"),
    "top5_share": gettext_lazy("Five largest obligor groups"),
    "obligor_group_count": gettext_lazy("Unrelated obligor groups"),
    "n_eff": gettext_lazy("Effective number of obligor groups"),
    "single_asset_share": gettext_lazy("Largest single asset"),
    "industry_share": gettext_lazy("Largest industry"),
    "province_share": gettext_lazy("Largest province"),
    "related_party_share": gettext_lazy("Related-party assets"),
    "toll_period": gettext_lazy("Toll period after the legal final maturity"),
    "history_months": gettext_lazy("Months of history"),
    "pledged": gettext_lazy("Pledge"),
    "escrow_frequency": gettext_lazy("Escrow collection"),
    "operating_years": gettext_lazy("Years in operation"),
}


def metric(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name in _MULTIPLES:
        return f"{float(value):.2f}×"
    if name == "revenue_cv":
        return f"{float(value):.4f}"
    return f"{float(value) * 100:.2f}%"


def stability_rows(entries: Any) -> list[dict[str, Any]]:
    rows = []
    for entry in entries or []:
        css, label = _BANDS.get(entry.get("band") or "", ("", _("not computed")))
        rows.append(
            {
                "label": _STABILITY_LABELS.get(entry.get("check"), entry.get("check")),
                "value": metric(entry.get("check"), entry.get("value")),
                "css": css,
                "band": label,
            }
        )
    return rows


def localised_check(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A stored check result with its message rendered again in the reader's language."""
    params = {
        k: v for k, v in entry.items() if k not in {"check", "status", "severity", "value", "message", "band"}
    }
    try:
        message = _check(entry["check"], entry["status"], entry["severity"], entry["value"], **params)[
            "message"
        ]
    except (KeyError, TypeError, ValueError):
        message = entry.get("message", "")
    css, label = _STATUS.get(entry.get("status") or "", ("", entry.get("status")))
    code = str(entry.get("check") or "")
    return {
        "check": code,
        "label": _CHECK_LABELS.get(code, code),
        "css": css,
        "status": label,
        "message": message,
    }


def reason_labels(codes: list[str], criteria: Mapping[str, Any]) -> list[str]:
    rules = criteria.get("asset") or DEFAULT_CRITERIA["asset"]
    return [str(REASONS[code]) % _reason_params(code, rules) if code in REASONS else code for code in codes]
