"""Eligibility per asset, concentration limits on the pool, and income-right checks (abs-data.md §6.5)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import translation

from assets.analytics import (
    eligible_assets,
    evaluate_eligibility,
    income_right_eligibility,
    pool_checks,
    pool_report,
)
from assets.criteria import criteria_with

CUTOFF = dt.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def lease(asset_id: str, group: str = "", balance: str = "100", **changes) -> dict:
    row = {
        "asset_id": asset_id,
        "source_row": int(asset_id[1:]) + 1,
        "cutoff_date": CUTOFF,
        "obligor_id": asset_id,
        "obligor_group_id": group or f"G{asset_id}",
        "obligor_name": f"承租人{asset_id}",
        "obligor_type": "corporate",
        "related_party": False,
        "industry_code": "C34",
        "region_code": "310115",
        "currency": "CNY",
        "origination_date": dt.date(2024, 3, 1),
        "maturity_date": dt.date(2027, 2, 28),
        "original_amount": Decimal("150"),
        "outstanding_amount": Decimal(balance),
        "interest_rate": Decimal("0.06"),
        "payment_frequency": "monthly",
        "days_past_due": 0,
        "account_status": "performing",
        "risk_class_5": "normal",
        "disputed": False,
        "encumbered": False,
        "release_at_transfer": None,
        "transferable": True,
        "registration_no": "0123",
        "instalments_paid": 21,
        "total_instalments": 36,
    }
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({}, []),
        ({"days_past_due": 5, "account_status": "arrears"}, ["overdue"]),
        ({"account_status": "defaulted", "days_past_due": 120}, ["overdue", "excluded_status"]),
        ({"risk_class_5": "special_mention"}, ["risk_class"]),
        ({"risk_class_5": None}, []),  # not given is not a failure; ND-coded classes are reported as missing
        ({"disputed": True}, ["disputed"]),
        ({"transferable": False}, ["not_transferable"]),
        ({"encumbered": True}, ["encumbered"]),
        ({"encumbered": True, "release_at_transfer": True}, []),
        ({"obligor_type": "lgfv"}, ["government_obligor"]),
        ({"currency": "USD"}, ["currency"]),
        ({"outstanding_amount": Decimal(0)}, ["non_positive_balance"]),
        ({"instalments_paid": 0}, ["instalments_unpaid"]),
        ({"registration_no": None}, ["unregistered"]),
        ({"maturity_date": dt.date(2030, 6, 1)}, ["matures_after_legal_final"]),
    ],
)
def test_each_asset_rule(changes, reasons):
    result = evaluate_eligibility(
        [lease("L1", **changes)], asset_class="finance_lease", legal_final_maturity=dt.date(2030, 6, 30)
    )

    assert [entry["reasons"] for entry in result["ineligible"]] == ([reasons] if reasons else [])


def test_receivable_rules_on_tenor_ageing_and_delivery():
    base = {
        "invoice_date": dt.date(2025, 10, 1),
        "due_date": dt.date(2026, 1, 1),
        "goods_delivered": True,
        "obligor_confirmed": False,
    }
    assets = [
        lease("R1", **base),
        lease("R2", **{**base, "due_date": dt.date(2026, 10, 2)}),  # 366-day tenor
        lease("R3", **{**base, "invoice_date": dt.date(2024, 12, 30)}),  # 366 days old at the cut-off
        lease("R4", **{**base, "goods_delivered": False}),
    ]

    result = evaluate_eligibility(assets, asset_class="trade_receivable")

    assert [(e["asset_id"], e["reasons"]) for e in result["ineligible"]] == [
        ("R2", ["tenor_too_long"]),
        ("R3", ["tenor_too_long", "ageing_too_long"]),
        ("R4", ["goods_not_delivered"]),
    ]
    strict = criteria_with({"asset": {"receivable_require_obligor_confirmation": True}})
    assert evaluate_eligibility(assets[:1], asset_class="trade_receivable", criteria=strict)[
        "ineligible"
    ] == [{"asset_id": "R1", "source_row": 2, "reasons": ["not_confirmed"]}]


def test_result_counts_amounts_and_messages_per_reason():
    assets = [
        lease("L1"),
        lease("L2", disputed=True, balance="40"),
        lease("L3", disputed=True, days_past_due=3, account_status="arrears"),
    ]

    result = evaluate_eligibility(assets, asset_class="finance_lease")

    assert result == {
        "criteria_version": "2026.1",
        "asset_count": 3,
        "eligible_count": 1,
        "eligible_outstanding": "100.00",
        "ineligible_count": 2,
        "ineligible_outstanding": "140.00",
        "reasons": {
            "disputed": {"count": 2, "outstanding": "140.00", "message": "The receivable is disputed."},
            "overdue": {
                "count": 1,
                "outstanding": "100.00",
                "message": "Overdue at the cut-off date (more than 0 days past due).",
            },
        },
        "ineligible": [
            {"asset_id": "L2", "source_row": 3, "reasons": ["disputed"]},
            {"asset_id": "L3", "source_row": 4, "reasons": ["overdue", "disputed"]},
        ],
    }
    assert [a["asset_id"] for a in eligible_assets(assets, result)] == ["L1"]


def test_a_relaxed_profile_allows_thirty_days_past_due():
    relaxed = criteria_with({"asset": {"max_days_past_due": 30}})

    result = evaluate_eligibility(
        [lease("L1", days_past_due=30, account_status="arrears")],
        asset_class="finance_lease",
        criteria=relaxed,
    )

    assert (result["eligible_count"], result["criteria_version"]) == (1, "2026.1+custom")


def checks_by_name(result: dict) -> dict:
    return {c["check"]: c for c in result["checks"]}


def test_pool_limits_on_a_concentrated_pool():
    # One group holds 55 %, the next four 9 % each: 55 + 36 = 91 % in the top five, only 6 groups.
    assets = (
        [lease("L1", "BIG", "550")]
        + [lease(f"L{i}", f"G{i}", "90") for i in range(2, 6)]
        + [lease("L6", "G6", "90")]
    )

    result = pool_checks(assets)
    checks = checks_by_name(result)

    assert result["blocking"] is True
    assert (checks["single_obligor_share"]["status"], checks["single_obligor_share"]["value"]) == (
        "fail",
        0.55,
    )
    assert (
        checks["single_obligor_share"]["message"] == "Largest obligor group: 55.00% of the pool (limit 50%)."
    )
    assert checks["top5_share"]["value"] == 0.91
    assert (checks["obligor_group_count"]["status"], checks["obligor_group_count"]["value"]) == ("fail", 6)
    assert checks["significant_obligors"]["obligors"] == [
        {"obligor_group_id": "BIG", "name": "承租人L1", "share": 0.55}
    ]
    assert (
        checks["significant_obligors"]["message"] == "1 obligor group(s) at or above 15% must be disclosed."
    )
    assert (checks["n_eff"]["band"], checks["n_eff"]["value"]) == (
        "red",
        round(1 / (0.55**2 + 5 * 0.09**2), 6),
    )
    assert checks["industry_share"]["status"] == "warning"  # every lessee is in manufacturing


def test_a_granular_diversified_pool_passes():
    industries, regions = ["C34", "F51", "G54", "E48"], ["310115", "440305", "510107", "110105"]
    assets = [
        lease(f"L{i}", balance="10", industry_code=industries[i % 4], region_code=regions[i // 4 % 4])
        for i in range(1, 1201)
    ]

    result = pool_checks(assets)

    assert result["blocking"] is False
    assert {c["check"]: c["status"] for c in result["checks"]} == {
        "single_obligor_share": "pass",
        "significant_obligors": "pass",
        "top5_share": "pass",
        "obligor_group_count": "pass",
        "n_eff": "pass",
        "single_asset_share": "pass",
        "industry_share": "pass",
        "province_share": "pass",
        "related_party_share": "pass",
    }


def test_pool_report_checks_limits_on_the_eligible_assets_only():
    assets = [lease(f"L{i}", balance="100") for i in range(1, 13)] + [
        lease("L13", balance="5000", disputed=True)
    ]

    report = pool_report(assets, asset_class="finance_lease", senior_notes_amount=Decimal(1000))

    assert report["overview"]["asset_count"] == 13
    assert report["eligible_overview"]["asset_count"] == 12
    assert report["eligibility"]["reasons"]["disputed"]["count"] == 1
    assert report["pool_checks"]["blocking"] is False  # the 5 000 disputed lease would have been 81 %
    assert {c["check"]: (c["value"], c["band"]) for c in report["stability"]} == {
        "oc_ratio": (1.2, "green"),
        "dq90_balance": (0.0, "green"),
        "dilution_ratio_12m": (None, None),
    }
    json.dumps(report)


def test_income_right_checks_per_toll_asset():
    toll = [
        {
            "asset_id": "R1",
            "toll_period_end": dt.date(2036, 12, 31),
            "pledged": True,
            "pledge_release_at_transfer": True,
            "escrow_frequency": "monthly",
            "operating_since": dt.date(2010, 6, 30),
        },
        {
            "asset_id": "R2",
            "toll_period_end": dt.date(2035, 12, 31),
            "pledged": True,
            "escrow_frequency": "quarterly",
            "operating_since": dt.date(2024, 6, 30),
        },
    ]
    history = [{"asset_id": "R1", "period": f"{2023 + i // 12}-{i % 12 + 1:02d}"} for i in range(36)] + [
        {"asset_id": "R2", "period": f"{2023 + (i + 6) // 12}-{(i + 6) % 12 + 1:02d}"} for i in range(30)
    ]

    result = income_right_eligibility(
        toll, history, legal_final_maturity=dt.date(2035, 6, 30)
    )  # as of 2025-12-31

    statuses = {
        a["asset_id"]: {c["check"]: (c["status"], c["value"]) for c in a["checks"]} for a in result["assets"]
    }
    assert statuses == {
        "R1": {
            "toll_period": ("pass", 18),
            "history_months": ("pass", 36),
            "pledged": ("pass", False),
            "escrow_frequency": ("pass", "monthly"),
            "operating_years": ("pass", 15.5),
        },
        "R2": {
            "toll_period": ("fail", 6),
            "history_months": ("warning", 30),
            "pledged": ("fail", True),
            "escrow_frequency": ("warning", "quarterly"),
            "operating_years": ("fail", 1.5),
        },
    }
    assert result["blocking"] is True
    messages = [c["message"] for c in result["assets"][1]["checks"]]
    assert messages[0] == "The toll period ends 6 months after the legal final maturity (minimum 12)."
    assert messages[2] == "Toll right pledged without a release at transfer: yes."
