"""Pool overview, stratifications and historical performance on a pool small enough to check by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from assets.analytics import performance_by_cutoff, pool_data, pool_overview, stratifications
from assets.analytics.pool import asset_wal_years

CUTOFF = dt.date(2025, 12, 31)


def asset(asset_id, group, balance, original, rate, start, end, frequency, region, industry, dpd=0, **extra):
    return {
        "asset_id": asset_id,
        "cutoff_date": CUTOFF,
        "obligor_id": f"{group}-{asset_id}",
        "obligor_group_id": group,
        "obligor_name": f"{group} 集团",
        "outstanding_amount": Decimal(balance),
        "original_amount": Decimal(original),
        "interest_rate": None if rate is None else Decimal(rate),
        "origination_date": dt.date.fromisoformat(start),
        "maturity_date": dt.date.fromisoformat(end),
        "payment_frequency": frequency,
        "region_code": region,
        "industry_code": industry,
        "days_past_due": dpd,
        "account_status": "performing" if dpd == 0 else "arrears",
        "risk_class_5": "normal",
        "obligor_type": "corporate",
        **extra,
    }


POOL = [
    asset("A1", "G1", "400", "500", "0.05", "2024-12-31", "2026-12-31", "monthly", "310115", "C34"),
    asset("A2", "G1", "100", "100", "0.08", "2025-06-30", "2026-06-30", "bullet", "440305", "F51", dpd=45),
    asset("A3", "G2", "300", "300", None, "2025-09-30", "2026-03-31", "bullet", "310101", "C13"),
    asset(
        "A4",
        "G3",
        "200",
        "250",
        "0.06",
        "2023-12-31",
        "2028-12-31",
        "quarterly",
        None,
        None,
        dpd=100,
        account_status="defaulted",
        risk_class_5="substandard",
    ),
    asset(
        "A5",
        "G4",
        "0",
        "80",
        "0.05",
        "2024-01-31",
        "2025-11-30",
        "monthly",
        "110101",
        "K70",
        account_status="repaid",
    ),
]


def annuity_wal(years_to_maturity: float, per_year: int, annual_rate: float) -> float:
    """WAL of a level-payment annuity, by walking its schedule (independent of the closed form)."""
    import math

    n = math.ceil(years_to_maturity * per_year - 1e-9)
    i = annual_rate / per_year
    balance, payment = 1.0, (i / (1 - (1 + i) ** -n) if i else 1 / n)
    weighted = 0.0
    for k in range(1, n + 1):
        principal = payment - balance * i
        balance -= principal
        weighted += (years_to_maturity - (n - k) / per_year) * principal
    return weighted


def test_overview_of_a_small_pool():
    overview = pool_overview(POOL)

    wal_a1 = annuity_wal(365 / 365, 12, 0.05)
    wal_a4 = annuity_wal(1096 / 365, 4, 0.06)
    assert overview == {
        "cutoff_date": "2025-12-31",
        "asset_count": 4,
        "inactive_excluded": 1,  # A5 is repaid
        "obligor_count": 4,
        "obligor_group_count": 3,
        "total_original": "1150.00",
        "total_outstanding": "1000.00",
        "avg_outstanding_per_asset": "250.00",
        "max_outstanding_per_asset": "400.00",
        "min_outstanding_per_asset": "100.00",
        "avg_outstanding_per_obligor_group": "333.33",
        "max_outstanding_per_obligor_group": "500.00",
        # remaining months, rounded up from days / 30.4375: 365 d -> 12, 181 -> 6, 90 -> 3, 1096 -> 37
        "wart_months": 13.7,  # (400×12 + 100×6 + 300×3 + 200×37) / 1000
        "wa_remaining_days": 410.3,  # (400×365 + 100×181 + 300×90 + 200×1096) / 1000
        "wa_seasoning_months": 11.7,  # 365 d -> 12, 184 -> 7, 92 -> 4, 731 -> 25
        "wa_original_term_months": 24.8,  # 730 d -> 24, 365 -> 12, 182 -> 6, 1827 -> 61
        "wac": round(40 / 700, 6),  # A3 has no rate: (400×5% + 100×8% + 200×6%) / 700
        "wac_coverage": 0.7,
        "wal_years": round((400 * wal_a1 + 100 * 181 / 365 + 300 * 90 / 365 + 200 * wal_a4) / 1000, 6),
        "top1_share": 0.5,
        "top5_share": 1.0,
        "top10_share": 1.0,
        "hhi": 0.38,  # 0.5² + 0.3² + 0.2²
        "n_eff": round(1 / 0.38, 6),
        "largest_asset_share": 0.4,
        "dq1_balance_share": 0.3,
        "dq31_balance_share": 0.3,
        "dq61_balance_share": 0.2,
        "dq91_balance_share": 0.2,
        "default_balance_share": 0.2,
        "recovery_rate": None,
        "dilution_ratio": None,
    }
    json.dumps(overview)


@pytest.mark.parametrize(
    ("years", "frequency", "rate"),
    [(1.0, "monthly", 0.05), (3.0, "quarterly", 0.06), (2.5, "semiannual", 0.0), (0.9, "annual", 0.04)],
)
def test_closed_form_wal_matches_the_schedule(years, frequency, rate):
    per_year = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}[frequency]

    assert asset_wal_years(years, frequency, rate) == pytest.approx(
        annuity_wal(years, per_year, rate), abs=1e-12
    )


def test_bullet_wal_is_time_to_maturity():
    assert asset_wal_years(0.5, "bullet", 0.05) == 0.5


def rows_of(table):
    return [(r["key"], r["count"], r["amount"], r["amount_share"]) for r in table["rows"]]


def test_stratifications_of_a_small_pool():
    strata = stratifications(POOL, asset_class="loan")

    assert rows_of(strata["obligor_groups"]) == [
        ("G1", 2, "500.00", 0.5),
        ("G2", 1, "300.00", 0.3),
        ("G3", 1, "200.00", 0.2),
    ]
    assert strata["obligor_groups"]["rows"][0]["label_zh"] == "G1 集团"
    assert rows_of(strata["industry"]) == [
        ("C", 2, "700.00", 0.7),
        ("F", 1, "100.00", 0.1),
        (None, 1, "200.00", 0.2),
    ]
    assert strata["industry"]["rows"][0]["label_zh"] == "制造业"
    assert [(r["key"], r["label_zh"], r["label_en"], r["amount"]) for r in strata["province"]["rows"]] == [
        ("31", "上海市", "Shanghai", "700.00"),
        ("44", "广东省", "Guangdong", "100.00"),
        (None, "未提供", "not given", "200.00"),
    ]
    assert rows_of(strata["remaining_term"])[:4] == [
        ("0-6m", 2, "400.00", 0.4),
        ("6-12m", 1, "400.00", 0.4),
        ("12-24m", 0, "0.00", 0.0),
        ("24-36m", 0, "0.00", 0.0),
    ]
    assert rows_of(strata["dpd"]) == [
        ("M0", 2, "700.00", 0.7),
        ("M1", 0, "0.00", 0.0),
        ("M2", 1, "100.00", 0.1),
        ("M3", 0, "0.00", 0.0),
        ("M3+", 1, "200.00", 0.2),
    ]
    assert rows_of(strata["interest_rate"]) == [
        ("0-4%", 0, "0.00", 0.0),
        ("4-6%", 2, "600.00", 0.6),
        ("6-8%", 1, "100.00", 0.1),
        ("8-10%", 0, "0.00", 0.0),
        ("10-15%", 0, "0.00", 0.0),
        ("15%+", 0, "0.00", 0.0),
        (None, 1, "300.00", 0.3),
    ]
    assert [(r["key"], r["label_zh"], r["count"]) for r in strata["risk_class_5"]["rows"][:3]] == [
        ("normal", "正常", 3),
        ("special_mention", "关注", 0),
        ("substandard", "次级", 1),
    ]
    assert strata["balance"]["total"] == {"count": 4, "amount": "1000.00"}
    assert "lease_type" not in strata and "ageing" not in strata
    json.dumps(strata)


def test_receivable_tables_use_days_ageing_and_payment_terms():
    invoice = {
        "invoice_date": dt.date(2025, 11, 1),
        "due_date": dt.date(2026, 1, 30),
        "payment_terms_days": None,
    }
    pool = [
        asset(
            "R1", "G1", "100", "100", None, "2025-11-01", "2026-01-30", "bullet", "310115", "C34", **invoice
        )
    ]

    strata = stratifications(pool, asset_class="trade_receivable")

    assert [r["key"] for r in strata["ageing"]["rows"] if r["count"]] == ["31-60d"]  # 60 days since invoice
    assert [r["key"] for r in strata["payment_terms"]["rows"] if r["count"]] == ["61-90d"]  # 90-day terms
    assert [r["key"] for r in strata["remaining_term"]["rows"] if r["count"]] == ["0-90d"]  # 30 days left


def test_column_input_gives_the_same_overview():
    columns = {name: [row.get(name) for row in POOL] for name in POOL[0]}

    assert pool_overview(pool_data(columns)) == pool_overview(POOL)


def test_performance_by_cutoff_gives_pool_factor_and_delinquency():
    history = [
        {"cutoff_date": dt.date(2025, 11, 30), "outstanding_amount": Decimal(600), "days_past_due": 0},
        {"cutoff_date": dt.date(2025, 11, 30), "outstanding_amount": Decimal(400), "days_past_due": 0},
        {"cutoff_date": dt.date(2025, 12, 31), "outstanding_amount": Decimal(500), "days_past_due": 0},
        {"cutoff_date": dt.date(2025, 12, 31), "outstanding_amount": Decimal(300), "days_past_due": 95},
    ]

    result = performance_by_cutoff(history, initial_balance=Decimal(1250))

    assert [
        (
            p["cutoff_date"],
            p["outstanding"],
            p["pool_factor"],
            p["dq91_balance_share"],
            p["default_balance_share"],
        )
        for p in result
    ] == [
        ("2025-11-30", "1000.00", 0.8, 0.0, 0.0),
        ("2025-12-31", "800.00", 0.64, 0.375, 0.375),
    ]
