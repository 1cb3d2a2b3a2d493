"""The pool analytics fed batch by batch give exactly what one call over the whole pool gives."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from assets.analytics import pool_report
from assets.analytics.report import PoolReport
from assets.criteria import DEFAULT_CRITERIA
from assets.summaries import MAX_EXCEPTIONS, pool_analytics, pool_report_stream

CUTOFF = dt.date(2025, 12, 31)
LEGAL_FINAL = dt.date(2028, 6, 30)


def varied_pool(count: int, *, asset_class: str, seed: int = 3) -> list[dict]:
    """Assets with every kind of value the analytics branch on: blanks, inactive and ineligible ones, rates,
    frequencies, regions, industries, more than ten obligor groups, lease and receivable fields."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        group = rng.randrange(40)
        original = Decimal(rng.randrange(1_000, 9_000_000)) / 100
        outstanding = rng.choice([original, original, original / 2, Decimal(0), original * Decimal("1.2")])
        start = CUTOFF - dt.timedelta(days=rng.randrange(10, 2000))
        end = CUTOFF + dt.timedelta(days=rng.randrange(-30, 3000))
        invoice = CUTOFF - dt.timedelta(days=rng.randrange(1, 400))
        dpd = rng.choice([0, 0, 0, 0, 5, 40, 75, 120, None])
        rows.append(
            {
                "asset_id": f"A{i:05d}",
                "cutoff_date": CUTOFF,
                "obligor_id": f"O{group}-{rng.randrange(3)}",
                "obligor_group_id": rng.choice([f"G{group:02d}", None]),
                "obligor_name": rng.choice([f"集团{group:02d}", None]),
                "obligor_type": rng.choice(["corporate", "corporate", "government", "individual"]),
                "related_party": rng.random() < 0.1,
                "industry_code": rng.choice(["C34", "F51", "I65", "K70", None, ""]),
                "region_code": rng.choice(["310115", "440305", "110105", None]),
                "currency": rng.choice(["CNY"] * 9 + ["USD"]),
                "origination_date": rng.choice([start, None]),
                "maturity_date": rng.choice([end, end, None]),
                "original_amount": original,
                "outstanding_amount": outstanding,
                "interest_rate": rng.choice([None, Decimal("0.045"), Decimal("0.07"), Decimal("0.12")]),
                "payment_frequency": rng.choice(["monthly", "quarterly", "bullet", None]),
                "days_past_due": dpd,
                "account_status": rng.choice(["performing"] * 8 + ["repaid", "defaulted"]),
                "risk_class_5": rng.choice(["normal"] * 6 + ["special_mention", "substandard", None]),
                "default_amount": rng.choice([None] * 8 + [original / 3]),
                "recoveries": rng.choice([None] * 8 + [original / 10]),
                "dilution_amount": rng.choice([None] * 5 + [Decimal("12.34")]),
                "disputed": rng.random() < 0.05,
                "transferable": rng.choice([True, True, True, None, False]),
                "encumbered": rng.random() < 0.05,
                "lease_type": rng.choice(["direct", "sale_leaseback", None])
                if asset_class == "finance_lease"
                else None,
                "leased_asset_type": rng.choice(["equipment", "vehicle", None])
                if asset_class == "finance_lease"
                else None,
                "registration_no": rng.choice(["ZD123", None]),
                "instalments_paid": rng.choice([0, 1, 6, None]),
                "invoice_date": invoice if asset_class == "trade_receivable" else None,
                "due_date": invoice + dt.timedelta(days=rng.choice([30, 90, 200])),
                "payment_terms_days": rng.choice([None, 60]),
                "goods_delivered": rng.choice([True, True, False, None]),
                "obligor_confirmed": rng.choice([True, True, False, None]),
                "source_row": i + 2,
            }
        )
    return rows


def fed(rows: list[dict], size: int, **options) -> PoolReport:
    report = PoolReport(**options)
    for start in range(0, len(rows), size):
        report.add(rows[start : start + size])
    return report


@pytest.mark.parametrize("asset_class", ["trade_receivable", "finance_lease"])
@pytest.mark.parametrize("size", [1, 7, 64, 500, 5000])
def test_batches_of_any_size_give_the_whole_pools_report(asset_class, size):
    rows = varied_pool(1200, asset_class=asset_class)
    options = {"asset_class": asset_class, "criteria": DEFAULT_CRITERIA, "legal_final_maturity": LEGAL_FINAL}
    whole = pool_report(rows, **options, senior_notes_amount=Decimal(1_000_000))

    streamed = fed(rows, size, **options, senior_notes_amount=Decimal(1_000_000)).result()

    assert streamed == whole
    assert whole["eligibility"]["ineligible_count"] > 300  # the pool exercises every branch
    assert whole["overview"]["inactive_excluded"] > 100
    assert len(whole["strata"]["obligor_groups"]["rows"]) == 11  # ten groups and "others"


@pytest.mark.parametrize("size", [3, 250, 5000])
def test_the_stored_analytics_are_the_same_streamed_and_keep_a_bounded_exception_list(size):
    rows = varied_pool(1500, asset_class="trade_receivable", seed=11)
    options = {"asset_class": "trade_receivable", "criteria": DEFAULT_CRITERIA, "legal_final_maturity": None}
    whole, every_ineligible = pool_analytics(
        {name: [row.get(name) for row in rows] for name in rows[0]}, **options
    )
    seen: list[dict] = []
    stream = pool_report_stream(**options, on_ineligible=seen.extend)
    for start in range(0, len(rows), size):
        stream.add(rows[start : start + size])

    streamed, kept = pool_analytics(stream, **options)

    assert streamed == whole
    assert len(every_ineligible) == whole["eligibility"]["ineligible_count"] > MAX_EXCEPTIONS
    assert kept == every_ineligible[:MAX_EXCEPTIONS]
    assert seen == every_ineligible  # each batch's entries reach the caller, in tape order
    assert len(whole["exceptions"]) == whole["eligibility"]["ineligible_listed"] == MAX_EXCEPTIONS


def test_batches_before_the_first_cut_off_date_wait_for_it():
    rows = varied_pool(300, asset_class="finance_lease", seed=5)
    for row in rows[:120]:
        row["cutoff_date"] = None
    options = {"asset_class": "finance_lease", "legal_final_maturity": LEGAL_FINAL}

    streamed = fed(rows, 50, **options).result()

    assert streamed == pool_report(rows, **options)
    assert streamed["overview"]["cutoff_date"] == "2025-12-31"


def test_an_empty_pool_reports_nothing_streamed_or_whole():
    options = {"asset_class": "trade_receivable"}

    assert fed([], 10, **options).result() == pool_report([], **options)
