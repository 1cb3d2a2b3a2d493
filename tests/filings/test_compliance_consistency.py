"""Consistency rules: offering size, currencies, tranches against the pool, maturity, cut-off date."""

from __future__ import annotations

import datetime as dt

from tests.filings.test_compliance_data import (
    found,
    passing_data,
    receivable_data,
    receivable_pool,
    receivable_rows,
)

B, W = "blocking", "warning"


def test_offer_size_passes_when_it_equals_the_tranche_total():
    assert found(passing_data(), "CONS-OFFER-SIZE") == []


def test_offer_size_blocks_a_different_total():
    data = passing_data()
    data["offering"]["total_size"] = "120000000"

    assert found(data, "CONS-OFFER-SIZE") == [
        (
            B,
            "offering.total_size",
            "The offering size (USD 120,000,000.00) differs from the total of the tranches "
            "(USD 100,000,000.00): correct one of them.",
        ),
    ]


def test_offer_size_asks_for_the_size():
    data = passing_data()
    data["offering"]["total_size"] = None

    assert found(data, "CONS-OFFER-SIZE") == [(B, "offering.total_size", "Enter the offering size.")]


def test_currency_passes_when_tranches_offering_and_settlement_agree():
    assert found(passing_data(), "CONS-CURRENCY") == []


def test_currency_blocks_tranches_in_another_currency_and_warns_of_settlement():
    data = passing_data()
    data["tranches"][1]["currency"] = "HKD"
    data["token"]["settlement_currency"] = "hkd"

    assert found(data, "CONS-CURRENCY") == [
        (
            B,
            "structure.tranches",
            "Tranches are denominated in HKD but the offering is in USD: state the offering "
            "in the tranches' currency or correct the tranches.",
        ),
        (
            W,
            "token.settlement_currency",
            "The token settles in HKD but the offering is in USD: explain the "
            "conversion and who bears the exchange risk.",
        ),
    ]
    assert found(data, "CONS-OFFER-SIZE") == []  # not compared across currencies


def test_tranche_pool_passes_a_pool_covering_tranches_and_declared_oc():
    data = receivable_data()  # 200m pool, 170m tranches: 17.6 % over-collateralisation, 12 % declared

    assert found(data, "CONS-TRANCHE-POOL") == []


def test_tranche_pool_blocks_tranches_above_the_eligible_pool():
    data = receivable_data()
    data["tranches"][0]["size"] = "190000000.00"  # 210m of tranches on a 200m pool

    assert found(data, "CONS-TRANCHE-POOL") == [
        (
            B,
            "structure.tranches",
            "The tranches total CNY 210,000,000.00 but the eligible pool is only CNY "
            "200,000,000.00: reduce the tranches or add eligible assets.",
        ),
    ]


def test_tranche_pool_blocks_an_overstated_over_collateralisation():
    data = receivable_data()
    data["structure"]["overcollateralisation_pct"] = "20"

    assert found(data, "CONS-TRANCHE-POOL") == [
        (
            B,
            "structure.overcollateralisation_pct",
            "The structure declares 20% over-collateralisation but the "
            "eligible pool (CNY 200,000,000.00) over the tranches (CNY "
            "170,000,000.00) gives only 17.65%: correct the declared figure "
            "or the tranche sizes.",
        ),
    ]


def test_tranche_pool_counts_only_eligible_assets():
    rows = receivable_rows()
    for row in rows[:3]:
        row["days_past_due"] = 45  # 30m overdue: excluded from the pool to transfer
    data = receivable_data(rows)

    assert found(data, "CONS-TRANCHE-POOL") == [
        (
            B,
            "structure.overcollateralisation_pct",
            "The structure declares 12% over-collateralisation but the "
            "eligible pool (CNY 170,000,000.00) over the tranches (CNY "
            "170,000,000.00) gives only 0%: correct the declared figure or "
            "the tranche sizes.",
        ),
    ]


def test_tranche_pool_explains_why_it_cannot_compare_across_currencies():
    data = receivable_data()
    for tranche in data["tranches"]:
        tranche["currency"] = "USD"
    data["offering"]["currency"] = "USD"

    assert found(data, "CONS-TRANCHE-POOL") == [
        (
            W,
            "structure.tranches",
            "The tranches are in USD but the pool balance (CNY 200,000,000.00) is in CNY, so "
            "the tranche total cannot be checked against the pool and its "
            "over-collateralisation here. State the exchange rate, its date and the converted "
            "figures in the filing report.",
        ),
    ]


def test_tranche_pool_treats_offshore_renminbi_as_the_same_currency():
    data = receivable_data()
    for tranche in data["tranches"]:
        tranche["currency"] = "CNH"
    data["offering"]["currency"] = "CNH"

    assert found(data, "CONS-TRANCHE-POOL") == []


def test_maturity_passes_when_assets_mature_well_before_the_legal_final():
    assert found(receivable_data(), "CONS-MATURITY") == []


def test_maturity_blocks_assets_maturing_within_the_buffer_of_the_legal_final():
    rows = receivable_rows()
    for row in rows[:2]:
        row["maturity_date"] = row["due_date"] = dt.date(2030, 12, 15)
        row["invoice_date"] = row["origination_date"] = dt.date(2030, 1, 15)  # keep tenor and ageing eligible
    data = receivable_data(rows)

    assert found(data, "CONS-MATURITY") == [
        (
            B,
            "structure.tranches",
            "2 assets (CNY 20,000,000.00) mature less than 30 days before the legal final "
            "maturity (31 Dec 2030): extend the legal final maturity or remove them from the "
            "pool.",
        ),
    ]


def test_maturity_uses_the_pools_last_maturity_date_when_the_pool_reports_it():
    data = receivable_data()
    data["pool"]["eligible_overview"]["max_maturity_date"] = "2031-03-31"

    assert found(data, "CONS-MATURITY") == [
        (
            B,
            "structure.tranches",
            "The last asset matures on 31 Mar 2031, less than 30 days before the legal final "
            "maturity (31 Dec 2030): extend the legal final maturity or remove the long "
            "assets.",
        ),
    ]


def test_cutoff_passes_when_tape_and_filing_agree():
    assert found(receivable_data(), "CONS-CUTOFF") == []


def test_cutoff_blocks_a_different_tape_date_and_warns_of_a_missing_one():
    data = receivable_data()
    data["cutoff_date"] = "2026-06-30"
    assert found(data, "CONS-CUTOFF") == [
        (
            B,
            "assets.tape",
            "The tape's cut-off date (30 Sep 2026) differs from the filing's pool cut-off date "
            "(30 Jun 2026): import a tape as of the filing's cut-off date or correct the date.",
        ),
    ]

    data["cutoff_date"] = None
    assert found(data, "CONS-CUTOFF") == [
        (W, "filing.cutoff_date", "Enter the pool cut-off date of the filing.")
    ]


def test_consistency_rules_wait_for_a_tape():
    data = receivable_data()
    data["pool"] = {"asset_class": "trade_receivable", "tape": None}
    data["cutoff_date"] = None

    assert [code for code in ("CONS-TRANCHE-POOL", "CONS-MATURITY", "CONS-CUTOFF") if found(data, code)] == []
    assert receivable_pool()["tape"]


def test_cutoff_prefers_the_date_recorded_with_the_tape():
    data = passing_data()  # toll income: the analytics carry no cut-off date of their own
    data["pool"]["tape"]["cutoff_date"] = "2026-08-31"

    assert [severity for severity, _f, _m in found(data, "CONS-CUTOFF")] == [B]
