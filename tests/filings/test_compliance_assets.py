"""Asset-pool rules on pools analysed by assets.analytics: class, negative list, concentration, eligibility,
toll period and history, stability bands. Thresholds come from the criteria profile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.criteria import DEFAULT_CRITERIA, criteria_with
from assets.figures import largest_obligor_share
from filings.compliance import evaluate
from tests.filings.test_compliance_data import (
    RECEIVABLE_PROFILE,
    found,
    passing_data,
    receivable_data,
    receivable_rows,
    toll_pool,
)

B, W = "blocking", "warning"


def _big_obligor(share_of_rest: Decimal, *, name: str | None = "大客户有限公司") -> dict:
    """The receivable filing with obligor 0 grown to ``share_of_rest`` × the other 19 obligors together."""
    rows = receivable_rows()
    amount = Decimal("190000000") * share_of_rest
    rows[0].update(original_amount=amount, outstanding_amount=amount, obligor_name=name)
    return receivable_data(rows)


# ---------------------------------------------------------------------------------------------
# Tape, class, negative list
# ---------------------------------------------------------------------------------------------


def test_asset_tape_passes_with_an_imported_tape():
    assert found(passing_data(), "ASSET-TAPE") == []


@pytest.mark.parametrize("pool", [None, {}, {"asset_class": "toll_income", "tape": None}])
def test_asset_tape_is_the_only_pool_finding_without_a_tape(pool):
    data = passing_data()
    data["pool"] = pool

    findings = [f for f in evaluate(data, DEFAULT_CRITERIA) if f.section == "assets"]
    assert [(f.code, f.severity, f.field) for f in findings] == [("ASSET-TAPE", B, "assets.tape")]
    assert found(data, "ASSET-TAPE") == [
        (
            B,
            "assets.tape",
            "No asset tape imported: import the asset tape (for toll income the asset master, "
            "monthly history, forecast and debt-service schedule) so the pool can be checked.",
        ),
    ]


def test_asset_class_passes_the_three_stable_cash_flow_classes():
    for asset_class in ("toll_income", "trade_receivable", "finance_lease"):
        data = passing_data()
        data["asset_class"] = data["pool"]["asset_class"] = asset_class
        assert found(data, "ASSET-CLASS") == []


def test_asset_class_blocks_other_classes():
    data = passing_data()
    data["asset_class"] = "consumer_loan"
    data["pool"]["asset_class"] = "loan"

    assert found(data, "ASSET-CLASS") == [
        (
            B,
            "assets.asset_class",
            "The asset class consumer_loan is not one of the stable cash-flow classes this "
            "filing route accepts (trade_receivable, finance_lease, toll_income).",
        ),
        (
            B,
            "assets.tape",
            "The imported tape holds loan assets, which are not a stable cash-flow class this "
            "filing route accepts (trade_receivable, finance_lease, toll_income).",
        ),
    ]


def test_neg_mix_passes_a_tape_of_the_filings_class():
    assert found(receivable_data(), "NEG-MIX") == []


def test_neg_mix_blocks_a_tape_of_another_class_or_of_several():
    data = receivable_data()
    data["pool"]["asset_class"] = "toll_income"
    data["pool"]["tape"]["asset_types"] = ["trade_receivable", "finance_lease"]

    assert found(data, "NEG-MIX") == [
        (
            B,
            "assets.tape",
            "The tape holds toll_income, finance_lease assets but the filing is for "
            "trade_receivable: one pool may not mix asset classes. Import a tape of trade_receivable "
            "assets only, or file the others separately.",
        ),
    ]


def test_neg_lgfv_passes_corporate_obligors():
    assert found(receivable_data(), "NEG-LGFV") == []


def test_neg_lgfv_blocks_financing_platform_and_government_obligors():
    rows = receivable_rows()
    rows[0]["obligor_type"] = "lgfv"
    rows[1]["obligor_type"] = "lgfv"
    rows[2]["obligor_type"] = "government"

    assert found(receivable_data(rows), "NEG-LGFV") == [
        (
            B,
            "assets.obligor_type",
            "2 assets (CNY 20,000,000.00, 10% of the pool) are owed by lgfv obligors. "
            "Government and local financing-platform debts are on the negative list: remove "
            "them from the pool and import the tape again.",
        ),
        (
            B,
            "assets.obligor_type",
            "1 assets (CNY 10,000,000.00, 5% of the pool) are owed by government "
            "obligors. Government and local financing-platform debts are on the negative "
            "list: remove them from the pool and import the tape again.",
        ),
    ]


def test_neg_lgfv_reads_the_excluded_types_from_the_profile():
    rows = receivable_rows()
    rows[0]["obligor_type"] = "financial"
    profile = criteria_with({"asset": {"excluded_obligor_types": ["government", "lgfv", "financial"]}})

    assert [field for _s, field, _m in found(receivable_data(rows), "NEG-LGFV", profile)] == [
        "assets.obligor_type"
    ]
    assert found(receivable_data(rows), "NEG-LGFV") == []


def test_neg_lgfv_does_not_apply_to_toll_income():
    assert found(passing_data(), "NEG-LGFV") == []


# ---------------------------------------------------------------------------------------------
# Concentration
# ---------------------------------------------------------------------------------------------


def test_conc_single_passes_a_spread_pool():
    assert found(receivable_data(), "CONC-SINGLE") == []


def test_conc_single_blocks_an_obligor_above_half_the_pool():
    data = _big_obligor(Decimal("1.2"))  # 228m of 418m

    assert found(data, "CONC-SINGLE") == [
        (
            B,
            "assets.concentration",
            "The largest obligor group holds 54.55% (eligible pool, share of outstanding balance); "
            "the limit is 50%. Add other obligors or reduce its assets.",
        ),
    ]


def test_conc_single_follows_the_profile():
    data = _big_obligor(Decimal("0.5"))  # 95m of 285m: 33.3 %
    assert found(data, "CONC-SINGLE") == []

    assert len(found(data, "CONC-SINGLE", criteria_with({"pool": {"max_single_obligor_share": 0.3}}))) == 1


def test_conc_significant_passes_a_named_significant_obligor():
    assert found(_big_obligor(Decimal("0.25")), "CONC-SIGNIFICANT") == []  # 20 % with its name


def test_conc_significant_blocks_an_unnamed_obligor_from_fifteen_percent():
    data = _big_obligor(Decimal("0.25"), name=None)  # 47.5m of 237.5m

    assert found(data, "CONC-SIGNIFICANT") == [
        (
            B,
            "assets.concentration",
            "Obligor group G000 holds 20% of the pool (eligible pool, share of outstanding balance; "
            "disclosure from 15%): give its name in the tape (obligor_name) and disclose its business, "
            "financial statements and credit standing in the filing report.",
        ),
    ]


def _disputed(rows, count):
    for row in rows[-count:]:
        row["disputed"] = True  # ineligible: not transferred


def test_conc_significant_weighs_the_eligible_pool_like_conc_single():
    # G000 (20m, unnamed) is 9.52 % of the whole tape but 15.38 % of the 130m eligible pool.
    rows = receivable_rows()
    rows[0].update(
        original_amount=Decimal("20000000"), outstanding_amount=Decimal("20000000"), obligor_name=None
    )
    _disputed(rows, 8)
    data = receivable_data(rows)
    single = largest_obligor_share(data["pool"])
    assert (single.basis, single.text) == ("eligible_pool", "15.38%")

    assert found(data, "CONC-SIGNIFICANT") == [
        (
            B,
            "assets.concentration",
            "Obligor group G000 holds 15.38% of the pool (eligible pool, share of outstanding balance; "
            "disclosure from 15%): give its name in the tape (obligor_name) and disclose its business, "
            "financial statements and credit standing in the filing report.",
        ),
    ]


def test_conc_significant_ignores_an_obligor_left_out_of_the_eligible_pool():
    # G019 (50m, unnamed) is 20.8 % of the whole tape, but its receivable is disputed: not transferred.
    rows = receivable_rows()
    rows[-1].update(
        original_amount=Decimal("50000000"), outstanding_amount=Decimal("50000000"), obligor_name=None
    )
    _disputed(rows, 1)

    assert found(receivable_data(rows), "CONC-SIGNIFICANT") == []


def test_conc_significant_on_a_pool_without_eligibility_names_the_whole_tape():
    data = _big_obligor(Decimal("0.25"), name=None)
    for key in ("eligible_overview", "pool_checks"):
        data["pool"].pop(key)

    assert found(data, "CONC-SIGNIFICANT") == [
        (
            B,
            "assets.concentration",
            "Obligor group G000 holds 20% of the pool (whole tape (every active asset), share of outstanding "
            "balance; disclosure from 15%): give its name in the tape (obligor_name) and disclose its "
            "business, financial statements and credit standing in the filing report.",
        ),
    ]


def test_conc_top5_passes_a_spread_pool():
    assert found(receivable_data(), "CONC-TOP5") == []


def test_conc_top5_blocks_five_obligors_above_seventy_percent():
    rows = receivable_rows()
    for row in rows[:5]:  # 5 × 80m and 15 × 10m: each big one 14.5 %, together 72.7 %
        row.update(original_amount=Decimal("80000000"), outstanding_amount=Decimal("80000000"))

    assert found(receivable_data(rows), "CONC-TOP5") == [
        (
            B,
            "assets.concentration",
            "The five largest obligor groups hold 72.73% (eligible pool, share of outstanding "
            "balance); the limit is 70%. Spread the pool over more obligors.",
        ),
    ]
    assert found(receivable_data(rows), "CONC-TOP5", criteria_with({"pool": {"max_top5_share": 0.75}})) == []


def test_conc_groups_passes_twenty_obligors():
    assert found(receivable_data(), "CONC-GROUPS") == []


def test_conc_groups_blocks_fewer_than_ten_obligor_groups():
    rows = receivable_rows()
    for i, row in enumerate(rows):
        row["obligor_group_id"] = f"G{i % 8:03d}"

    assert found(receivable_data(rows), "CONC-GROUPS") == [
        (B, "assets.concentration", "The pool has 8 unrelated obligor groups; at least 10 are required.")
    ]


def test_conc_neff_passes_twenty_equal_obligors():
    assert found(receivable_data(), "CONC-NEFF") == []


def test_conc_neff_warns_of_a_concentrated_pool():
    rows = receivable_rows()
    for i, row in enumerate(rows):
        row["obligor_group_id"] = f"G{i % 8:03d}"

    assert found(receivable_data(rows), "CONC-NEFF") == [
        (
            W,
            "assets.concentration",
            "The pool behaves like 7.7 equal obligors (below 20 is concentrated, below 10 "
            "highly concentrated): disclose the concentration risk.",
        ),
    ]


def test_conc_asset_warns_under_the_default_granularity_guide_only():
    assert found(receivable_data(), "CONC-ASSET", RECEIVABLE_PROFILE) == []
    assert found(receivable_data(), "CONC-ASSET") == [
        (
            W,
            "assets.concentration",
            "The largest single asset is 5% of the pool (guide 0.1%): explain why the pool "
            "is granular enough, or disclose the largest assets.",
        ),
    ]


def test_conc_industry_province_and_related_warn_above_their_guides():
    rows = receivable_rows()
    for i, row in enumerate(rows):
        row.update(industry_code="C34", region_code="310115", related_party=i < 5)
    data = receivable_data(rows)
    assert [
        found(receivable_data(), code, RECEIVABLE_PROFILE)
        for code in ("CONC-INDUSTRY", "CONC-PROVINCE", "CONC-RELATED")
    ] == [[], [], []]

    assert found(data, "CONC-INDUSTRY", RECEIVABLE_PROFILE) == [
        (
            W,
            "assets.concentration",
            "The largest industry section holds 100% of the pool (guide 50%): disclose the "
            "industry risk and how it is mitigated.",
        ),
    ]
    assert found(data, "CONC-PROVINCE", RECEIVABLE_PROFILE) == [
        (
            W,
            "assets.concentration",
            "The largest province holds 100% of the pool (guide 50%): disclose the regional concentration.",
        ),
    ]
    assert found(data, "CONC-RELATED", RECEIVABLE_PROFILE) == [
        (
            W,
            "assets.concentration",
            "Assets owed by related parties make up 25% of the pool (guide 20%): disclose "
            "the related parties and show the transactions are genuine and fairly priced.",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Eligibility
# ---------------------------------------------------------------------------------------------


def test_eligibility_passes_an_all_eligible_tape():
    assert found(receivable_data(), "ELIG-EXCEPTIONS") == []


def test_eligibility_warns_of_each_reason_assets_are_excluded():
    rows = receivable_rows()
    rows[0]["days_past_due"] = 10
    rows[1].update(days_past_due=5, disputed=True)

    assert found(receivable_data(rows), "ELIG-EXCEPTIONS") == [
        (
            W,
            "assets.eligibility.disputed",
            "1 assets (CNY 10,000,000.00, 5% of the tape) are disputed. They are "
            "excluded from the pool to be transferred: remove them from the tape or "
            "explain the exception.",
        ),
        (
            W,
            "assets.eligibility.overdue",
            "2 assets (CNY 20,000,000.00, 10% of the tape) are overdue at the "
            "cut-off date. They are excluded from the pool to be transferred: remove "
            "them from the tape or explain the exception.",
        ),
    ]


def test_eligibility_blocks_a_tape_without_any_eligible_asset():
    rows = receivable_rows()
    for row in rows:
        row["transferable"] = False

    assert found(receivable_data(rows), "ELIG-EXCEPTIONS")[0] == (
        B,
        "assets.eligibility",
        "None of the 20 assets on the tape meets the eligibility criteria: there is no pool to transfer.",
    )


def test_toll_pledge_passes_an_unpledged_toll_right():
    assert found(passing_data(), "ELIG-PLEDGE") == []


def test_toll_pledge_blocks_a_pledge_not_released():
    data = passing_data()
    data["pool"] = toll_pool(pledged=True)

    assert found(data, "ELIG-PLEDGE") == [
        (
            B,
            "assets.toll.R001",
            "Toll asset R001 is pledged and the pledge is not released at transfer: arrange the "
            "release (and its 中登网 registration) before filing.",
        ),
    ]


def test_toll_escrow_warns_of_quarterly_collection():
    data = passing_data()
    data["pool"] = toll_pool(escrow="quarterly")

    assert found(passing_data(), "ELIG-ESCROW") == []
    assert found(data, "ELIG-ESCROW") == [
        (
            W,
            "assets.toll.R001",
            "Revenue of toll asset R001 is collected to escrow quarterly; the criteria profile "
            "expects daily, weekly, monthly.",
        ),
    ]


def test_toll_operating_blocks_a_road_open_for_less_than_two_years():
    data = passing_data()
    data["pool"] = toll_pool(operating_since="2025-06-30")

    assert found(passing_data(), "ELIG-OPERATING") == []
    assert found(data, "ELIG-OPERATING") == [
        (B, "assets.toll.R001", "Toll asset R001 has operated 1.2 years; at least 2 are required.")
    ]


# ---------------------------------------------------------------------------------------------
# Income rights: toll period, history
# ---------------------------------------------------------------------------------------------


def test_toll_period_passes_a_toll_period_long_after_the_legal_final():
    assert found(passing_data(), "TOLL-PERIOD") == []


def test_toll_period_blocks_a_toll_period_ending_within_twelve_months_of_the_legal_final():
    data = passing_data()
    data["pool"] = toll_pool(toll_end=dt.date(2031, 6, 30))

    assert found(data, "TOLL-PERIOD") == [
        (
            B,
            "structure.tranches",
            "The toll period ends on 30 Jun 2031, but it must run at least 12 months past the "
            "legal final maturity (31 Dec 2030), i.e. to 31 Dec 2031. Shorten the tranches' "
            "legal final maturity or document an extension of the toll period.",
        ),
    ]


def test_toll_period_uses_the_latest_tranche_and_the_profiles_months():
    data = passing_data()  # the toll period ends on 2040-06-29
    data["tranches"][1]["legal_final_maturity"] = "2039-06-30"

    assert [field for _s, field, _m in found(data, "TOLL-PERIOD")] == ["structure.tranches"]
    profile = criteria_with({"income_right": {"min_toll_months_after_legal_final": 6}})
    assert found(data, "TOLL-PERIOD", profile) == []


def test_toll_period_asks_for_the_toll_period_end():
    data = passing_data()
    data["pool"]["income"]["toll_period_end"] = None
    del data["pool"]["income_eligibility"]

    assert found(data, "TOLL-PERIOD") == [
        (
            B,
            "assets.tape",
            "The toll period end is not known: give toll_period_end for every toll asset in the "
            "asset master.",
        ),
    ]


def test_toll_period_falls_back_on_the_stored_eligibility_check():
    data = passing_data()
    data["pool"] = toll_pool(toll_end=dt.date(2031, 6, 30))
    data["pool"]["income"]["toll_period_end"] = None  # only the eligibility check's month count is left

    assert found(data, "TOLL-PERIOD") == [
        (
            B,
            "structure.tranches",
            "The toll period ends 6 months after the legal final maturity; at least 12 are required. Shorten "
            "the tranches' legal final maturity or document an extension of the toll period.",
        )
    ]


def test_history_passes_four_years():
    assert found(passing_data(), "HIST-LENGTH") == []


def test_history_warns_below_the_target_and_blocks_below_the_minimum():
    data = passing_data()
    data["pool"] = toll_pool(history_months=30)
    assert found(data, "HIST-LENGTH") == [
        (
            W,
            "assets.history",
            "30 months of revenue history are imported; 36 are expected. Import the longer "
            "history or explain why it is not available.",
        ),
    ]

    data["pool"] = toll_pool(history_months=20)
    assert found(data, "HIST-LENGTH") == [
        (
            B,
            "assets.history",
            "Only 20 months of revenue history are imported; at least 24 are required (36 expected).",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Stability and coverage bands
# ---------------------------------------------------------------------------------------------


def _set_stability(data: dict, metric: str, value: float | None) -> None:
    pool = data["pool"]
    entries = pool["income"]["stability"] if "income" in pool else pool["stability"]
    entry = next((e for e in entries if e["check"] == metric), None)
    if entry is None:
        entries.append({"check": metric, "value": value})
    else:
        entry["value"] = value


# code, metric, amber value, red value, whether red blocks, a toll (True) or receivable filing
STABILITY_CASES = [
    ("STAB-CV", "revenue_cv", 0.2, 0.35, False, True),
    ("STAB-MIN-MEAN", "min_to_mean", 0.6, 0.4, False, True),
    ("STAB-DRAWDOWN", "max_drawdown_t12", 0.2, 0.3, False, True),
    ("STAB-YOY", "yoy_growth", -0.05, -0.2, False, True),
    ("STAB-COVERAGE", "min_coverage_base", 1.25, 1.1, True, True),
    ("STAB-STRESS", "min_coverage_stress_20", 0.95, 0.8, True, True),
    ("STAB-DSCR", "min_dscr", 1.25, 1.1, True, True),
    ("STAB-NCF-DS", "ncf_to_debt_service", 1.2, 1.0, True, True),
    ("STAB-OC", "oc_ratio", 1.07, 1.0, True, False),
    ("STAB-COLLECTION", "collection_ratio_12m", 0.96, 0.9, False, False),
    ("STAB-DQ90", "dq90_balance", 0.02, 0.05, False, False),
    ("STAB-DILUTION", "dilution_ratio_12m", 0.03, 0.08, False, False),
]


@pytest.mark.parametrize(("code", "metric", "amber", "red", "hard", "toll"), STABILITY_CASES)
def test_each_stability_rule_passes_green_warns_amber_and_blocks_red_only_for_ability_to_pay(
    code, metric, amber, red, hard, toll
):
    data = passing_data() if toll else receivable_data()
    profile = DEFAULT_CRITERIA if toll else RECEIVABLE_PROFILE
    _set_stability(data, metric, DEFAULT_CRITERIA["stability"][metric]["green"])
    assert found(data, code, profile) == []

    _set_stability(data, metric, amber)
    assert [(s, f) for s, f, _m in found(data, code, profile)] == [(W, "assets.stability")]

    _set_stability(data, metric, red)
    assert [(s, f) for s, f, _m in found(data, code, profile)] == [(B if hard else W, "assets.stability")]


def test_stability_messages_name_the_metric_its_value_and_the_bands():
    data = passing_data()
    _set_stability(data, "min_coverage_base", 1.1)
    _set_stability(data, "revenue_cv", 0.2)

    assert found(data, "STAB-COVERAGE") == [
        (
            B,
            "assets.stability",
            "The minimum coverage of senior debt service is 1.10x (red): at least 1.30x is "
            "expected and beyond 1.20x is red. Explain the cause and how the structure absorbs "
            "it, or strengthen the structure.",
        ),
    ]
    assert found(data, "STAB-CV") == [
        (
            W,
            "assets.stability",
            "The coefficient of variation of monthly cash flow is 0.20 (amber): at most 0.15 is "
            "expected and beyond 0.30 is red. Explain the cause and how the structure absorbs "
            "it, or strengthen the structure.",
        ),
    ]


def test_stability_bands_come_from_the_profile():
    data = passing_data()
    _set_stability(data, "min_dscr", 1.25)
    profile = criteria_with({"stability": {"min_dscr": {"green": 1.2, "red": 1.1}}})

    assert found(data, "STAB-DSCR", profile) == []
    assert len(found(data, "STAB-DSCR")) == 1


def test_stability_rules_read_a_real_weak_toll_forecast():
    data = passing_data()
    data["pool"] = toll_pool(forecast_ncf=8_000_000)  # 24m a quarter for 20m of senior debt service

    assert {
        code: [s for s, _f, _m in found(data, code)]
        for code in ("STAB-COVERAGE", "STAB-STRESS", "STAB-DSCR", "STAB-NCF-DS")
    } == {
        "STAB-COVERAGE": [W],
        "STAB-STRESS": [B],
        "STAB-DSCR": [W],
        "STAB-NCF-DS": [W],
    }


def test_toll_coverage_must_be_computable():
    data = passing_data()
    _set_stability(data, "min_coverage_base", None)

    assert found(data, "STAB-COVERAGE") == [
        (
            B,
            "assets.forecast",
            "Coverage of senior debt service cannot be computed: import the cash-flow forecast "
            "and the senior debt-service schedule.",
        ),
    ]


def test_pool_metrics_are_not_asked_of_toll_income_and_vice_versa():
    data = passing_data()
    _set_stability(data, "oc_ratio", 0.5)
    receivables = receivable_data()
    _set_stability(receivables, "revenue_cv", 0.9)

    assert found(data, "STAB-OC") == []
    assert found(receivables, "STAB-CV", RECEIVABLE_PROFILE) == []
