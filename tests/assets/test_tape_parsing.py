"""Cell parsing: how the importer reads numbers, dates, rates, yes/no and no-data codes as written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from assets.tape import ImportOptions, get_schema
from assets.tape.converters import make_parser
from assets.tape.dates import compile_date_format, date_parser, month_parser
from assets.tape.parsing import CellError, parse_boolean, parse_region, parse_uscc, to_decimal
from tests.assets.fixtures.tapes import example_row, import_rows, receivables, tape_csv

RECEIVABLE = get_schema("trade_receivable")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("１，２３４．５６", Decimal("1234.56")),  # full-width digits and comma from a Chinese IME
        ("(1,234.00)", Decimal("-1234.00")),  # accountants' negative
        ("¥1,234", Decimal("1234")),
        (" 12 ", Decimal("12")),
        ("1.2E+3", Decimal("1.2E+3")),  # Excel's CSV export of a long number
    ],
)
def test_numbers_accept_separators_full_width_and_parentheses(text, expected):
    assert to_decimal(text) == (expected, False)


@pytest.mark.parametrize("text", ["1,23.4", "12abc", "1.2.3", "NaN", "--5"])
def test_numbers_reject_what_is_not_a_number(text):
    with pytest.raises(CellError) as error:
        to_decimal(text)
    assert error.value.code == "not_a_number"


def test_amounts_in_wan_yuan_are_multiplied_by_ten_thousand():
    parse = make_parser(RECEIVABLE.by_name["original_amount"], multiplier=Decimal(10_000))

    assert parse("12.5") == Decimal("125000.0")
    assert parse("1,234.5678") == Decimal("12345678.0000")


def test_amounts_are_rounded_half_up_to_the_fen():
    parse = make_parser(RECEIVABLE.by_name["outstanding_amount"])

    assert parse("10.005") == Decimal("10.01")
    assert parse(10.004999) == Decimal("10.00")


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-01",
        "2025/3/1",
        "2025.03.01",
        "2025年3月1日",
        "2025 年 3 月 1 日",
        "20250301",
        "2025-03-01 00:00:00",
    ],
)
def test_unambiguous_date_spellings(text):
    assert date_parser(None)(text) == dt.date(2025, 3, 1)


def test_excel_cells_give_dates_serials_and_yyyymmdd_numbers():
    parse = date_parser(None)

    assert parse(dt.datetime(2025, 3, 1, 0, 0)) == dt.date(2025, 3, 1)
    assert parse(45717.0) == dt.date(2025, 3, 1)  # Excel serial day number
    assert parse(20250301.0) == dt.date(2025, 3, 1)  # yyyymmdd typed as a number


def test_day_first_and_month_first_dates_need_a_declared_format():
    with pytest.raises(CellError) as error:
        date_parser(None)("01/03/2025")
    assert error.value.code == "ambiguous_date"

    assert date_parser("DD/MM/YYYY")("01/03/2025") == dt.date(2025, 3, 1)
    assert date_parser("M/D/YYYY")("3/1/2025") == dt.date(2025, 3, 1)
    assert date_parser("%d.%m.%Y")("1.3.2025") == dt.date(2025, 3, 1)


def test_a_declared_format_is_applied_to_every_row_never_guessed():
    parse = date_parser("DD/MM/YYYY")

    with pytest.raises(CellError) as error:
        parse("03/13/2025")  # month 13: not silently read as 13 March
    assert error.value.code == "not_a_date"


def test_impossible_dates_are_errors():
    with pytest.raises(CellError):
        date_parser(None)("2025-02-30")


def test_a_declared_format_must_name_year_month_and_day():
    with pytest.raises(ValueError):
        compile_date_format("MM/YYYY")


@pytest.mark.parametrize("text", ["2025-03", "2025/3", "2025年3月", "202503", "03/2025", "2025-03-17"])
def test_months_in_the_spellings_monthly_reports_use(text):
    assert month_parser(None)(text) == "2025-03"


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("interest_rate", "5.5%", Decimal("0.055")),
        ("interest_rate", "0.055", Decimal("0.055")),
        ("interest_rate", "５．５％", Decimal("0.055")),
    ],
)
def test_rates_are_stored_as_decimals(column, text, expected):
    assert make_parser(RECEIVABLE.by_name[column])(text) == expected


def test_a_bare_rate_above_one_is_a_percentage_only_when_the_column_is_declared_percent():
    column = RECEIVABLE.by_name["interest_rate"]

    assert make_parser(column, percent=True)("14.07") == Decimal("0.1407")
    with pytest.raises(CellError) as error:
        make_parser(column)("14.07")
    assert error.value.code == "rate_looks_like_percent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
    ],
)
def test_yes_no_spellings(text, expected):
    assert parse_boolean(text) is expected


def test_uscc_check_character_follows_gb_32100():
    assert parse_uscc("91110108551385082Q") == "91110108551385082Q"
    with pytest.raises(CellError) as error:
        parse_uscc("91110108551385082A")
    assert (error.value.code, error.value.params) == ("uscc_check_failed", {"expected": "Q"})
    with pytest.raises(CellError) as error:
        parse_uscc("9111010855138508IO")  # I and O are not in the alphabet
    assert error.value.code == "invalid_uscc"


def test_region_codes_need_six_digits_and_a_known_province():
    assert parse_region("310115") == "310115"
    assert parse_region(440305.0) == "440305"  # typed as a number in Excel
    for bad in ("31011", "990000", "A10115"):
        with pytest.raises(CellError):
            parse_region(bad)


def test_choices_accept_chinese_labels():
    parse = make_parser(RECEIVABLE.by_name["obligor_type"])

    assert [parse(label) for label in ("企业", "Corporate", "城投", "个人")] == [
        "corporate",
        "corporate",
        "lgfv",
        "individual",
    ]


def test_no_data_codes_are_kept_apart_from_values_where_allowed():
    result, rows = import_rows(
        tape_csv([example_row("trade_receivable", obligor_uscc="ND5", industry_code="ND1")])
    )

    assert result.ok
    assert rows[0]["obligor_uscc"] is None
    assert rows[0]["industry_code"] is None
    assert rows[0]["no_data"] == {"obligor_uscc": "ND5", "industry_code": "ND1"}


def test_a_no_data_code_with_a_date_is_accepted_as_nd4():
    result, rows = import_rows(tape_csv([example_row("trade_receivable", settled_date="ND4-2026-06-30")]))

    assert result.ok
    assert rows[0]["no_data"] == {"settled_date": "ND4-2026-06-30"}


def test_no_data_codes_are_rejected_in_columns_that_must_hold_a_value():
    result, rows = import_rows(tape_csv([example_row("trade_receivable", original_amount="ND2")]))

    assert [(e.code, e.row, e.column, e.value) for e in result.errors] == [
        ("nd_not_allowed", 2, "original_amount", "ND2")
    ]
    assert result.errors[0].message == (
        "Row 2, column original_amount: the no-data code 'ND2' is not allowed in this column."
    )
    assert rows == []


def test_bad_cells_are_reported_with_the_users_row_column_and_value():
    tape = receivables(3)
    tape[1]["due_date"] = "2026-02-30"
    tape[2]["outstanding_amount"] = "八十万"

    result, rows = import_rows(tape_csv(tape, language="zh"))

    assert [(e.code, e.row, e.column, e.value) for e in result.errors] == [
        ("not_a_number", 4, "未偿本金余额", "八十万"),
        ("not_a_date", 3, "应收账款到期日", "2026-02-30"),
    ]
    assert [e.message for e in result.errors] == [
        "Row 4, column 未偿本金余额: '八十万' is not a number.",
        "Row 3, column 应收账款到期日: '2026-02-30' is not a date (expected YYYY-MM-DD or 2025年3月1日).",
    ]
    assert [row["asset_id"] for row in rows] == ["A0001"]  # only the clean row reaches the sink
    assert (result.rows_read, result.rows_valid, result.rows_invalid) == (3, 1, 2)


def test_amount_unit_declared_in_the_mapping_scales_every_amount_column():
    tape = [
        example_row(
            "trade_receivable", original_amount="120", outstanding_amount="80.5", dilution_amount="0.01"
        )
    ]

    result, rows = import_rows(tape_csv(tape), mapping={"amount_unit": "wan"})

    assert result.ok
    assert (rows[0]["original_amount"], rows[0]["outstanding_amount"], rows[0]["dilution_amount"]) == (
        Decimal("1200000"),
        Decimal("805000.0"),
        Decimal("100.00"),
    )


def test_declared_date_format_in_the_mapping():
    tape = [example_row("trade_receivable", invoice_date="15/10/2025", due_date="13/01/2026")]

    result, rows = import_rows(tape_csv(tape), mapping={"date_format": "DD/MM/YYYY"})

    assert result.ok
    assert (rows[0]["invoice_date"], rows[0]["due_date"]) == (dt.date(2025, 10, 15), dt.date(2026, 1, 13))


def test_undeclared_day_month_dates_fail_with_a_hint():
    result, _ = import_rows(tape_csv([example_row("trade_receivable", invoice_date="15/10/2025")]))

    assert result.errors[0].message == (
        "Row 2, column invoice_date: '15/10/2025' could be day/month or month/day; declare the file's date "
        "format."
    )


def test_percent_column_declared_in_the_mapping():
    result, rows = import_rows(
        tape_csv([example_row("trade_receivable", interest_rate="4.35")]),
        mapping={"percent_columns": ["interest_rate"]},
    )

    assert result.ok
    assert rows[0]["interest_rate"] == Decimal("0.0435")


def test_cells_of_only_spaces_are_blank():
    result, _ = import_rows(tape_csv([example_row("trade_receivable", obligor_name="   ", asset_id="   ")]))

    assert [(e.code, e.column) for e in result.errors] == [("required", "asset_id")]


def test_blank_is_not_zero():
    _, rows = import_rows(tape_csv([example_row("trade_receivable", dilution_amount="")]))

    assert rows[0]["dilution_amount"] is None


def test_a_cutoff_date_in_the_future_is_rejected(settings):
    options = ImportOptions(today=dt.date(2025, 12, 30))

    result, _ = import_rows(tape_csv([example_row("trade_receivable")]), options=options)

    assert [(e.code, e.row, e.value) for e in result.errors] == [("cutoff_in_future", 2, "2025-12-31")]
