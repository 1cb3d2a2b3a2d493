"""Eligibility (合格标准) per asset, pool-level concentration checks and income-right checks (§6.5).

Every threshold comes from the criteria profile. Results carry reason codes (stable, for storage) and
messages rendered in the active language when the function runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assets.criteria import DEFAULT_CRITERIA
from assets.tape.perf import gc_paused
from assets.tape.reference import industry_sections

from .common import money, ratio, safe_div, to_date
from .pool import Assets, PoolData, concentration, note_first_names, obligor_group_balances, pool_data

REASONS: Final[dict[str, Promise]] = {
    "overdue": _("Overdue at the cut-off date (more than %(limit)s days past due)."),
    "excluded_status": _("Account status is %(status)s."),
    "risk_class": _("Five-tier classification is not 正常 (normal)."),
    "disputed": _("The receivable is disputed."),
    "not_transferable": _("The asset may not be transferred."),
    "encumbered": _("The asset is encumbered and not released at transfer."),
    "government_obligor": _("The obligor is a government body or LGFV."),
    "currency": _("The currency is not one of %(allowed)s."),
    "matures_after_legal_final": _("Matures less than %(days)s days before the legal final maturity."),
    "non_positive_balance": _("Outstanding balance is not positive."),
    "outstanding_above_original": _("Outstanding balance exceeds the original amount beyond the tolerance."),
    "instalments_unpaid": _("Fewer than %(limit)s lease instalments have been paid."),
    "unregistered": _("The leased asset is not registered (中登网)."),
    "tenor_too_long": _("Invoice-to-due tenor exceeds %(limit)s days."),
    "ageing_too_long": _("Invoice ageing exceeds %(limit)s days."),
    "goods_not_delivered": _("Goods or services have not been delivered."),
    "not_confirmed": _("The obligor has not confirmed the receivable."),
}

POOL_MESSAGES: Final[dict[str, Promise]] = {
    "single_obligor_share": _("Largest obligor group: %(value).2f%% of the pool (limit %(limit).0f%%)."),
    "significant_obligors": _("%(count)s obligor group(s) at or above %(limit).0f%% must be disclosed."),
    "top5_share": _("Top five obligor groups: %(value).2f%% of the pool (limit %(limit).0f%%)."),
    "obligor_group_count": _("%(value)s unrelated obligor groups (minimum %(limit)s)."),
    "n_eff": _("Effective number of obligor groups: %(value).1f (amber below %(amber)s, red below %(red)s)."),
    "single_asset_share": _("Largest single asset: %(value).3f%% of the pool (guide %(limit).1f%%)."),
    "industry_share": _("Largest industry section: %(value).2f%% of the pool (guide %(limit).0f%%)."),
    "province_share": _("Largest province: %(value).2f%% of the pool (guide %(limit).0f%%)."),
    "related_party_share": _("Related-party assets: %(value).2f%% of the pool (guide %(limit).0f%%)."),
    "toll_period": _(
        "The toll period ends %(value)s months after the legal final maturity (minimum %(limit)s)."
    ),
    "history_months": _("%(value)s months of history (target %(target)s, minimum %(limit)s)."),
    "pledged": _("Toll right pledged without a release at transfer: %(answer)s."),
    "escrow_frequency": _("Revenue is collected to escrow %(value)s (required: %(allowed)s)."),
    "operating_years": _("The asset has operated %(value).1f years (minimum %(limit)s)."),
}


def _failing(
    pool: PoolData, asset_class: str, rules: Mapping[str, Any], legal_final: dt.date | None
) -> dict[str, list[int]]:
    """For each reason code, the positions of the assets that fail the rule (one pass per rule)."""
    c, n = pool.cols, len(pool)
    every = range(n)
    failing: dict[str, list[int]] = {}

    def rule(code: str, positions: list[int]) -> None:
        if positions:
            failing[code] = positions

    limit = rules["max_days_past_due"]
    rule("overdue", [i for i, d in enumerate(c["days_past_due"]) if d is not None and d > limit])
    excluded = set(rules["excluded_statuses"])
    rule("excluded_status", [i for i, s in enumerate(c["account_status"]) if s in excluded])
    allowed = set(rules["allowed_risk_classes"])
    rule("risk_class", [i for i, r in enumerate(c["risk_class_5"]) if r is not None and r not in allowed])
    if rules["exclude_disputed"]:
        rule("disputed", [i for i, d in enumerate(c["disputed"]) if d])
    if rules["require_transferable"]:
        rule("not_transferable", [i for i, t in enumerate(c["transferable"]) if t is False])
    if rules["exclude_encumbered_unless_released"]:
        released = c["release_at_transfer"]
        rule("encumbered", [i for i, e in enumerate(c["encumbered"]) if e and not released[i]])
    government = set(rules["excluded_obligor_types"])
    rule("government_obligor", [i for i, t in enumerate(c["obligor_type"]) if t in government])
    currencies = set(rules["allowed_currencies"])
    rule("currency", [i for i, k in enumerate(c["currency"]) if k is not None and k not in currencies])
    if legal_final is not None:
        latest = legal_final - dt.timedelta(days=int(rules["legal_final_buffer_days"]))
        rule(
            "matures_after_legal_final",
            [i for i, m in enumerate(c["maturity_date"]) if m is not None and m > latest],
        )
    floor = Decimal(str(rules["min_outstanding"]))
    tolerance = 1 + Decimal(str(rules["outstanding_tolerance"]))
    balance, original = pool.balance, pool.original
    rule("non_positive_balance", [i for i, b in enumerate(balance) if b <= floor])
    rule(
        "outstanding_above_original",
        [i for i in every if balance[i] > floor and original[i] and balance[i] > original[i] * tolerance],
    )
    if asset_class == "finance_lease":
        minimum = rules["lease_min_instalments_paid"]
        rule(
            "instalments_unpaid",
            [i for i, p in enumerate(c["instalments_paid"]) if p is not None and p < minimum],
        )
        if rules["lease_require_registration"]:
            rule("unregistered", [i for i, r in enumerate(c["registration_no"]) if not r])
    if asset_class == "trade_receivable":
        invoices, dues, cutoff = c["invoice_date"], c["due_date"], pool.cutoff
        tenor, ageing = rules["receivable_max_tenor_days"], rules["receivable_max_ageing_days"]
        rule(
            "tenor_too_long",
            [
                i
                for i in every
                if invoices[i] is not None and dues[i] is not None and (dues[i] - invoices[i]).days > tenor
            ],
        )
        if cutoff is not None:
            rule(
                "ageing_too_long",
                [i for i, d in enumerate(invoices) if d is not None and (cutoff - d).days > ageing],
            )
        if rules["receivable_require_goods_delivered"]:
            rule("goods_not_delivered", [i for i, g in enumerate(c["goods_delivered"]) if g is False])
        if rules["receivable_require_obligor_confirmation"]:
            rule("not_confirmed", [i for i, o in enumerate(c["obligor_confirmed"]) if o is False])
    return failing


def _reason_params(code: str, rules: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "limit": {
            "overdue": rules["max_days_past_due"],
            "instalments_unpaid": rules["lease_min_instalments_paid"],
            "tenor_too_long": rules["receivable_max_tenor_days"],
            "ageing_too_long": rules["receivable_max_ageing_days"],
        }.get(code),
        "allowed": ", ".join(rules["allowed_currencies"]),
        "days": rules["legal_final_buffer_days"],
        "status": "/".join(rules["excluded_statuses"]),
    }


@gc_paused()
def evaluate_eligibility(
    assets: Assets,
    *,
    asset_class: str,
    criteria: Mapping[str, Any] = DEFAULT_CRITERIA,
    legal_final_maturity: dt.date | None = None,
) -> dict[str, Any]:
    """Check every asset against the profile's asset rules.

    Returns criteria_version, asset_count, eligible_count, eligible_outstanding, ineligible_count,
    ineligible_outstanding, reasons {code: {count, outstanding, message}} and ineligible
    [{asset_id, source_row, reasons: [code, …]}]. Assets are all those given (inactive ones included).
    """
    return eligibility_with_positions(
        pool_data(assets, active_only=False),
        asset_class=asset_class,
        criteria=criteria,
        legal_final_maturity=legal_final_maturity,
    )[0]


class Eligibility:
    """evaluate_eligibility fed batch by batch (each batch a PoolData of every asset, with the pool cut-off).

    The state is a count and a Decimal sum per reason code plus the first `keep` ineligible entries (all
    of them when keep is None); `add` returns the batch's ineligible positions and entries, for the caller
    to write onto the asset rows or to drop.
    """

    def __init__(
        self,
        *,
        asset_class: str,
        criteria: Mapping[str, Any],
        legal_final_maturity: dt.date | None,
        keep: int | None = None,
    ) -> None:
        self.asset_class, self.criteria, self.legal_final = asset_class, criteria, legal_final_maturity
        self.rules = criteria["asset"]
        self.keep = keep
        self.count = self.ineligible_count = 0
        self.total = self.ineligible_amount = Decimal(0)
        self.reason_counts: dict[str, int] = {}
        self.reason_amounts: dict[str, Decimal] = {}
        self.ineligible: list[dict[str, Any]] = []

    def add(self, pool: PoolData) -> tuple[set[int], list[dict[str, Any]]]:
        failing = _failing(pool, self.asset_class, self.rules, self.legal_final)
        reasons_by_asset: dict[int, list[str]] = {}
        for code in REASONS:  # a fixed order, so each asset lists its reasons the same way
            for i in failing.get(code, ()):
                reasons_by_asset.setdefault(i, []).append(code)
        ids, rows, balance = pool.cols["asset_id"], pool.cols["source_row"], pool.balance
        entries = [
            {"asset_id": ids[i], "source_row": rows[i], "reasons": reasons_by_asset[i]}
            for i in sorted(reasons_by_asset)
        ]
        self.count += len(pool)
        self.total = sum(balance, self.total)
        self.ineligible_count += len(entries)
        self.ineligible_amount = sum((balance[i] for i in reasons_by_asset), self.ineligible_amount)
        for code, positions in failing.items():
            self.reason_counts[code] = self.reason_counts.get(code, 0) + len(positions)
            self.reason_amounts[code] = sum(
                (balance[i] for i in positions), self.reason_amounts.get(code, Decimal(0))
            )
        room = len(entries) if self.keep is None else max(self.keep - len(self.ineligible), 0)
        self.ineligible.extend(entries[:room])
        return set(reasons_by_asset), entries

    def result(self) -> dict[str, Any]:
        """evaluate_eligibility's dict; "ineligible" lists the entries kept."""
        rules = self.rules
        return {
            "criteria_version": self.criteria["version"],
            "asset_count": self.count,
            "eligible_count": self.count - self.ineligible_count,
            "eligible_outstanding": money(self.total - self.ineligible_amount),
            "ineligible_count": self.ineligible_count,
            "ineligible_outstanding": money(self.ineligible_amount),
            "reasons": {
                code: {
                    "count": count,
                    "outstanding": money(self.reason_amounts[code]),
                    "message": str(REASONS[code]) % _reason_params(code, rules),
                }
                for code, count in sorted(self.reason_counts.items())
            },
            "ineligible": self.ineligible,
        }


def eligibility_with_positions(
    pool: PoolData, *, asset_class: str, criteria: Mapping[str, Any], legal_final_maturity: dt.date | None
) -> tuple[dict[str, Any], set[int]]:
    """evaluate_eligibility's result and the positions (in pool) of the ineligible assets."""
    eligibility = Eligibility(
        asset_class=asset_class, criteria=criteria, legal_final_maturity=legal_final_maturity
    )
    positions, _entries = eligibility.add(pool)
    return eligibility.result(), positions


def eligible_assets(
    assets: Iterable[Mapping[str, Any]], result: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """The assets that passed, given the result of evaluate_eligibility on the same assets."""
    excluded = {entry["asset_id"] for entry in result["ineligible"]}
    return [asset for asset in assets if asset.get("asset_id") not in excluded]


_PERCENT_CHECKS: Final = frozenset(
    {
        "single_obligor_share",
        "significant_obligors",
        "top5_share",
        "single_asset_share",
        "industry_share",
        "province_share",
        "related_party_share",
    }
)


def _check(code: str, status: str, severity: str, value: Any, **params: Any) -> dict[str, Any]:
    """One check result; shares are stored as fractions and shown in the message as percentages."""
    shown = {
        k: (v * 100 if isinstance(v, float) and k in ("value", "limit") and code in _PERCENT_CHECKS else v)
        for k, v in {"value": value, **params}.items()
    }
    message = str(POOL_MESSAGES[code]) % shown if value is not None else ""
    return {
        "check": code,
        "status": status,
        "severity": severity,
        "value": value,
        **params,
        "message": message,
    }


class PoolChecks:
    """pool_checks fed batch by batch (each batch a PoolData of the pool's eligible, active assets).

    The state is one balance per obligor group, industry section, province and related-party flag (plus
    each group's first name) and the largest asset, whatever the number of assets.
    """

    def __init__(self, *, criteria: Mapping[str, Any] = DEFAULT_CRITERIA) -> None:
        self.criteria = criteria
        self.total = Decimal(0)
        self.groups: dict[str, Decimal] = {}
        self.names: dict[str, str] = {}
        self.largest: float | None = None
        self.sums: dict[str, dict[Any, float]] = {
            "industry_share": {},
            "province_share": {},
            "related_party_share": {},
        }

    def add(self, pool: PoolData) -> None:
        if not len(pool):
            return
        self.total = sum(pool.balance, self.total)
        groups = self.groups
        for key, amount in obligor_group_balances(pool).items():
            groups[key] = groups[key] + amount if key in groups else amount
        note_first_names(self.names, pool)
        weights = [float(b) for b in pool.balance]
        heaviest = max(weights)
        self.largest = heaviest if self.largest is None or heaviest > self.largest else self.largest
        for code, keys in (
            ("industry_share", industry_sections(pool.cols["industry_code"])),
            ("province_share", [c[:2] if c else None for c in pool.cols["region_code"]]),
            ("related_party_share", [True if r else None for r in pool.cols["related_party"]]),
        ):
            sums = self.sums[code]
            for part, w in zip(keys, weights, strict=True):
                if part is not None:
                    sums[part] = sums.get(part, 0.0) + w

    def result(self) -> dict[str, Any]:
        """The checks (see pool_checks)."""
        rules = self.criteria["pool"]
        total = float(self.total)
        groups, names = self.groups, self.names
        conc = concentration(groups.values())
        checks = []
        top1, top5 = conc["top1_share"], conc["top5_share"]
        checks.append(
            _check(
                "single_obligor_share",
                "fail" if top1 and top1 > rules["max_single_obligor_share"] else "pass",
                "block",
                top1,
                limit=rules["max_single_obligor_share"],
            )
        )
        significant = [
            {"obligor_group_id": g, "name": names.get(g), "share": ratio(float(b) / total)}
            for g, b in sorted(groups.items(), key=lambda kv: -kv[1])
            if total and float(b) / total >= rules["significant_obligor_share"]
        ]
        checks.append(
            _check(
                "significant_obligors",
                "disclose" if significant else "pass",
                "disclosure",
                len(significant),
                count=len(significant),
                limit=rules["significant_obligor_share"],
                obligors=significant,
            )
        )
        checks.append(
            _check(
                "top5_share",
                "fail" if top5 and top5 > rules["max_top5_share"] else "pass",
                "block",
                top5,
                limit=rules["max_top5_share"],
            )
        )
        count = len(groups)
        checks.append(
            _check(
                "obligor_group_count",
                "fail" if count < rules["min_obligor_groups"] else "pass",
                "block",
                count,
                limit=rules["min_obligor_groups"],
            )
        )
        n_eff = conc["n_eff"]
        n_band = (
            None
            if n_eff is None
            else "red"
            if n_eff < rules["n_eff_red"]
            else "amber"
            if n_eff < rules["n_eff_amber"]
            else "green"
        )
        n_check = _check(
            "n_eff",
            {"green": "pass", "amber": "warning", "red": "warning", None: "pass"}[n_band],
            "warning",
            n_eff,
            amber=rules["n_eff_amber"],
            red=rules["n_eff_red"],
        )
        checks.append({**n_check, "band": n_band})
        largest = ratio(safe_div(self.largest if self.largest is not None else 0.0, total))
        checks.append(
            _check(
                "single_asset_share",
                "warning" if largest and largest > rules["max_single_asset_share"] else "pass",
                "warning",
                largest,
                limit=rules["max_single_asset_share"],
            )
        )
        for code, limit in (
            ("industry_share", rules["max_industry_share"]),
            ("province_share", rules["max_province_share"]),
            ("related_party_share", rules["max_related_party_share"]),
        ):
            sums = self.sums[code]
            value = ratio(safe_div(max(sums.values(), default=0.0), total)) if total else None
            status = "warning" if value is not None and value > limit else "pass"
            checks.append(_check(code, status, "warning", value if value is not None else 0.0, limit=limit))
        return {
            "criteria_version": self.criteria["version"],
            "blocking": any(c["status"] == "fail" and c["severity"] == "block" for c in checks),
            "checks": checks,
        }


@gc_paused()
def pool_checks(assets: Assets, *, criteria: Mapping[str, Any] = DEFAULT_CRITERIA) -> dict[str, Any]:
    """Concentration limits on a pool (normally the eligible assets), abs-data.md §6.5.

    Each check: {check, status: pass | fail | warning | disclose, severity: block | warning | disclosure,
    value, limit…, message}; `blocking` is True when any block-severity check fails. `significant_obligors`
    lists the groups (id, name, share) at or above the disclosure threshold.
    """
    checks = PoolChecks(criteria=criteria)
    checks.add(pool_data(assets))
    return checks.result()


def income_right_eligibility(
    toll_assets: Iterable[Mapping[str, Any]],
    history: Iterable[Mapping[str, Any]],
    *,
    legal_final_maturity: dt.date,
    criteria: Mapping[str, Any] = DEFAULT_CRITERIA,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Income-right checks per toll asset: toll period vs legal final, history length, pledge, escrow, age.

    as_of defaults to the last day of the last history month. Returns criteria_version, blocking and
    assets [{asset_id, checks: [{check, status, severity, value, …, message}]}].
    """
    rules = criteria["income_right"]
    history = list(history)
    periods_by_asset: dict[str, set[str]] = {}
    for row in history:
        if row.get("period"):
            periods_by_asset.setdefault(row.get("asset_id") or "", set()).add(row["period"])
    every = set().union(*periods_by_asset.values()) if periods_by_asset else set()
    if as_of is None and every:
        last = max(every)
        year, month = int(last[:4]), int(last[5:7])
        as_of = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    results: list[dict[str, Any]] = []
    for asset in toll_assets:
        asset_id = asset.get("asset_id")
        checks = []
        end = to_date(asset.get("toll_period_end"))
        if end is not None:
            months = (end.year - legal_final_maturity.year) * 12 + end.month - legal_final_maturity.month
            limit = rules["min_toll_months_after_legal_final"]
            checks.append(
                _check("toll_period", "fail" if months < limit else "pass", "block", months, limit=limit)
            )
        periods = periods_by_asset.get(asset_id or "", periods_by_asset.get("", every))
        count = len(periods)
        status = (
            "fail"
            if count < rules["history_months_min"]
            else "warning"
            if count < rules["history_months_target"]
            else "pass"
        )
        checks.append(
            _check(
                "history_months",
                status,
                "block",
                count,
                target=rules["history_months_target"],
                limit=rules["history_months_min"],
            )
        )
        if rules["require_unpledged_or_released"]:
            pledged = bool(asset.get("pledged")) and not asset.get("pledge_release_at_transfer")
            checks.append(
                _check(
                    "pledged",
                    "fail" if pledged else "pass",
                    "block",
                    pledged,
                    answer=str(_("yes") if pledged else _("no")),
                )
            )
        frequency = asset.get("escrow_frequency")
        allowed = rules["escrow_frequencies"]
        checks.append(
            _check(
                "escrow_frequency",
                "pass" if frequency in allowed else "warning",
                "warning",
                frequency or "—",
                allowed=", ".join(allowed),
            )
        )
        since = to_date(asset.get("operating_since"))
        if since is not None and as_of is not None:
            years = (as_of - since).days / 365.25
            limit = rules["min_originator_operating_years"]
            checks.append(
                _check(
                    "operating_years",
                    "fail" if years < limit else "pass",
                    "block",
                    round(years, 2),
                    limit=limit,
                )
            )
        results.append({"asset_id": asset_id, "checks": checks})
    return {
        "criteria_version": criteria["version"],
        "blocking": any(
            c["status"] == "fail" and c["severity"] == "block" for a in results for c in a["checks"]
        ),
        "assets": results,
    }
