"""One call for a pool's dossier figures: overview, tables, eligibility, limits and stability bands."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from assets.criteria import DEFAULT_CRITERIA, band
from assets.tape.perf import gc_paused

from .common import INACTIVE_STATUSES, ratio, safe_div
from .eligibility import Eligibility, PoolChecks
from .pool import Assets, Overview, PoolData, overview_terms, pool_data
from .strata import Strata


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


class PoolReport:
    """pool_report fed batch by batch: add() each batch of assets (row dicts or columns), then result().

    Every figure is accumulated as the batches come (assets.analytics Overview, Strata, Eligibility,
    PoolChecks), so memory holds one batch and one entry per obligor group, industry, province, bucket
    and reason, plus the first `keep_ineligible` ineligible assets (all of them when None), whatever the
    size of the pool; any batching gives the result pool_report gives for all the assets at once.
    `on_ineligible` receives each batch's ineligible entries ({asset_id, source_row, reasons}).

    The pool's cut-off date is the one given or the first asset's that has one; batches read before it
    is known (assets without a cut-off date) wait for it. Alongside the report it keeps what the stored
    analytics add: the latest maturity of the active and of the eligible assets, the currencies and, for
    each kept ineligible asset, its obligor name and outstanding amount as given.
    """

    def __init__(
        self,
        *,
        asset_class: str,
        criteria: Mapping[str, Any] = DEFAULT_CRITERIA,
        legal_final_maturity: dt.date | None = None,
        senior_notes_amount: Decimal | float | None = None,
        cutoff_date: dt.date | None = None,
        keep_ineligible: int | None = None,
        on_ineligible: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self.asset_class, self.criteria, self.senior_notes_amount = asset_class, criteria, senior_notes_amount
        self.cutoff = cutoff_date
        self.on_ineligible = on_ineligible
        self.eligibility = Eligibility(
            asset_class=asset_class,
            criteria=criteria,
            legal_final_maturity=legal_final_maturity,
            keep=keep_ineligible,
        )
        self.checks = PoolChecks(criteria=criteria)
        self.overview: Overview | None = None
        self.eligible_overview: Overview | None = None
        self.strata: Strata | None = None
        self.latest_maturity: dt.date | None = None
        self.latest_eligible_maturity: dt.date | None = None
        self.currencies: Counter[str] = Counter()
        self.listed: list[tuple[Any, Any]] = []  # (obligor_name, outstanding_amount) of each kept entry
        self._waiting: list[PoolData] = []

    @gc_paused()
    def add(self, assets: Assets) -> list[dict[str, Any]] | None:
        """Feed a batch; returns its ineligible entries, or None while it waits for the cut-off date."""
        batch = pool_data(assets, cutoff_date=self.cutoff, active_only=False)
        if self.overview is None:
            if batch.cutoff is None:
                self._waiting.append(batch)
                return None
            self._start(batch.cutoff)
        return self._feed(batch)

    def _start(self, cutoff: dt.date | None) -> None:
        self.cutoff = cutoff
        self.overview, self.eligible_overview = Overview(cutoff), Overview(cutoff)
        self.strata = Strata(asset_class=self.asset_class, cutoff=cutoff)
        waiting, self._waiting = self._waiting, []
        for batch in waiting:
            batch.cutoff = cutoff
            self._feed(batch)

    def _feed(self, batch: PoolData) -> list[dict[str, Any]]:
        assert self.overview is not None and self.eligible_overview is not None and self.strata is not None
        kept = len(self.eligibility.ineligible)
        ineligible, entries = self.eligibility.add(batch)
        if self.on_ineligible is not None and entries:
            self.on_ineligible(entries)
        cols = batch.cols
        names, amounts, rows = cols["obligor_name"], cols["outstanding_amount"], cols["source_row"]
        if len(self.eligibility.ineligible) > kept:
            position = {row: i for i, row in enumerate(rows)}
            for entry in self.eligibility.ineligible[kept:]:
                i = position[entry["source_row"]]
                self.listed.append((names[i], amounts[i]))
        self.currencies.update(c for c in cols["currency"] if c)
        statuses, balance = cols["account_status"], batch.balance
        active = [i for i, b in enumerate(balance) if b > 0 and statuses[i] not in INACTIVE_STATUSES]
        active_pool = batch.subset(active)
        active_pool.inactive_excluded = len(batch) - len(active)
        eligible = [i for i in active if i not in ineligible] if ineligible else active
        eligible_pool = batch.subset(eligible)
        terms = overview_terms(active_pool, self.cutoff)  # computed once for both overviews
        self.overview.add(active_pool, terms=terms)
        self.strata.add(active_pool)
        keep = [i not in ineligible for i in active] if ineligible else None
        self.eligible_overview.add(eligible_pool, terms=terms, keep=keep)
        self.checks.add(eligible_pool)
        maturity = cols["maturity_date"]
        self.latest_maturity = _latest(self.latest_maturity, (maturity[i] for i in active))
        self.latest_eligible_maturity = _latest(
            self.latest_eligible_maturity, (maturity[i] for i in eligible)
        )
        return entries

    def result(self) -> dict[str, Any]:
        """pool_report's dict."""
        if self.overview is None:
            self._start(self.cutoff)
        assert self.overview is not None and self.eligible_overview is not None and self.strata is not None
        eligible_overview = self.eligible_overview.result()
        return {
            "criteria_version": self.criteria["version"],
            "overview": self.overview.result(),
            "strata": self.strata.result(),
            "eligibility": self.eligibility.result(),
            "eligible_overview": eligible_overview,
            "pool_checks": self.checks.result(),
            "stability": pool_stability_checks(
                eligible_overview, senior_notes_amount=self.senior_notes_amount, criteria=self.criteria
            ),
        }


def _latest(latest: dt.date | None, dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    if not known:
        return latest
    newest = max(known)
    return newest if latest is None or newest > latest else latest


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
    eligible pool). For a pool fed in batches, see PoolReport.
    """
    report = PoolReport(
        asset_class=asset_class,
        criteria=criteria,
        legal_final_maturity=legal_final_maturity,
        senior_notes_amount=senior_notes_amount,
        cutoff_date=cutoff_date,
    )
    report.add(assets)
    return report.result()
