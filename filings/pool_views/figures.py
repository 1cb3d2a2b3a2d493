"""The pool page: its tapes, imports and figures (overview, key figures, checks, eligibility, income),
and recomputing them under the filing's current criteria."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from assets import selectors as pool_selectors
from assets import services as pool_services
from assets.errors import PoolLockedError, TapeImportError
from assets.forms import TapeUploadForm
from assets.models import AssetPool, TapeKind
from assets.tape import (
    kinds_for,
)

from ..dossier import charts
from ..dossier.formatting import amount, compact_amount, day, integer, number, share
from ..dossier.pool import performance_history, pool_section
from ..pool_labels import localised_check, metric, reason_labels, stability_rows
from .common import (
    can_change_pool,
    criteria_of,
    legal_final_maturity,
    pool_url,
    scoped_filing,
    tape_templates,
)


def _coverage(income: Mapping[str, Any], criteria: Mapping[str, Any]) -> dict[str, Any] | None:
    """The coverage of senior debt service per payment date, under base and stressed revenue."""
    table = [row for row in income.get("coverage") or [] if isinstance(row, Mapping)]
    if not table:
        return None
    haircuts = [
        float(h) for h in (criteria.get("income_right") or {}).get("stress_haircuts", [0.1, 0.2, 0.3])
    ]
    keys = [f"{h:.2f}" for h in haircuts]
    rows = [
        {
            "payment_date": day(row.get("payment_date")),
            "ncf_text": amount(row.get("ncf")),
            "debt_service_text": amount(row.get("debt_service")),
            "values": [metric("min_coverage_base", row.get("coverage"))]
            + [metric("min_coverage_base", (row.get("coverage_stressed") or {}).get(k)) for k in keys],
        }
        for row in table
    ]
    minimum = [metric("min_coverage_base", income.get("min_coverage_base"))] + [
        metric("min_coverage_base", (income.get("min_coverage_stressed") or {}).get(k)) for k in keys
    ]
    series = [charts.Series(_("Base"), [_number(row.get("coverage")) for row in table])] + [
        charts.Series(
            _("Revenue −%(cut)s%%") % {"cut": round(h * 100)},
            [_number((row.get("coverage_stressed") or {}).get(k)) for row in table],
            dashed=True,
        )
        for h, k in zip(haircuts, keys, strict=True)
    ]
    chart = charts.line_chart(
        [day(row.get("payment_date")) for row in table], series, y_format=lambda v: f"{v:.1f}×"
    )
    return {
        "headers": [_("Base")] + [_("Revenue −%(cut)s%%") % {"cut": round(h * 100)} for h in haircuts],
        "rows": rows,
        "minimum": minimum,
        "chart": chart,
    }


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _performance(rows: Any) -> dict[str, Any] | None:
    rows = [row for row in rows or [] if isinstance(row, Mapping)]
    if not rows:
        return None
    chart = None
    if len(rows) > 1:
        chart = charts.line_chart(
            [day(row.get("cutoff_date")) for row in rows],
            [
                charts.Series(_("DQ 31+"), [_number(row.get("dq31_balance_share")) for row in rows]),
                charts.Series(_("DQ 61+"), [_number(row.get("dq61_balance_share")) for row in rows]),
                charts.Series(_("DQ 91+"), [_number(row.get("dq91_balance_share")) for row in rows]),
                charts.Series(_("Defaulted"), [_number(row.get("default_balance_share")) for row in rows]),
            ],
            y_format=lambda v: f"{v * 100:.1f}%",
        )
    table = [
        [
            day(row.get("cutoff_date")),
            integer(row.get("asset_count")),
            amount(row.get("total_outstanding")),
            number(row.get("pool_factor"), 4),
            *(
                share(row.get(key))
                for key in (
                    "dq31_balance_share",
                    "dq61_balance_share",
                    "dq91_balance_share",
                    "default_balance_share",
                    "dilution_ratio",
                )
            ),
        ]
        for row in rows
    ]
    return {"rows": table, "chart": chart}


def _short_reason(label: str) -> str:
    """A reason without its parenthesised detail, short enough for a chart's axis."""
    return label.split(" (")[0].split("（")[0].rstrip("。.")[:40]


def _eligibility_chart(eligibility: Mapping[str, Any], criteria: Mapping[str, Any]) -> Any:
    reasons = eligibility.get("reasons") or {}
    if not reasons:
        return None
    codes = sorted(reasons, key=lambda code: -float(reasons[code].get("outstanding") or 0))
    return charts.bar_chart(
        [_short_reason(label) for label in reason_labels(codes, criteria)],
        [float(reasons[code].get("outstanding") or 0) for code in codes],
        value_format=compact_amount,
        show_percent=False,
    )


@login_required
def pool_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = scoped_filing(request, reference)
    pool: AssetPool | None = filing.pool  # type: ignore[assignment]
    kinds = kinds_for(filing.asset_class)
    can_change = can_change_pool(request, filing)
    current = pool_selectors.current_tapes(pool)
    criteria = criteria_of(filing)
    snapshot = pool_selectors.pool_snapshot(pool) if pool is not None else None
    analytics: Mapping[str, Any] = (pool.analytics or {}) if pool is not None else {}
    figures = pool_section(snapshot) if snapshot and snapshot.get("tape") else {"present": False}
    income = analytics.get("income") if isinstance(analytics.get("income"), Mapping) else None
    eligibility = analytics.get("eligibility") if isinstance(analytics.get("eligibility"), Mapping) else None
    exceptions = []
    for row in analytics.get("exceptions") or []:
        exceptions.append(
            {
                **row,
                "labels": reason_labels(row.get("reasons") or [], criteria),
                "outstanding_text": amount(row.get("outstanding_amount")),
            }
        )
    imports = list(pool_selectors.imports_for_pool(pool)[:20]) if pool is not None else []
    legal_final = legal_final_maturity(filing)
    stale = (
        bool(current)
        and pool is not None
        and (
            pool.legal_final_maturity != legal_final
            or pool.criteria_version != str(criteria.get("version", ""))
        )
    )
    mappings = pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class)
    form = TapeUploadForm(kinds=kinds, mappings=mappings, initial={"cutoff_date": filing.cutoff_date})
    context = {
        "filing": filing,
        "pool": pool,
        "can_change": can_change,
        "kinds": [
            {"kind": kind, "label": dict(TapeKind.choices)[kind], "tape": current.get(kind)} for kind in kinds
        ],
        "templates": tape_templates(filing.asset_class),
        "running": [job for job in imports if not job.is_done],
        "finished": [job for job in imports if job.is_done],
        "form": form,
        "mappings": mappings,
        "figures": figures,
        "pool_checks": [localised_check(c) for c in (analytics.get("pool_checks") or {}).get("checks") or []],
        "stability": stability_rows(analytics.get("stability")),
        "income": income,
        "income_stability": stability_rows(income.get("stability")) if income else [],
        "income_checks": [
            {"asset_id": a.get("asset_id"), "checks": [localised_check(c) for c in a.get("checks") or []]}
            for a in ((analytics.get("income_eligibility") or {}).get("assets") or [])
        ],
        "coverage": _coverage(income, criteria) if income else None,
        "performance": _performance(analytics.get("performance")),
        "performance_history": performance_history(analytics.get("performance_history")),
        "eligibility": eligibility,
        "eligibility_amounts": {
            key: amount((eligibility or {}).get(key))
            for key in ("eligible_outstanding", "ineligible_outstanding")
        },
        "eligibility_chart": _eligibility_chart(eligibility, criteria) if eligibility else None,
        "reason_rows": [
            {
                "code": code,
                "label": reason_labels([code], criteria)[0],
                **reason,
                "outstanding_text": amount(reason.get("outstanding")),
            }
            for code, reason in sorted(((eligibility or {}).get("reasons") or {}).items())
        ],
        "exceptions": exceptions[:10],
        "exception_count": (eligibility or {}).get("ineligible_count", 0),
        "stale": stale,
        "legal_final": legal_final,
        "tape_max_mb": settings.TAPE_MAX_BYTES // 1048576,
    }
    return render(request, "assets/pool.html", context)


@login_required
@require_POST
def pool_recompute(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = scoped_filing(request, reference)
    if filing.pool_id is None or not can_change_pool(request, filing):
        messages.error(request, str(PoolLockedError.default_message))
        return redirect(pool_url(filing))
    try:
        pool_services.recompute_pool_analytics(
            pool_id=filing.pool_id,
            by=request.user,
            criteria=criteria_of(filing),
            legal_final_maturity=legal_final_maturity(filing),
        )
    except TapeImportError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(request, _("The pool's figures were recomputed."))
    return redirect(pool_url(filing))
