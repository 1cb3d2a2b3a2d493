"""Historical performance (动态池) of receivable and lease pools: the metrics, the import and real data."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from assets.analytics.performance import performance_summary
from assets.analytics.report import pool_stability_checks
from assets.models import AssetPool, PeriodRow
from assets.tape import get_schema
from assets.tape.templates import template_csv, template_xlsx
from tests.assets.fixtures.real import CMBS, needs_real_files
from tests.assets.fixtures.tapes import tape_csv
from tests.assets.test_services import run


def hand_series() -> list[dict[str, str]]:
    """13 months, 2024-12 … 2025-12; the first month lies outside the 12-month window."""
    rows = []
    for i, period in enumerate(["2024-12", *(f"2025-{m:02d}" for m in range(1, 13))]):
        june, december = period == "2025-06", period == "2025-12"
        rows.append(
            {
                "period": period,
                "opening_balance": "1000",
                "scheduled_due": "100",
                "collected": "50" if i == 0 else "90" if december else "98",
                "dq30_balance": "80" if june else "50",
                "dq60_balance": "40" if june else "20",
                "dq90_balance": "30" if june else "10",
                "defaulted_amount": "0" if i == 0 else "10" if december else "5",
                "recoveries": "0" if i == 0 else "2",
                "dilution_amount": "0" if i == 0 else "3",
                "originated_amount": "0" if december else "100",
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# The metrics, by hand
# ---------------------------------------------------------------------------------------------


def test_summary_figures_of_a_hand_made_series_match_the_hand_calculation():
    summary = performance_summary(hand_series())
    figures = {key: value for key, value in summary.items() if key != "monthly"}
    assert figures == {
        "months": 13,
        "first_period": "2024-12",
        "last_period": "2025-12",
        "window_months": 12,
        "collection_ratio_12m": 0.973333,  # (11 × 98 + 90) / (12 × 100); 2024-12 (50 %) is outside
        "latest_dq30_share": 0.05,
        "latest_dq60_share": 0.02,
        "latest_dq90_share": 0.01,
        "max_dq30_share": 0.08,  # June
        "max_dq60_share": 0.04,
        "max_dq90_share": 0.03,
        "cumulative_default_rate": 0.065,  # (11 × 5 + 10) / 1000
        "cdr_12m": 0.063098,  # 1 − (1 − 0.065 / 12)^12
        "dilution_ratio_12m": 0.03,  # December has no originations and no ratio
        "recovery_rate": 0.369231,  # 24 / 65
        "dso_days": 331.818182,  # 1000 / 1100 × 365
    }


def test_monthly_rows_carry_each_months_ratios():
    months = performance_summary(hand_series())["monthly"]
    assert [m["period"] for m in months][:2] == ["2024-12", "2025-01"]
    december = months[-1]
    assert (december["collection_ratio"], december["mdr"], december["cdr"]) == (0.9, 0.01, 0.113615)
    assert (december["dilution_ratio"], december["recovery_ratio"], december["collected"]) == (
        None,
        0.2,
        "90.00",
    )
    january = months[1]
    assert (january["mdr"], january["cdr"], january["dilution_ratio"]) == (0.005, 0.058377, 0.03)
    assert months[0]["recovery_ratio"] is None  # no defaults, no ratio


def test_stability_bands_use_the_history_when_given_and_the_tape_otherwise():
    overview = {"total_outstanding": "1000", "dq91_balance_share": 0.05, "dilution_ratio": 0.001}
    without = {c["check"]: (c["value"], c["band"]) for c in pool_stability_checks(overview)}
    assert without == {
        "oc_ratio": (None, None),
        "dq90_balance": (0.05, "red"),
        "dilution_ratio_12m": (0.001, "green"),
    }
    history = performance_summary(hand_series())
    with_history = {
        c["check"]: (c["value"], c["band"], c.get("source"))
        for c in pool_stability_checks(overview, history=history)
    }
    assert with_history == {
        "oc_ratio": (None, None, None),
        "collection_ratio_12m": (0.973333, "amber", "history"),
        "dq90_balance": (0.01, "green", "history"),
        "dilution_ratio_12m": (0.03, "amber", "history"),
    }


# ---------------------------------------------------------------------------------------------
# Templates and import
# ---------------------------------------------------------------------------------------------


def test_templates_offer_the_performance_table_in_chinese_and_as_an_xlsx_sheet():
    header = template_csv("finance_lease", "performance", "zh").decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[:4] == ["月份", "期初余额", "当期应收", "当期实收"]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_xlsx("trade_receivable", "zh")))
    assert workbook.sheetnames == ["资产信息", "历史表现（动态池）", "填写说明"]
    with pytest.raises(ValueError):
        get_schema("toll_income", "performance")


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_valid_performance_table_is_stored_and_feeds_the_pool_analytics(receivable_filing, preparer):
    job = run(
        receivable_filing.pool, tape_csv(hand_series(), kind="performance"), by=preparer, kind="performance"
    )
    assert (job.outcome, job.is_current, job.rows_stored) == ("accepted", True, 13)
    assert [w["code"] for w in job.result["warnings"]] == ["performance_history_short"]  # 13 < 24 months
    assert PeriodRow.objects.filter(tape=job, kind="performance").count() == 13
    analytics = AssetPool.objects.get(pk=receivable_filing.pool_id).analytics
    assert analytics["performance_history"]["collection_ratio_12m"] == 0.973333
    assert {c["check"]: c["band"] for c in analytics["stability"]} == {
        "collection_ratio_12m": "amber",
        "dq90_balance": "green",
        "dilution_ratio_12m": "amber",
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_broken_rows_are_reported_with_row_column_value_and_reason(receivable_filing, preparer):
    rows = hand_series()
    rows[2]["dq90_balance"] = "25"  # above DQ60+ (20)
    rows[4]["collected"] = "-5"
    rows[5]["collected"] = "1200"  # more than 1000 opening + 100 originated
    job = run(receivable_filing.pool, tape_csv(rows, kind="performance"), by=preparer, kind="performance")
    assert (job.outcome, job.rows_stored) == ("refused", 0)
    errors = sorted((e["row"], e["column"], e["value"], e["code"]) for e in job.result["errors"])
    assert errors == [
        (4, "dq90_balance", "25", "performance_bucket_exceeds"),
        (6, "collected", "-5", "below_minimum"),
        (7, "collected", "1200", "collected_exceeds_available"),
    ]
    assert not PeriodRow.objects.filter(pool=receivable_filing.pool).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_gap_in_the_months_is_refused(receivable_filing, preparer):
    rows = [r for r in hand_series() if r["period"] not in ("2025-03", "2025-04")]
    job = run(receivable_filing.pool, tape_csv(rows, kind="performance"), by=preparer, kind="performance")
    assert job.outcome == "refused"
    assert [(e["code"], e["params"]) for e in job.result["errors"]] == [
        ("period_gap", {"asset": "—", "first_missing": "2025-03", "last_missing": "2025-04"})
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_fewer_than_twelve_months_are_refused(receivable_filing, preparer):
    job = run(
        receivable_filing.pool,
        tape_csv(hand_series()[:11], kind="performance"),
        by=preparer,
        kind="performance",
    )
    assert [e["code"] for e in job.result["errors"]] == ["history_too_short"]


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_pool_page_shows_the_history_figures(client, receivable_filing, preparer):
    run(receivable_filing.pool, tape_csv(hand_series(), kind="performance"), by=preparer, kind="performance")
    client.force_login(preparer)
    page = client.get(reverse("filings:pool", args=[receivable_filing.reference])).content.decode()
    assert "历史表现（动态池）" in page  # the page speaks the regulator's language by default
    assert "97.33%" in page  # 12-month collection ratio
    assert "331.8" in page  # DSO in days
    assert page.count('<tr class="perf-month">') == 13
    assert page.count('<figure class="chart"><svg') >= 2  # collection ratio, then delinquency


# ---------------------------------------------------------------------------------------------
# Real data: 58 CMBS loans × 105 monthly reports aggregated into a monthly performance table
# ---------------------------------------------------------------------------------------------

DQ = {"dq30_balance": {"1", "2", "3"}, "dq60_balance": {"2", "3"}, "dq90_balance": {"3"}}


def _cmbs_rows() -> list[dict[str, str]]:
    with CMBS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _money(text: str) -> Decimal:
    return Decimal(text or "0")


def cmbs_performance_csv(source: list[dict[str, str]]) -> bytes:
    """One row per reporting month: balances at the start of the period, collections by current loans."""
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    previous: dict[str, str] = {}
    for row in sorted(source, key=lambda r: r["reportingPeriodEndDate"]):
        month = months[row["reportingPeriodEndDate"][:7]]
        balance, status = (
            _money(row["reportPeriodBeginningScheduleLoanBalanceAmount"]),
            row["paymentStatusLoanCode"],
        )
        month["opening_balance"] += balance
        month["scheduled_due"] += _money(row["totalScheduledPrincipalInterestDueAmount"])
        if status == "0":
            month["collected"] += _money(row["scheduledInterestAmount"]) + _money(
                row["scheduledPrincipalAmount"]
            )
        month["prepaid_amount"] += _money(row["unscheduledPrincipalCollectedAmount"])
        for name, codes in DQ.items():
            month[name] += balance if status in codes else 0
        if status == "3" and previous.get(row["loanID"]) != "3":
            month["defaulted_amount"] += balance
        previous[row["loanID"]] = status
    buffer = io.StringIO()
    columns = [c.name for c in get_schema("finance_lease", "performance").columns]
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="0")
    writer.writeheader()
    for period, amounts in sorted(months.items()):
        writer.writerow({"period": period, **{k: str(v) for k, v in amounts.items()}})
    return buffer.getvalue().encode()


@needs_real_files
@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_cmbs_monthly_reports_aggregate_into_a_performance_table_with_the_source_figures(preparer):
    from tests.assets.conftest import make_filing

    filing = make_filing(preparer, "finance_lease", "CMBS 动态池")
    source = _cmbs_rows()
    job = run(filing.pool, cmbs_performance_csv(source), by=preparer, kind="performance")
    assert (job.outcome, job.rows_stored) == ("accepted", 105)
    history = AssetPool.objects.get(pk=filing.pool_id).analytics["performance_history"]
    assert (history["first_period"], history["last_period"]) == ("2017-07", "2026-03")

    # Independently, from the loan rows: the last 12 reports and the last report.
    periods = sorted({r["reportingPeriodEndDate"] for r in source})
    window = [r for r in source if r["reportingPeriodEndDate"] in set(periods[-12:])]
    due = sum(_money(r["totalScheduledPrincipalInterestDueAmount"]) for r in window)
    paid = sum(
        _money(r["scheduledInterestAmount"]) + _money(r["scheduledPrincipalAmount"])
        for r in window
        if r["paymentStatusLoanCode"] == "0"
    )
    assert history["collection_ratio_12m"] == pytest.approx(float(paid / due), abs=1e-6)
    last = [r for r in source if r["reportingPeriodEndDate"] == "2026-03-11"]
    start = sum(_money(r["reportPeriodBeginningScheduleLoanBalanceAmount"]) for r in last)
    ninety = sum(
        _money(r["reportPeriodBeginningScheduleLoanBalanceAmount"])
        for r in last
        if r["paymentStatusLoanCode"] == "3"
    )
    assert history["latest_dq90_share"] == pytest.approx(float(ninety / start), abs=1e-6)
    assert history["latest_dq90_share"] == pytest.approx(0.0261, abs=1e-4)
    # abs-data.md quotes 2.91 % for status 3 at 2026-03-11 by the balance at the end of the period:
    end = [_money(r["reportPeriodEndActualBalanceAmount"]) for r in last]
    end_ninety = sum(b for b, r in zip(end, last, strict=True) if r["paymentStatusLoanCode"] == "3")
    assert float(end_ninety / sum(end)) == pytest.approx(0.0291, abs=5e-5)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_re_importing_the_asset_table_keeps_the_history_bands(receivable_filing, preparer, good_tape):
    from tests.assets.fixtures.tapes import receivables

    run(receivable_filing.pool, good_tape, by=preparer)
    run(receivable_filing.pool, tape_csv(hand_series(), kind="performance"), by=preparer, kind="performance")
    bands = AssetPool.objects.get(pk=receivable_filing.pool_id).analytics["stability"]
    assert [(c["check"], c.get("source")) for c in bands] == [
        ("oc_ratio", None),
        ("collection_ratio_12m", "history"),
        ("dq90_balance", "history"),
        ("dilution_ratio_12m", "history"),
    ]
    again = run(receivable_filing.pool, tape_csv(receivables(11)), by=preparer)
    assert again.outcome == "accepted"
    analytics = AssetPool.objects.get(pk=receivable_filing.pool_id).analytics
    assert analytics["overview"]["asset_count"] == 11
    assert {c["check"]: c["value"] for c in analytics["stability"]}["collection_ratio_12m"] == 0.973333
    assert analytics["performance_history"]["months"] == 13


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_upload_form_offers_the_performance_table_to_lease_pools_but_not_loans(client, preparer):
    from tests.assets.conftest import make_filing

    client.force_login(preparer)
    lease = make_filing(preparer, "finance_lease", "租赁 2026-1")
    page = client.get(reverse("filings:pool", args=[lease.reference])).content.decode()
    assert '<option value="performance">历史表现（动态池）</option>' in page
    template = client.get(reverse("filings:pool_template", args=[lease.reference, "performance", "csv"]))
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").startswith("月份,期初余额")


@pytest.mark.usefixtures("english")
def test_the_dossier_pool_chapter_shows_the_history():
    from filings.dossier.pool import pool_section

    section = pool_section(
        {"overview": {"asset_count": 1}, "performance_history": performance_summary(hand_series())}
    )
    pairs = {label: cell.text for label, cell in section["history"]["pairs"]}
    assert pairs["12-month collection ratio"] == "97.33%"
    assert pairs["Days sales outstanding"] == "331.8"
    assert len(section["history"]["table"].rows) == 13
    assert section["history"]["chart"].startswith("<svg")
    # Collection ratio and delinquency each on its own axis, so shares of a few per cent stay readable.
    assert re.findall(r">([0-9.]+%)<", str(section["history"]["chart"])) == [
        "0%",
        "25%",
        "50%",
        "75%",
        "100%",
    ]
    assert re.findall(r">([0-9.]+%)<", str(section["history"]["dq_chart"])) == [
        "0.0%",
        "2.0%",
        "4.0%",
        "6.0%",
        "8.0%",
    ]
    assert ">DQ30+<" in str(section["history"]["dq_chart"])
    assert ">DQ30+<" not in str(section["history"]["chart"])
    assert pool_section({"overview": {"asset_count": 1}})["history"] is None


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_demo_lease_filing_carries_36_months_of_green_performance(preparer):
    from desk.demo import import_demo_pool
    from tests.assets.conftest import make_filing

    filing = make_filing(preparer, "finance_lease", "演示租赁 2026-1")
    import_demo_pool(filing, preparer)
    analytics = AssetPool.objects.get(pk=filing.pool_id).analytics
    assert analytics["performance_history"]["months"] == 36
    assert {c["check"]: c["band"] for c in analytics["stability"] if c.get("source") == "history"} == {
        "collection_ratio_12m": "green",
        "dq90_balance": "green",
        "dilution_ratio_12m": "green",
    }
