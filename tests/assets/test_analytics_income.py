"""Income-right metrics: revenue stability, growth, coverage per payment date, DSCR, toll period."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

import pytest

from assets.analytics import income_right_metrics
from assets.analytics.income import max_drawdown_t12, seasonally_adjusted_cv

SEASON = [0.8, 0.9, 1.0, 1.1, 1.2, 1.0, 1.0, 1.0, 1.1, 1.0, 0.9, 1.0]  # averages 1.0


def month_list(first_year: int, count: int) -> list[str]:
    return [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def two_growing_years() -> list[dict]:
    """Year 1 at 100 × season, year 2 at 110 × season: pure seasonality plus 10 % growth."""
    periods = month_list(2023, 24)
    return [
        {"period": p, "gross_revenue": Decimal(str(round((100 if i < 12 else 110) * SEASON[i % 12], 2)))}
        for i, p in enumerate(periods)
    ]


def test_stability_and_growth_of_a_seasonal_growing_series():
    metrics = income_right_metrics(two_growing_years())
    values = [(100 if i < 12 else 110) * SEASON[i % 12] for i in range(24)]
    mean = sum(values) / 24
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / 23)

    revenue = metrics["revenue"]
    assert (revenue["months"], revenue["first_period"], revenue["last_period"]) == (24, "2023-01", "2024-12")
    assert revenue["cv"] == round(sd / mean, 6)
    # Dividing by the calendar-month index removes the season and leaves twelve 100s and twelve 110s.
    assert revenue["cv_seasonally_adjusted"] == round(math.sqrt(24 * 25 / 23) / 105, 6)
    assert revenue["min_to_mean"] == round(80 / 105, 6)
    assert revenue["max_drawdown_t12"] == 0.0  # the trailing 12-month sum only rises
    assert metrics["annual_revenue"] == {
        "totals": {"2023": "1200.00", "2024": "1320.00"},
        "yoy_growth": {"2024": 0.1},
        "last_yoy_growth": 0.1,
        "cagr": 0.1,
    }
    assert metrics["ncf"] is None  # no cost data in this history


def test_the_cv_window_keeps_the_last_36_months():
    rows = [
        {"period": p, "gross_revenue": Decimal(1000 if i < 12 else 100 + i % 2)}
        for i, p in enumerate(month_list(2021, 48))
    ]

    revenue = income_right_metrics(rows)["revenue"]

    assert (revenue["months"], revenue["first_period"]) == (36, "2022-01")
    assert revenue["cv"] == round(math.sqrt(36 * 0.25 / 35) / 100.5, 6)


def test_seasonal_adjustment_needs_two_years():
    assert seasonally_adjusted_cv(month_list(2024, 23), [100.0] * 23) is None


def test_drawdown_of_the_trailing_twelve_month_sum():
    values = [100.0] * 12 + [50.0] * 6 + [100.0] * 6  # a six-month shock, as in 2020

    # T12 falls from 1200 to 900 after six shock months: a 25 % drawdown.
    assert max_drawdown_t12(values) == pytest.approx(0.25)
    assert max_drawdown_t12(values[:12]) is None


def test_net_cash_flow_is_the_stability_basis_when_every_month_has_it():
    rows = [{**row, "net_cash_flow": row["gross_revenue"] - 50} for row in two_growing_years()]

    metrics = income_right_metrics(rows)

    assert metrics["ncf"]["mean"] == "55.00"
    cv_check = next(c for c in metrics["stability"] if c["check"] == "revenue_cv")
    assert cv_check["value"] == metrics["ncf"]["cv_seasonally_adjusted"]


FORECAST = [
    {"period": p, "forecast_revenue": Decimal(100), "forecast_ncf": Decimal(70)} for p in month_list(2026, 12)
]
DEBT_SERVICE = [
    {
        "payment_date": dt.date(2026, 6, 30),
        "senior_interest_due": Decimal(300),
        "senior_principal_due": Decimal(0),
    },
    {
        "payment_date": dt.date(2026, 12, 31),
        "senior_interest_due": Decimal(100),
        "senior_principal_due": Decimal(250),
    },
]


def test_coverage_per_payment_date_under_base_and_revenue_stress():
    metrics = income_right_metrics(two_growing_years(), FORECAST, DEBT_SERVICE)

    assert metrics["coverage"] == [
        {
            "payment_date": "2026-06-30",
            "first_period": "2026-01",
            "last_period": "2026-06",
            "ncf": "420.00",
            "revenue": "600.00",
            "debt_service": "300.00",
            "coverage": 1.4,
            "coverage_stressed": {"0.10": 1.2, "0.20": 1.0, "0.30": 0.8},
        },  # (420 − h × 600) / 300
        {
            "payment_date": "2026-12-31",
            "first_period": "2026-07",
            "last_period": "2026-12",
            "ncf": "420.00",
            "revenue": "600.00",
            "debt_service": "350.00",
            "coverage": 1.2,
            "coverage_stressed": {
                "0.10": round(360 / 350, 6),
                "0.20": round(300 / 350, 6),
                "0.30": round(240 / 350, 6),
            },
        },
    ]
    assert (metrics["min_coverage_base"], metrics["avg_coverage_base"]) == (1.2, 1.3)
    assert metrics["min_coverage_stressed"] == {
        "0.10": round(360 / 350, 6),
        "0.20": round(300 / 350, 6),
        "0.30": round(240 / 350, 6),
    }
    assert metrics["min_dscr"] == round(840 / 650, 6)  # one full 12-month window
    assert metrics["ncf_to_debt_service"] == round(840 / 650, 6)


def test_stability_bands_follow_the_profile():
    metrics = income_right_metrics(two_growing_years(), FORECAST, DEBT_SERVICE)

    assert {c["check"]: (c["value"], c["band"]) for c in metrics["stability"]} == {
        "revenue_cv": (round(math.sqrt(24 * 25 / 23) / 105, 6), "green"),
        "min_to_mean": (round(80 / 105, 6), "green"),
        "max_drawdown_t12": (0.0, "green"),
        "yoy_growth": (0.1, "green"),
        "min_coverage_base": (1.2, "amber"),  # 1.20–1.30
        "min_coverage_stress_20": (round(300 / 350, 6), "red"),  # below 0.90
        "min_dscr": (round(840 / 650, 6), "amber"),
        "ncf_to_debt_service": (round(840 / 650, 6), "amber"),  # 1.10–1.30
    }
    json.dumps(metrics)


def test_toll_period_left_after_the_legal_final_maturity():
    toll = [{"asset_id": "R001", "toll_period_end": dt.date(2040, 6, 29)}]

    metrics = income_right_metrics(
        two_growing_years(), toll_assets=toll, legal_final_maturity=dt.date(2035, 6, 30)
    )

    assert (metrics["toll_period_end"], metrics["months_toll_after_legal_final"]) == ("2040-06-29", 59)


def test_several_assets_are_summed_month_by_month():
    one = two_growing_years()
    both = [{**r, "asset_id": "R1"} for r in one] + [{**r, "asset_id": "R2"} for r in one]

    doubled = income_right_metrics(both)["revenue"]

    assert doubled["mean"] == "210.00"
    assert doubled["cv"] == income_right_metrics(one)["revenue"]["cv"]
