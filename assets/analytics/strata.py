"""Stratification tables (分布表): count, count %, amount and amount % per bucket, abs-data.md §2.2 B / §6.4.

Every table is {"rows": [{key, label_zh, label_en, count, count_share, amount, amount_share}, …],
"total": {count, amount}}; amounts are outstanding balances.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from assets.tape.fields import (
    LEASE_TYPES,
    LEASED_ASSET_TYPES,
    OBLIGOR_TYPES,
    RISK_CLASSES,
)
from assets.tape.perf import gc_paused
from assets.tape.reference import INDUSTRY_SECTIONS, PROVINCES, industry_sections

from .common import Bucket, ShareTable, bucket_keys, months_up_all
from .pool import Assets, PoolData, note_first_names, obligor_group_balances, pool_data

TOP_OBLIGOR_GROUPS: Final = 10

TERM_MONTHS: Final = (
    Bucket("0-6m", "6个月以内(含)", "up to 6 months", None, 6),
    Bucket("6-12m", "6-12个月(含)", "6-12 months", 6, 12),
    Bucket("12-24m", "1-2年(含)", "1-2 years", 12, 24),
    Bucket("24-36m", "2-3年(含)", "2-3 years", 24, 36),
    Bucket("36-60m", "3-5年(含)", "3-5 years", 36, 60),
    Bucket("60m+", "5年以上", "over 5 years", 60, None),
)
TERM_DAYS: Final = (
    Bucket("0-90d", "90天以内(含)", "up to 90 days", None, 90),
    Bucket("91-180d", "91-180天", "91-180 days", 90, 180),
    Bucket("181-365d", "181-365天", "181-365 days", 180, 365),
    Bucket("365d+", "365天以上", "over 365 days", 365, None),
)
BALANCE: Final = (
    Bucket("0-1m", "100万元以下(含)", "up to CNY 1m", None, 1e6),
    Bucket("1-5m", "100-500万元(含)", "CNY 1-5m", 1e6, 5e6),
    Bucket("5-10m", "500-1000万元(含)", "CNY 5-10m", 5e6, 1e7),
    Bucket("10-50m", "1000-5000万元(含)", "CNY 10-50m", 1e7, 5e7),
    Bucket("50m+", "5000万元以上", "over CNY 50m", 5e7, None),
)
RATE: Final = (
    Bucket("0-4%", "4%以下(含)", "up to 4%", None, 0.04),
    Bucket("4-6%", "4%-6%(含)", "4-6%", 0.04, 0.06),
    Bucket("6-8%", "6%-8%(含)", "6-8%", 0.06, 0.08),
    Bucket("8-10%", "8%-10%(含)", "8-10%", 0.08, 0.10),
    Bucket("10-15%", "10%-15%(含)", "10-15%", 0.10, 0.15),
    Bucket("15%+", "15%以上", "over 15%", 0.15, None),
)
SEASONING: Final = (
    Bucket("0-3m", "3个月以内(含)", "up to 3 months", None, 3),
    Bucket("3-6m", "3-6个月(含)", "3-6 months", 3, 6),
    Bucket("6-12m", "6-12个月(含)", "6-12 months", 6, 12),
    Bucket("12-24m", "1-2年(含)", "1-2 years", 12, 24),
    Bucket("24-36m", "2-3年(含)", "2-3 years", 24, 36),
    Bucket("36m+", "3年以上", "over 3 years", 36, None),
)
DPD: Final = (
    Bucket("M0", "M0 未逾期", "M0 current", None, 0),
    Bucket("M1", "M1 逾期1-30天", "M1 1-30 days", 0, 30),
    Bucket("M2", "M2 逾期31-60天", "M2 31-60 days", 30, 60),
    Bucket("M3", "M3 逾期61-90天", "M3 61-90 days", 60, 90),
    Bucket("M3+", "M3+ 逾期90天以上", "M3+ over 90 days", 90, None),
)
AGEING: Final = (
    Bucket("0-30d", "30天以内(含)", "up to 30 days", None, 30),
    Bucket("31-60d", "31-60天", "31-60 days", 30, 60),
    Bucket("61-90d", "61-90天", "61-90 days", 60, 90),
    Bucket("91-180d", "91-180天", "91-180 days", 90, 180),
    Bucket("181-365d", "181-365天", "181-365 days", 180, 365),
    Bucket("365d+", "365天以上", "over 365 days", 365, None),
)
PAYMENT_TERMS: Final = (
    Bucket("0-30d", "30天以内(含)", "up to 30 days", None, 30),
    Bucket("31-60d", "31-60天", "31-60 days", 30, 60),
    Bucket("61-90d", "61-90天", "61-90 days", 60, 90),
    Bucket("91-180d", "91-180天", "91-180 days", 90, 180),
    Bucket("180d+", "180天以上", "over 180 days", 180, None),
)
_EN_RISK: Final = {
    "normal": "normal",
    "special_mention": "special mention",
    "substandard": "substandard",
    "doubtful": "doubtful",
    "loss": "loss",
}


def _bucket_table(table: ShareTable, buckets: Sequence[Bucket]) -> dict[str, Any]:
    return table.table(labels={b.key: (b.zh, b.en) for b in buckets}, order=[b.key for b in buckets])


def _choice_labels(
    choices: Mapping[str, tuple[str, ...]], english: Mapping[str, str] | None = None
) -> dict[str, tuple[str, str]]:
    return {
        value: (labels[0], (english or {}).get(value, value.replace("_", " ")))
        for value, labels in choices.items()
    }


class Strata:
    """stratifications fed batch by batch (each batch a PoolData of active assets with the pool's cut-off).

    The state is one count and one Decimal sum per bucket, industry, province and obligor group (plus
    each group's first name), whatever the number of assets; the top ten groups are ranked at the end.
    """

    def __init__(self, *, asset_class: str | None, cutoff: dt.date | None) -> None:
        self.asset_class, self.cutoff = asset_class, cutoff
        self.receivable = asset_class == "trade_receivable"
        self.leases = asset_class in ("finance_lease", None)
        self.invoices = self.receivable or asset_class is None
        self.any_lease = self.any_invoice = False
        self.groups = ShareTable()
        self.names: dict[str, str] = {}
        names = ["industry", "province", "remaining_term", "balance", "interest_rate", "seasoning", "dpd"]
        names += [
            "risk_class_5",
            "obligor_type",
            "lease_type",
            "leased_asset_type",
            "ageing",
            "payment_terms",
        ]
        self.tables = {name: ShareTable() for name in names}

    def add(self, pool: PoolData) -> None:
        cols, amounts, cutoff, tables = pool.cols, pool.balance, self.cutoff, self.tables
        if not amounts:
            return
        balances = obligor_group_balances(pool)  # shared with the overview of the same batch
        self.groups.merge(Counter(pool.group), {group: (amount,) for group, amount in balances.items()})
        note_first_names(self.names, pool)
        tables["industry"].add(industry_sections(cols["industry_code"]), amounts)
        tables["province"].add([c[:2] if c else None for c in cols["region_code"]], amounts)

        receivable = self.receivable
        remaining: list[int | None]
        seasoning: list[int | None]
        if cutoff is None:
            remaining = seasoning = [None] * len(amounts)
        else:
            days = pool.days_left(cutoff)
            if receivable:
                remaining = [None if d is None else (d if d > 0 else 0) for d in days]
            else:
                remaining = months_up_all(days)
            seasoning = months_up_all(pool.days_aged(cutoff))
        term = TERM_DAYS if receivable else TERM_MONTHS
        tables["remaining_term"].add(bucket_keys(remaining, term), amounts)
        tables["balance"].add(bucket_keys([float(b) for b in amounts], BALANCE), amounts)
        rates = [None if r is None else float(r) for r in cols["interest_rate"]]
        tables["interest_rate"].add(bucket_keys(rates, RATE), amounts)
        tables["seasoning"].add(bucket_keys(seasoning, SEASONING), amounts)
        tables["dpd"].add(bucket_keys(cols["days_past_due"], DPD), amounts)
        tables["risk_class_5"].add(cols["risk_class_5"], amounts)
        tables["obligor_type"].add(cols["obligor_type"], amounts)
        if self.leases:
            self.any_lease = self.any_lease or any(cols["lease_type"])
            tables["lease_type"].add(cols["lease_type"], amounts)
            tables["leased_asset_type"].add(cols["leased_asset_type"], amounts)
        if self.invoices:
            self.any_invoice = self.any_invoice or any(cols["invoice_date"])
            ageing = [
                None if (d is None or cutoff is None) else (cutoff - d).days for d in cols["invoice_date"]
            ]
            tables["ageing"].add(bucket_keys(ageing, AGEING), amounts)
            terms = [
                t if t is not None else (None if (i is None or d is None) else (d - i).days)
                for t, i, d in zip(
                    cols["payment_terms_days"], cols["invoice_date"], cols["due_date"], strict=True
                )
            ]
            tables["payment_terms"].add(bucket_keys(terms, PAYMENT_TERMS), amounts)

    def _obligor_groups(self) -> dict[str, Any]:
        counts, sums, names = self.groups.counts, self.groups.sums, self.names
        top = sorted(sums, key=lambda g: (-sums[g], g))[:TOP_OBLIGOR_GROUPS]
        ranked = ShareTable()
        ranked.counts = {g: counts[g] for g in top}
        ranked.sums = {g: sums[g] for g in top}
        if len(sums) > len(top):
            top_set = set(top)
            rest = [g for g in sums if g not in top_set]
            ranked.counts["others"] = sum(counts[g] for g in rest)
            ranked.sums["others"] = sum((sums[g] for g in rest), Decimal(0))
        labels = {g: (names.get(g, g), names.get(g, g)) for g in top} | {"others": ("其他", "others")}
        return ranked.table(labels=labels, order=[*top, "others"] if len(sums) > len(top) else top)

    def result(self) -> dict[str, Any]:
        """The tables (see stratifications)."""
        tables, asset_class = self.tables, self.asset_class
        result: dict[str, Any] = {
            "obligor_groups": self._obligor_groups(),
            "industry": tables["industry"].table(
                labels={k: (v[2], v[3]) for k, v in INDUSTRY_SECTIONS.items()}
            ),
            "province": tables["province"].table(labels=PROVINCES),
            "remaining_term": _bucket_table(
                tables["remaining_term"], TERM_DAYS if self.receivable else TERM_MONTHS
            ),
            "balance": _bucket_table(tables["balance"], BALANCE),
            "interest_rate": _bucket_table(tables["interest_rate"], RATE),
            "seasoning": _bucket_table(tables["seasoning"], SEASONING),
            "dpd": _bucket_table(tables["dpd"], DPD),
            "risk_class_5": tables["risk_class_5"].table(
                labels=_choice_labels(RISK_CLASSES, _EN_RISK), order=list(RISK_CLASSES)
            ),
            "obligor_type": tables["obligor_type"].table(labels=_choice_labels(OBLIGOR_TYPES)),
        }
        if asset_class == "finance_lease" or (asset_class is None and self.any_lease):
            result["lease_type"] = tables["lease_type"].table(labels=_choice_labels(LEASE_TYPES))
            result["leased_asset_type"] = tables["leased_asset_type"].table(
                labels=_choice_labels(LEASED_ASSET_TYPES)
            )
        if self.receivable or (asset_class is None and self.any_invoice):
            result["ageing"] = _bucket_table(tables["ageing"], AGEING)
            result["payment_terms"] = _bucket_table(tables["payment_terms"], PAYMENT_TERMS)
        return result


@gc_paused()
def stratifications(
    assets: Assets,
    *,
    asset_class: str | None = None,
    cutoff_date: dt.date | None = None,
) -> dict[str, Any]:
    """All tables for a pool; lease and receivable tables only for those classes (or when data is present).

    Keys: obligor_groups (top 10 + others), industry (GB/T 4754 section), province (GB/T 2260),
    remaining_term,
    balance, interest_rate, seasoning, dpd (M0–M3+), risk_class_5, obligor_type, and lease_type,
    leased_asset_type (leases), ageing, payment_terms (receivables).
    """
    pool = pool_data(assets, cutoff_date=cutoff_date)
    strata = Strata(asset_class=asset_class, cutoff=pool.cutoff)
    strata.add(pool)
    return strata.result()
