"""Toll income-right tables: asset master, monthly history, forecast and debt service."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from assets.tape import get_schema
from tests.assets.fixtures.tapes import example_row, import_rows, tape_csv


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def months(first: str, count: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def history(periods: list[str], **overrides: str) -> list[dict[str, str]]:
    return [example_row("toll_income", "history", period=p, **overrides) for p in periods]


def import_history(rows, **kwargs):
    return import_rows(
        tape_csv(rows, asset_class="toll_income", kind="history"),
        asset_class="toll_income",
        kind="history",
        **kwargs,
    )


def test_24_contiguous_months_import_and_net_cash_flow_is_derived():
    result, rows = import_history(history(months("2023-01", 24)))

    assert result.ok
    assert len(rows) == 24
    # 52 000 000 revenue − 9 000 000 opex − 2 600 000 taxes − 1 500 000 maintenance capex
    assert rows[0]["net_cash_flow"] == Decimal("38900000.00")


def test_a_given_net_cash_flow_is_kept():
    _, rows = import_history(history(months("2023-01", 24), net_cash_flow="(1,000.00)"))

    assert rows[0]["net_cash_flow"] == Decimal("-1000.00")


def test_missing_months_are_reported_as_ranges():
    periods = months("2023-01", 30)
    del periods[5:8]  # 2023-06 .. 2023-08
    del periods[12]

    result, _ = import_history(history(periods))

    assert [e.message for e in result.errors] == [
        "Asset —: months 2023-06 to 2023-08 are missing; monthly rows must be contiguous.",
        "Asset —: months 2024-04 to 2024-04 are missing; monthly rows must be contiguous.",
    ]


def test_a_month_given_twice_points_to_the_first_row():
    periods = months("2023-01", 24)
    periods.insert(3, "2023年2月")

    result, _ = import_history(history(periods))

    assert [(e.code, e.row, e.value) for e in result.errors] == [("duplicate_period", 5, "2023年2月")]


def test_fewer_than_24_months_is_too_short():
    result, rows = import_history(history(months("2024-01", 23)))

    assert [e.message for e in result.errors] == [
        "Asset —: 23 months of history given; at least 24 are required."
    ]
    assert len(rows) == 23  # rows were valid one by one; the caller rolls the import back


def test_months_are_checked_per_asset_when_the_history_names_assets():
    rows = history(months("2023-01", 24), asset_id="R001") + history(months("2023-03", 22), asset_id="R002")

    result, _ = import_history(rows)

    assert [e.message for e in result.errors] == [
        "Asset R002: 22 months of history given; at least 24 are required."
    ]


def test_a_month_without_revenue_is_a_warning_not_an_error():
    rows = history(months("2023-01", 24))
    rows[4]["gross_revenue"] = "0"

    result, _ = import_history(rows)

    assert result.ok
    assert [w.message for w in result.warnings] == [
        "Row 6, column gross_revenue: revenue is zero in 2023-05; state whether the asset was closed or "
        "the data is missing."
    ]


def test_forecast_net_cash_flow_is_derived_or_required():
    rows = [example_row("toll_income", "forecast", period=p) for p in months("2026-01", 3)]
    rows[2]["forecast_opex"] = ""

    result, imported = import_rows(
        tape_csv(rows, asset_class="toll_income", kind="forecast"), asset_class="toll_income", kind="forecast"
    )

    assert imported[0]["forecast_ncf"] == Decimal("40500000.00")
    assert [e.message for e in result.errors] == [
        "Row 4: give the forecast net cash flow or the forecast operating expenses."
    ]


def test_debt_service_dates_are_unique():
    rows = [example_row("toll_income", "debt_service"), example_row("toll_income", "debt_service")]

    result, _ = import_rows(
        tape_csv(rows, asset_class="toll_income", kind="debt_service"),
        asset_class="toll_income",
        kind="debt_service",
    )

    assert [(e.code, e.row) for e in result.errors] == [("duplicate_payment_date", 3)]


def test_toll_period_must_end_after_it_starts():
    row = example_row("toll_income", "assets", toll_period_end="2009-12-31")

    result, _ = import_rows(tape_csv([row], asset_class="toll_income"), asset_class="toll_income")

    assert [e.message for e in result.errors] == [
        "Row 2: the toll period ends (2009-12-31) before it starts (2010-06-30)."
    ]


def test_a_toll_workbook_gives_each_kind_its_sheet_by_chinese_or_english_name():
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, kind, count in (
        ("说明", None, 0),
        ("资产信息", "assets", 1),
        ("历史数据", "history", 24),
        ("forecast", "forecast", 12),
        ("偿债计划", "debt_service", 2),
    ):
        sheet = workbook.create_sheet(title)
        if kind is None:
            continue
        columns = get_schema("toll_income", kind).columns
        sheet.append([c.zh for c in columns])
        for i in range(count):
            row = example_row("toll_income", kind)
            if kind in ("history", "forecast"):
                row["period"] = months("2023-01" if kind == "history" else "2026-01", count)[i]
            if kind == "debt_service":
                row["payment_date"] = ["2026-06-30", "2026-12-31"][i]
            sheet.append([row[c.name] for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    found = {}
    for kind in ("assets", "history", "forecast", "debt_service"):
        result, rows = import_rows(data, asset_class="toll_income", kind=kind)
        assert result.ok, (kind, result.errors)
        found[kind] = (result.sheet, len(rows))

    assert found == {
        "assets": ("资产信息", 1),
        "history": ("历史数据", 24),
        "forecast": ("forecast", 12),
        "debt_service": ("偿债计划", 2),
    }
    _, master = import_rows(data, asset_class="toll_income", kind="assets")
    assert (master[0]["toll_period_end"], master[0]["pledged"]) == (dt.date(2040, 6, 29), False)
