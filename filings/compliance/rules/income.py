"""Income rights (toll): pledge, escrow, operating age, toll period, history; §6.6 stability bands.

Values come from the income-right analytics stored in ``data["pool"]``; every limit comes from the
filing's criteria profile. Without an imported tape only ASSET-TAPE speaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from assets.criteria import band

from ..registry import BLOCKING, WARNING, Finding, limit, rule
from .common import add_months, day, find, legal_final_maturity, number, pct, text
from .pool import POOL_CLASSES, checks, lookup, pool_rule, stability_value

LEASING_GUIDE = "SSE/SZSE 融资租赁债权资产支持证券挂牌条件确认指南 (2018)"
ABS_DATA_66 = "ABS rating and review practice (现金流覆盖倍数, stability of income rights)"


def _toll_anchor(node: Mapping[str, Any]) -> str:
    """One anchor per toll asset, so a waiver names the asset it concerns."""
    asset = text(node.get("asset_id"))
    return f"assets.toll.{asset}" if asset else "assets.toll"


@rule(
    "ELIG-PLEDGE",
    severity=BLOCKING,
    section="assets",
    title=_("Toll income rights are unpledged or released at transfer"),
    source="证监会公告〔2014〕49号",
    article="Art. 24: no encumbrance unless released at transfer",
    confirmed=False,
    thresholds=("income_right.require_unpledged_or_released",),
)
@pool_rule
def toll_pledge(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not limit(profile, "income_right.require_unpledged_or_released"):
        return
    for node, entry in checks(pool, "pledged"):
        if entry.get("value") is True:
            yield find(
                _(
                    "Toll asset %(asset)s is pledged and the pledge is not released at transfer: arrange the "
                    "release (and its 中登网 registration) before filing."
                ),
                _toll_anchor(node),
                asset=text(node.get("asset_id")) or "—",
            )


@rule(
    "ELIG-ESCROW",
    severity=WARNING,
    section="assets",
    title=_("Toll revenue is collected into escrow often enough"),
    source="证监会资产证券化监管问答（三）(2019)",
    article="cash flows swept into the plan's account",
    confirmed=False,
    thresholds=("income_right.escrow_frequencies",),
)
@pool_rule
def toll_escrow(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    allowed = list(limit(profile, "income_right.escrow_frequencies"))
    for node, entry in checks(pool, "escrow_frequency"):
        value = text(entry.get("value"))
        if value not in allowed:
            yield find(
                _(
                    "Revenue of toll asset %(asset)s is collected to escrow %(frequency)s; the criteria "
                    "profile expects %(allowed)s."
                ),
                _toll_anchor(node),
                asset=text(node.get("asset_id")) or "—",
                frequency=value if value not in ("", "—") else _("at an unstated frequency"),
                allowed=", ".join(allowed),
            )


@rule(
    "ELIG-OPERATING",
    severity=BLOCKING,
    section="assets",
    title=_("The toll asset has operated long enough"),
    source=LEASING_GUIDE,
    article="originator operating ≥ 2 years (applied to income rights)",
    confirmed=False,
    thresholds=("income_right.min_originator_operating_years",),
)
@pool_rule
def toll_operating(
    pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]
) -> Iterator[Finding]:
    minimum = limit(profile, "income_right.min_originator_operating_years")
    for node, entry in checks(pool, "operating_years"):
        years = number(entry.get("value"))
        if years is not None and years < minimum:
            yield find(
                _("Toll asset %(asset)s has operated %(years)s years; at least %(minimum)s are required."),
                _toll_anchor(node),
                asset=text(node.get("asset_id")) or "—",
                years=f"{years:.1f}",
                minimum=minimum,
            )


# ---------------------------------------------------------------------------------------------
# Income rights: toll period and history
# ---------------------------------------------------------------------------------------------


@rule(
    "TOLL-PERIOD",
    severity=BLOCKING,
    section="assets",
    title=_("The toll period ends well after the legal final maturity"),
    source="收益权 ABS market practice; 《收费公路管理条例》 Art. 14 (toll periods)",
    article="the remaining toll period outlasts the legal final maturity by the profile's buffer",
    confirmed=False,
    thresholds=("income_right.min_toll_months_after_legal_final",),
)
@pool_rule
def toll_period(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if data.get("asset_class") != "toll_income":
        return
    legal_final = legal_final_maturity(data)
    if legal_final is None:
        return  # TRANCHE-PRESENT asks for the tranches
    months = limit(profile, "income_right.min_toll_months_after_legal_final")
    end = day(lookup(pool, "toll_period_end"))
    if end is None:
        # Only the eligibility check's month count is stored (measured against the tranches then known).
        stored = [number(entry.get("value")) for _node, entry in checks(pool, "toll_period")]
        known = [value for value in stored if value is not None]
        if not known:
            yield find(
                _(
                    "The toll period end is not known: give toll_period_end for every toll asset in the "
                    "asset master."
                ),
                "assets.tape",
            )
        elif min(known) < months:
            yield find(
                _(
                    "The toll period ends %(after)s months after the legal final maturity; at least "
                    "%(months)s are required. Shorten the tranches' legal final maturity or document an "
                    "extension of the toll period."
                ),
                "structure.tranches",
                after=int(min(known)),
                months=months,
            )
        return
    required = add_months(legal_final, int(months))
    if end < required:
        yield find(
            _(
                "The toll period ends on %(end)s, but it must run at least %(months)s months past the legal "
                "final maturity (%(legal_final)s), i.e. to %(required)s. Shorten the tranches' legal final "
                "maturity or document an extension of the toll period."
            ),
            "structure.tranches",
            end=end.isoformat(),
            months=months,
            legal_final=legal_final.isoformat(),
            required=required.isoformat(),
        )


@rule(
    "HIST-LENGTH",
    severity=BLOCKING,
    section="assets",
    title=_("Enough monthly history of the income right"),
    source="收益权 ABS market practice",
    article="monthly revenue history: the profile's target (36 months) and hard minimum (24)",
    confirmed=False,
    thresholds=("income_right.history_months_target", "income_right.history_months_min"),
)
@pool_rule
def history_length(
    pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]
) -> Iterator[Finding]:
    if data.get("asset_class") != "toll_income":
        return
    counts = [number(entry.get("value")) for _node, entry in checks(pool, "history_months")]
    if not any(c is not None for c in counts):
        revenue = lookup(pool, "revenue")
        counts = [number(revenue.get("months"))] if isinstance(revenue, Mapping) else []
    known = [c for c in counts if c is not None]
    target = limit(profile, "income_right.history_months_target")
    minimum = limit(profile, "income_right.history_months_min")
    months = int(min(known)) if known else 0
    if months < minimum:
        yield find(
            _(
                "Only %(months)s months of revenue history are imported; at least %(minimum)s are required "
                "(%(target)s expected)."
            ),
            "assets.history",
            months=months,
            minimum=minimum,
            target=target,
        )
    elif months < target:
        yield find(
            _(
                "%(months)s months of revenue history are imported; %(target)s are expected. Import the "
                "longer history or explain why it is not available."
            ),
            "assets.history",
            severity=WARNING,
            months=months,
            target=target,
        )


# ---------------------------------------------------------------------------------------------
# Stability and coverage bands (§6.6)
# ---------------------------------------------------------------------------------------------

# code, metric, title, whether red blocks (ability to pay) or only warns (shape of the cash flow), classes
STABILITY: list[tuple[str, str, Any, bool, tuple[str, ...]]] = [
    (
        "STAB-CV",
        "revenue_cv",
        _("Monthly cash flow is stable (coefficient of variation)"),
        False,
        ("toll_income",),
    ),
    (
        "STAB-MIN-MEAN",
        "min_to_mean",
        _("The weakest month is not far below the average"),
        False,
        ("toll_income",),
    ),
    (
        "STAB-DRAWDOWN",
        "max_drawdown_t12",
        _("Trailing-12-month revenue has not fallen sharply"),
        False,
        ("toll_income",),
    ),
    ("STAB-YOY", "yoy_growth", _("Revenue is not shrinking year on year"), False, ("toll_income",)),
    (
        "STAB-COVERAGE",
        "min_coverage_base",
        _("Cash flow covers senior debt service in every period"),
        True,
        ("toll_income",),
    ),
    (
        "STAB-STRESS",
        "min_coverage_stress_20",
        _("Coverage holds when revenue falls by a fifth"),
        True,
        ("toll_income",),
    ),
    (
        "STAB-DSCR",
        "min_dscr",
        _("Rolling 12-month debt-service coverage is adequate"),
        True,
        ("toll_income",),
    ),
    (
        "STAB-NCF-DS",
        "ncf_to_debt_service",
        _("Total net cash flow covers total senior debt service"),
        True,
        ("toll_income",),
    ),
    ("STAB-OC", "oc_ratio", _("The pool over-collateralises the senior notes"), True, POOL_CLASSES),
    ("STAB-COLLECTION", "collection_ratio_12m", _("Historical collections are high"), False, POOL_CLASSES),
    ("STAB-DQ90", "dq90_balance", _("Few assets are 90+ days delinquent"), False, POOL_CLASSES),
    (
        "STAB-DILUTION",
        "dilution_ratio_12m",
        _("Dilution (credit notes, returns) is low"),
        False,
        ("trade_receivable",),
    ),
]
_REQUIRED_FOR_TOLL = {"min_coverage_base"}


def _stability_rule(
    code: str, metric: str, hard: bool, classes: tuple[str, ...]
) -> Callable[..., Iterator[Finding]]:
    @pool_rule
    def check(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
        if data.get("asset_class") not in classes:
            return
        value = stability_value(pool, metric)
        if value is None:
            if metric in _REQUIRED_FOR_TOLL and data.get("asset_class") == "toll_income":
                yield find(
                    _(
                        "Coverage of senior debt service cannot be computed: import the cash-flow forecast "
                        "and the senior debt-service schedule."
                    ),
                    "assets.forecast",
                )
            return
        rule_ = limit(profile, f"stability.{metric}")
        colour = band(value, rule_)
        if colour is None or colour == "green":
            return
        severity = BLOCKING if hard and colour == "red" else WARNING
        comparison = _("at most") if rule_.get("direction") == "lower" else _("at least")
        yield find(
            _(
                "%(metric)s is %(value)s (%(band)s): %(comparison)s %(green)s is expected and beyond %(red)s "
                "is red. Explain the cause and how the structure absorbs it, or strengthen the structure."
            ),
            "assets.stability",
            severity=severity,
            metric=_METRIC_LABELS[metric],
            value=_fmt(metric, value),
            band=_BAND_LABELS[colour],
            comparison=comparison,
            green=_fmt(metric, rule_.get("green")),
            red=_fmt(metric, rule_.get("red")),
        )

    return check


_BAND_LABELS = {"amber": _("amber"), "red": _("red")}
_METRIC_LABELS = {
    "revenue_cv": _("The coefficient of variation of monthly cash flow"),
    "min_to_mean": _("The weakest month relative to the mean"),
    "max_drawdown_t12": _("The largest fall of trailing-12-month revenue"),
    "yoy_growth": _("Last year's revenue growth"),
    "min_coverage_base": _("The minimum coverage of senior debt service"),
    "min_coverage_stress_20": _("The minimum coverage when revenue falls by a fifth"),
    "min_dscr": _("The minimum rolling 12-month DSCR"),
    "ncf_to_debt_service": _("Total net cash flow over total senior debt service"),
    "oc_ratio": _("The pool balance over the senior notes"),
    "collection_ratio_12m": _("The 12-month collection ratio"),
    "dq90_balance": _("The 90+ days delinquent share of the balance"),
    "dilution_ratio_12m": _("The dilution ratio"),
}
_MULTIPLES = {"min_coverage_base", "min_coverage_stress_20", "min_dscr", "ncf_to_debt_service", "oc_ratio"}


def _fmt(metric: str, value: Any) -> str:
    found = number(value)
    if found is None:
        return "—"
    if metric in _MULTIPLES:
        return f"{found:.2f}x"
    return f"{found:.2f}" if metric == "revenue_cv" else pct(found)


for _code, _metric, _title, _hard, _classes in STABILITY:
    rule(
        _code,
        severity=BLOCKING if _hard else WARNING,
        section="assets",
        title=_title,
        source=ABS_DATA_66,
        article=f"{_metric}: green / amber / red bands of the criteria profile",
        confirmed=False,
        thresholds=(f"stability.{_metric}",),
    )(_stability_rule(_code, _metric, _hard, _classes))
