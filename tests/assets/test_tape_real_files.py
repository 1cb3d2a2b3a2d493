"""The importer on real public files (shared/data/real, see SOURCES.md), checked with csv and calamine."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from tests.assets.fixtures import real
from tests.assets.fixtures.real import needs_real_files

pytestmark = needs_real_files


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_ibm_receivables_import_every_invoice_with_its_leading_zeros():
    result, rows = real.ibm()
    with real.IBM.open(newline="") as handle:
        source = list(csv.DictReader(handle))

    assert (result.ok, result.encoding, result.delimiter) == (True, "utf-8", ",")
    assert result.rows_valid == len(rows) == len(source) == 2466
    assert [r["asset_id"] for r in rows] == [s["invoiceNumber"] for s in source]
    assert rows[0]["invoice_no"] == "0000611365"
    assert len({r["obligor_id"] for r in rows}) == len({s["customerID"] for s in source}) == 100
    assert sum(r["outstanding_amount"] for r in rows) == sum(Decimal(s["InvoiceAmount"]) for s in source)
    assert sum(r["disputed"] for r in rows) == sum(s["Disputed"] == "Yes" for s in source) == 561
    assert rows[1]["invoice_date"] == dt.date(2013, 1, 26)  # "1/26/2013" read with the declared M/D/YYYY
    assert rows[1]["days_past_due"] == 6
    assert rows[1]["account_status"] == "arrears"  # derived from days late
    assert rows[1]["arrears_amount"] == Decimal("61.74")  # an overdue invoice is overdue in full


def test_ibm_late_share_is_35_6_percent():
    _, rows = real.ibm()

    late = sum(1 for r in rows if r["days_past_due"] > 0)

    assert (late, round(late / len(rows), 3)) == (877, 0.356)


def test_antt_file_is_latin1_semicolon_separated_with_35301_rows():
    result, rows = real.antt_plaza()
    with real.ANTT.open(encoding="latin-1", newline="") as handle:
        source = list(csv.DictReader(handle, delimiter=";"))

    assert (result.encoding, result.delimiter, result.headers[0]) == ("latin-1", ";", "concessionaria")
    assert result.rows_read == len(source) == 35301
    assert len({s["concessionaria"] for s in source}) == 21
    assert len({s["praca"] for s in source}) == 137
    assert result.rows_skipped == 35301 - 12  # include_rows keeps one plaza, direction and vehicle class
    assert [r["period"] for r in rows] == [f"2020-{m:02d}" for m in range(1, 13)]  # DD/MM/YYYY declared
    assert rows[0]["traffic_volume"] == 900968


def test_antt_single_year_is_below_the_history_minimum():
    result, _ = real.antt_plaza()

    assert [e.message for e in result.errors] == [
        "Asset —: 12 months of history given; at least 24 are required."
    ]


def test_paraguay_workbook_reads_one_station_from_two_header_rows_and_block_labels():
    result, rows = real.paraguay("2019", "ITA")
    sheet = (
        CalamineWorkbook.from_path(str(real.PARAGUAY))
        .get_sheet_by_name("2019")
        .to_python(skip_empty_area=False)
    )

    assert (result.file_format, result.sheet, result.header_row) == ("xlsx", "2019", 4)
    assert (result.rows_total, result.rows_read) == (73, 73)  # rows 5-77; known up front for progress bars
    assert "ITA Recaudación" in result.headers
    assert [w.code for w in result.warnings] == ["duplicate_header"]  # HORQUETA has two Recaudación columns
    assert [r["period"] for r in rows] == [f"2019-{m:02d}" for m in range(1, 13)]
    # Row numbers are Excel's: the January TOTAL row is row 10 (title row 2, headers rows 3-4, five classes).
    assert rows[0]["source_row"] == 10
    assert sheet[9][2] == "TOTAL"
    assert rows[0]["gross_revenue"] == Decimal(int(sheet[9][10]))  # column K: ITA Recaudación


def test_paraguay_station_that_opened_in_march_reports_its_empty_months():
    result, rows = real.paraguay("2019", "LUQUE-SAN BERNADRINO")  # spelled so in the 2019 sheet

    assert [(e.code, e.row, e.column) for e in result.errors] == [
        ("required", 10, "LUQUE-SAN BERNADRINO Recaudación"),
        ("required", 16, "LUQUE-SAN BERNADRINO Recaudación"),
        ("history_too_short", None, None),
    ]
    assert len(rows) == 10


def test_paraguay_2020_sheet_with_its_typos_reads_the_same_way():
    result, rows = real.paraguay("2020", "CNEL.BOGADO")  # header reads "CNEL. BOGADO" in 2020

    assert result.error_counts == {"history_too_short": 1}
    assert len(rows) == 12


def test_cmbs_first_report_has_58_loans():
    result, rows = real.cmbs(first_report_only=True)
    with real.CMBS.open(newline="") as handle:
        first = [r for r in csv.DictReader(handle) if r["reportingPeriodEndDate"] == "2017-07-11"]

    assert result.ok
    assert (result.rows_read, result.rows_valid, result.cutoff_dates) == (6090, 58, [dt.date(2017, 7, 11)])
    assert [r["asset_id"] for r in rows] == [f["loanID"] for f in first]
    assert sum(r["outstanding_amount"] for r in rows) == sum(
        Decimal(f["reportPeriodEndActualBalanceAmount"]) for f in first
    )


def test_cmbs_history_reports_the_blank_rows_of_liquidated_loans():
    result, _ = real.cmbs(first_report_only=False)
    with real.CMBS.open(newline="") as handle:
        source = list(csv.DictReader(handle))
    blank = [i + 2 for i, s in enumerate(source) if not s["paymentStatusLoanCode"]]

    assert len(result.cutoff_dates) == 105
    assert (result.rows_valid, result.rows_invalid) == (6090 - 211, 211)
    assert len(blank) == 211
    assert Counter((e.code, e.column) for e in result.errors) == Counter(
        {
            ("required", "maturityDate"): 211,
            ("required", "reportPeriodEndActualBalanceAmount"): 211,
            ("required", "paymentStatusLoanCode"): 211,
        }
    )
    assert sorted({e.row for e in result.errors}) == blank
