"""Blank templates: what users download, fill in Excel or a text editor, and upload again."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from assets.tape import ASSET_CLASSES, SCHEMAS, column_guide, get_schema, template_csv, template_xlsx
from tests.assets.fixtures.tapes import import_rows

POOLS = ("trade_receivable", "finance_lease", "loan")


def test_every_column_has_a_chinese_and_an_english_header_and_aliases_are_unambiguous():
    for schema in SCHEMAS.values():  # building a Schema raises on an alias used by two columns
        for column in schema.columns:
            assert column.zh and column.en, column.name
            assert schema.match_header(column.zh) == column.name
            assert schema.match_header(column.en.upper()) == column.name


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("ＡＳＳＥＴ　ＩＤ", "asset_id"),
        ("Outstanding  Amount", "outstanding_amount"),
        ("未偿本金余额（元）", "outstanding_amount"),
        ("DAYS_PAST_DUE", "days_past_due"),
        ("days-past-due", "days_past_due"),
        ("逾期天数", "days_past_due"),
    ],
)
def test_headers_match_ignoring_case_spaces_underscores_width_and_a_unit_suffix(header, column):
    assert get_schema("trade_receivable").match_header(header) == column


@pytest.mark.parametrize("asset_class", POOLS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_csv_template_has_a_bom_the_headers_and_an_example_row(asset_class, language):
    data = template_csv(asset_class, language=language)

    assert data.startswith(b"\xef\xbb\xbf")  # so Excel opens the Chinese headers correctly
    header, example = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    columns = get_schema(asset_class).columns
    assert header == [c.zh if language == "zh" else c.en for c in columns]
    assert example == [c.example for c in columns]


def fill_csv(template: bytes, extra_rows: list[dict[str, str]]) -> bytes:
    """What a user does: keep the header and the example, add rows below."""
    text = template.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    buffer.write(text)
    writer = csv.writer(buffer)
    for row in extra_rows:
        writer.writerow([row.get(h, "") for h in header])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def user_rows(asset_class: str, language: str) -> list[dict[str, str]]:
    columns = get_schema(asset_class).columns
    head = {c.name: (c.zh if language == "zh" else c.en) for c in columns}
    base = {head[c.name]: c.example for c in columns}
    first = {
        **base,
        head["asset_id"]: "A0002",
        head["obligor_id"]: "OB0002",
        head["outstanding_amount"]: "700,000",
    }
    second = {
        **base,
        head["asset_id"]: "A0003",
        head["obligor_id"]: "OB0003",
        head["days_past_due"]: "12",
        head["account_status"]: "逾期",
        head["arrears_amount"]: "5000",
    }
    if asset_class == "trade_receivable":
        first[head["invoice_no"]] = "044001900112"
        second[head["invoice_no"]] = "044001900113"
    return [first, second]


@pytest.mark.parametrize("asset_class", POOLS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_filled_csv_template_imports_cleanly(asset_class, language):
    data = fill_csv(template_csv(asset_class, language=language), user_rows(asset_class, language))

    result, rows = import_rows(data, asset_class=asset_class)

    assert result.ok, [e.message for e in result.errors]
    assert result.unmapped_headers == []
    assert [r["asset_id"] for r in rows] == ["A0001", "A0002", "A0003"]
    assert rows[1]["outstanding_amount"] == Decimal("700000")
    assert (rows[2]["account_status"], rows[2]["arrears_amount"]) == ("arrears", Decimal("5000"))


@pytest.mark.parametrize("asset_class", POOLS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_filled_xlsx_template_imports_cleanly(asset_class, language):
    workbook = load_workbook(io.BytesIO(template_xlsx(asset_class, language=language)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in user_rows(asset_class, language):
        sheet.append([row.get(h) for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result, rows = import_rows(buffer.getvalue(), asset_class=asset_class)

    assert result.ok, [e.message for e in result.errors]
    assert (result.file_format, len(rows)) == ("xlsx", 3)
    assert rows[0]["cutoff_date"] == dt.date(2025, 12, 31)  # a real Excel date cell in the template
    assert rows[0]["original_amount"] == Decimal("1200000")  # a number cell
    assert rows[0]["obligor_uscc"] == "91310000MA1FL0000N"


def test_xlsx_template_has_a_guide_sheet_describing_each_column():
    data = template_xlsx("finance_lease", language="zh")

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.sheet_names == ["资产信息", "历史表现（动态池）", "填写说明"]
    guide = workbook.get_sheet_by_name("填写说明").to_python()
    assert guide[0] == ["工作表", "表头", "标准字段名", "必填", "类型", "可填无数据代码", "可选值", "留空时"]
    lease_type = next(row for row in guide if row[2] == "lease_type")
    assert lease_type[1:7] == [
        "租赁方式",
        "lease_type",
        "是",
        "枚举",
        "",
        "direct (直租); sale_leaseback (售后回租)",
    ]


def test_toll_template_has_one_sheet_per_kind_and_each_imports():
    data = template_xlsx("toll_income", language="en")

    assert CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names == [
        "assets",
        "history",
        "forecast",
        "debt_service",
        "guide",
    ]
    for kind in ("assets", "forecast", "debt_service"):
        result, rows = import_rows(data, asset_class="toll_income", kind=kind)
        assert (result.ok, len(rows)) == (True, 1), kind
    result, _ = import_rows(data, asset_class="toll_income", kind="history")
    assert result.error_counts == {"history_too_short": 1}  # one example month; 24 are needed


def test_column_guide_for_help_pages():
    guide = {entry["name"]: entry for entry in column_guide("trade_receivable", language="en")}

    assert guide["obligor_uscc"]["nd"] == ["ND1", "ND2", "ND3", "ND4", "ND5"]
    assert guide["origination_date"]["derived_from"] == "invoice_date"
    assert guide["payment_frequency"]["choices"]["bullet"] == "到期一次性"
    assert (guide["asset_id"]["required"], guide["obligor_name"]["required"]) == (True, False)
    assert set(ASSET_CLASSES) == {"trade_receivable", "finance_lease", "loan", "toll_income"}
