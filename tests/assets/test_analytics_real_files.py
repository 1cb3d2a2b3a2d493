"""Pool and income-right metrics on real files, pinned to abs-data.md §3 / §6.8 and to independent sums."""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from assets.analytics import income_right_metrics, performance_by_cutoff, pool_overview, pool_report
from assets.criteria import criteria_with
from tests.assets.fixtures import real
from tests.assets.fixtures.real import needs_real_files

pytestmark = needs_real_files


def concentration(amounts: dict[str, float]) -> tuple[float, float, float]:
    """HHI, top-1 and top-10 shares, computed here without the engine."""
    total = sum(amounts.values())
    shares = sorted((a / total for a in amounts.values()), reverse=True)
    return sum(s * s for s in shares), shares[0], sum(shares[:10])


def test_cmbs_first_report_concentration_matches_the_research_note():
    _, rows = real.cmbs(first_report_only=True)
    with real.CMBS.open(newline="") as handle:
        first = [r for r in csv.DictReader(handle) if r["reportingPeriodEndDate"] == "2017-07-11"]
    hhi, top1, top10 = concentration(
        {r["loanID"]: float(r["reportPeriodEndActualBalanceAmount"]) for r in first}
    )

    overview = pool_overview(rows)

    assert overview["asset_count"] == 58
    assert (
        round(overview["hhi"], 4),
        round(overview["top1_share"], 4),
        round(overview["top10_share"], 3),
    ) == (
        0.0278,
        0.0601,
        0.418,
    )
    assert round(overview["n_eff"], 1) == 36.0
    assert (overview["hhi"], overview["top1_share"], overview["top10_share"]) == (
        round(hhi, 6),
        round(top1, 6),
        round(top10, 6),
    )
    balance = [float(r["reportPeriodEndActualBalanceAmount"]) for r in first]
    rates = [float(r["reportPeriodInterestRatePercentage"]) for r in first]
    assert overview["wac"] == round(sum(b * r for b, r in zip(balance, rates, strict=True)) / sum(balance), 6)


def test_cmbs_pool_factor_and_delinquency_at_the_last_report():
    _, rows = real.cmbs(first_report_only=False)
    with real.CMBS.open(newline="") as handle:
        source = list(csv.DictReader(handle))
    securitised = sum(
        Decimal(r["scheduledPrincipalBalanceSecuritizationAmount"])
        for r in source
        if r["reportingPeriodEndDate"] == "2017-07-11"
    )
    last = [r for r in source if r["reportingPeriodEndDate"] == "2026-03-11"]
    balance = {
        r["loanID"]: float(r["reportPeriodEndActualBalanceAmount"] or 0) for r in last
    }  # blank: liquidated
    last_total = sum(balance.values())
    late = sum(balance[r["loanID"]] for r in last if r["paymentStatusLoanCode"] in {"B", "1", "2", "3"})
    ninety = sum(balance[r["loanID"]] for r in last if r["paymentStatusLoanCode"] == "3")

    history = {p["cutoff_date"]: p for p in performance_by_cutoff(rows, initial_balance=securitised)}

    assert len(history) == 105
    assert round(history["2017-07-11"]["pool_factor"], 4) == 0.9994
    assert round(history["2026-03-11"]["pool_factor"], 4) == 0.7427
    assert history["2026-03-11"]["dq1_balance_share"] == round(late / last_total, 6)  # status B, 1, 2 or 3
    assert round(history["2026-03-11"]["dq91_balance_share"], 4) == 0.0291  # status 3 (90+ days)
    assert history["2026-03-11"]["dq91_balance_share"] == round(ninety / last_total, 6)


def test_ibm_receivables_eligibility_excludes_the_561_disputed_invoices():
    _, rows = real.ibm()
    with real.IBM.open(newline="") as handle:
        source = list(csv.DictReader(handle))
    cutoff = dt.date(2014, 1, 31)

    def day(text: str) -> dt.date:
        month, d, year = (int(x) for x in text.split("/"))
        return dt.date(year, month, d)

    overdue = {s["invoiceNumber"] for s in source if int(s["DaysLate"]) > 0}
    disputed = {s["invoiceNumber"] for s in source if s["Disputed"] == "Yes"}
    too_old = {s["invoiceNumber"] for s in source if (cutoff - day(s["InvoiceDate"])).days > 365}
    eligible = [s for s in source if s["invoiceNumber"] not in overdue | disputed | too_old]
    usd_allowed = criteria_with({"asset": {"allowed_currencies": ["CNY", "USD"]}})

    report = pool_report(rows, asset_class="trade_receivable", criteria=usd_allowed)

    eligibility = report["eligibility"]
    assert {code: entry["count"] for code, entry in eligibility["reasons"].items()} == {
        "disputed": 561,
        "overdue": 877,
        "ageing_too_long": len(too_old),
    }
    assert eligibility["eligible_count"] == len(eligible)
    assert eligibility["eligible_outstanding"] == str(sum(Decimal(s["InvoiceAmount"]) for s in eligible))
    by_customer: dict[str, float] = defaultdict(float)
    for s in source:
        by_customer[s["customerID"]] += float(s["InvoiceAmount"])
    hhi, top1, _ = concentration(by_customer)
    assert (
        report["overview"]["obligor_group_count"],
        report["overview"]["hhi"],
        report["overview"]["top1_share"],
    ) == (
        100,
        round(hhi, 6),
        round(top1, 6),
    )
    assert report["pool_checks"]["blocking"] is False


def test_ibm_in_the_default_profile_fails_on_currency():
    _, rows = real.ibm()

    report = pool_report(rows, asset_class="trade_receivable")

    assert report["eligibility"]["reasons"]["currency"]["count"] == 2466  # USD invoices, CNY-only profile
    assert report["eligibility"]["eligible_count"] == 0


def station_revenue(year: str, station: str) -> list[float]:
    """Monthly TOTAL revenue of one station read straight from the sheet (the station's second column)."""
    sheet = (
        CalamineWorkbook.from_path(str(real.PARAGUAY))
        .get_sheet_by_name(year)
        .to_python(skip_empty_area=False)
    )
    names = [str(cell).replace(" ", "").replace(".", "") for cell in sheet[2]]
    column = names.index(station.replace(" ", "").replace(".", "")) + 1
    return [float(row[column]) for row in sheet if len(row) > 2 and row[2] == "TOTAL" and row[column] != ""]


@pytest.mark.parametrize(
    ("year", "station", "documented_cv"),
    [
        ("2019", "REMANSO", 0.183),
        ("2019", "CAAPUCU", 0.189),
        ("2019", "CNEL.BOGADO", 0.129),
        ("2019", "ITA", 0.096),
        ("2019", "POZO COLORADO", 0.075),
        ("2019", "EMBOSCADA", 0.323),
        ("2020", "REMANSO", 0.211),
        ("2020", "CAAPUCU", 0.372),
        ("2020", "CNEL. BOGADO", 0.334),
        ("2020", "ITA", 0.196),
        ("2020", "POZO COLORADO", 0.163),
        ("2020", "EMBOSCADA", 0.170),
        ("2020", "LUQUE-SAN BERNARDINO", 0.435),
    ],
)
def test_paraguay_station_revenue_cv_matches_the_research_note(year, station, documented_cv):
    _, rows = real.paraguay(year, station)
    values = station_revenue(year, station)

    revenue = income_right_metrics(rows)["revenue"]

    assert revenue["months"] == len(values) == 12
    assert revenue["cv"] == round(statistics.stdev(values) / statistics.fmean(values), 6)
    assert round(revenue["cv"], 3) == documented_cv


def test_luque_2020_worst_month_is_a_fifth_of_the_mean():
    _, rows = real.paraguay("2020", "LUQUE-SAN BERNARDINO")

    assert round(income_right_metrics(rows)["revenue"]["min_to_mean"], 2) == 0.21


def test_ita_two_years_show_the_2020_shock():
    rows = real.paraguay("2019", "ITA")[1] + real.paraguay("2020", "ITA")[1]
    values = station_revenue("2019", "ITA") + station_revenue("2020", "ITA")
    trailing = [sum(values[i - 11 : i + 1]) for i in range(11, 24)]
    peak_drop = max((max(trailing[: i + 1]) - t) / max(trailing[: i + 1]) for i, t in enumerate(trailing))
    index = {m: (values[m] + values[m + 12]) / 2 / statistics.fmean(values) for m in range(12)}
    adjusted = [v / index[i % 12] for i, v in enumerate(values)]

    metrics = income_right_metrics(rows)

    assert metrics["revenue"]["months"] == 24
    assert metrics["revenue"]["max_drawdown_t12"] == round(peak_drop, 6)
    assert metrics["revenue"]["cv_seasonally_adjusted"] == round(
        statistics.stdev(adjusted) / statistics.fmean(adjusted), 6
    )
    assert metrics["annual_revenue"]["last_yoy_growth"] == round(sum(values[12:]) / sum(values[:12]) - 1, 6)
    # The sheets' own TOTAL ANUAL rows agree with the monthly sums.
    assert metrics["annual_revenue"]["totals"] == {"2019": "25993905000.00", "2020": "24232410000.00"}
    assert {c["check"]: c["band"] for c in metrics["stability"] if c["band"]} == {
        "revenue_cv": "green",  # 0.104 once the season is removed (raw 0.152)
        "min_to_mean": "amber",  # April 2020 at 0.53 of the mean
        "max_drawdown_t12": "green",  # 7.7 %
        "yoy_growth": "amber",  # −6.8 % in 2020
    }


def test_antt_plaza_traffic_through_2020():
    _, rows = real.antt_plaza()
    with real.ANTT.open(encoding="latin-1", newline="") as handle:
        volumes = [
            float(r["volume_total"])
            for r in csv.DictReader(handle, delimiter=";")
            if r["praca"].startswith("Praça 01 BR-381")
            and r["sentido"] == "Crescente"
            and r["categoria"] == "Categoria 1"
            and r["tipo_de_veiculo"] == "Passeio"
        ]

    revenue = income_right_metrics(rows)["revenue"]

    assert revenue["cv"] == round(statistics.stdev(volumes) / statistics.fmean(volumes), 6)
    assert revenue["min_to_mean"] == round(min(volumes) / statistics.fmean(volumes), 6)  # April 2020
