"""Row and file checks on pool tapes (abs-data.md §6.2–6.3), derived values, and the error report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from assets.tape import ImportOptions, TapeError, errors_to_csv, errors_to_xlsx
from tests.assets.fixtures.tapes import TODAY, example_row, import_rows, receivables, tape_csv


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors_of(result):
    return [(e.code, e.row, e.column, e.value) for e in result.errors]


def leases(count, **overrides):
    return [example_row("finance_lease", asset_id=f"L{i:03d}", **overrides) for i in range(1, count + 1)]


def test_a_clean_tape_fills_derived_columns():
    row = example_row(
        "trade_receivable",
        obligor_group_id="",
        currency="",
        origination_date="",
        maturity_date="",
        payment_frequency="",
        payment_terms_days="",
        arrears_amount="",
        account_status="",
    )

    result, rows = import_rows(tape_csv([row]))

    assert result.ok
    assert result.cutoff_dates == [dt.date(2025, 12, 31)]
    derived = {
        k: rows[0][k]
        for k in (
            "obligor_group_id",
            "currency",
            "origination_date",
            "maturity_date",
            "payment_frequency",
            "payment_terms_days",
            "arrears_amount",
            "account_status",
        )
    }
    assert derived == {
        "obligor_group_id": "OB0001",
        "currency": "CNY",
        "origination_date": dt.date(2025, 10, 15),
        "maturity_date": dt.date(2026, 1, 13),
        "payment_frequency": "bullet",
        "payment_terms_days": 90,
        "arrears_amount": Decimal(0),
        "account_status": "performing",
    }
    assert rows[0]["source_row"] == 2


def test_duplicate_asset_ids_point_to_the_first_row():
    tape = receivables(3)
    tape[2]["asset_id"] = "A0001"

    result, rows = import_rows(tape_csv(tape))

    assert errors_of(result) == [("duplicate_asset_id", 4, "asset_id", "A0001")]
    assert result.errors[0].message == "Row 4, column asset_id: asset 'A0001' already appears in row 2."
    assert [r["asset_id"] for r in rows] == ["A0001", "A0002"]


def test_duplicate_invoice_numbers_are_rejected():
    tape = receivables(2)
    tape[1]["invoice_no"] = tape[0]["invoice_no"]

    result, _ = import_rows(tape_csv(tape))

    assert errors_of(result) == [("duplicate_invoice_no", 3, "invoice_no", "INV000001")]


def test_a_tape_has_one_cutoff_date():
    tape = receivables(3)
    tape[1]["cutoff_date"] = "2025-11-30"
    tape[2]["cutoff_date"] = "2025-11-30"

    result, _ = import_rows(tape_csv(tape))

    assert errors_of(result) == [
        ("multiple_cutoff_dates", 3, "cutoff_date", "2025-11-30"),
        ("multiple_cutoff_dates", 4, "cutoff_date", "2025-11-30"),
    ]
    assert result.errors[0].message == (
        "Row 3, column cutoff_date: cut-off date 2025-11-30 differs from 2025-12-31 in row 2; a tape has one "
        "cut-off date."
    )


def test_historical_tapes_may_hold_several_cutoff_dates_but_one_row_per_asset_and_date():
    tape = receivables(2) + receivables(2, cutoff_date="2025-11-30", invoice_date="2025-10-01")
    tape.append(example_row("trade_receivable", asset_id="A0001", invoice_no="INV000009"))

    result, _ = import_rows(tape_csv(tape), options=ImportOptions(allow_multiple_cutoffs=True, today=TODAY))

    assert result.cutoff_dates == [dt.date(2025, 11, 30), dt.date(2025, 12, 31)]
    assert errors_of(result) == [("duplicate_asset_id", 6, "asset_id", "A0001")]


def test_the_filings_cutoff_date_fills_an_absent_column_and_must_match_a_present_one():
    options = ImportOptions(cutoff_date=dt.date(2025, 12, 31), today=TODAY)
    without_column = tape_csv(receivables(1)).replace(b"cutoff_date", b"unrelated")

    result, rows = import_rows(without_column, options=options)
    assert result.ok
    assert rows[0]["cutoff_date"] == dt.date(2025, 12, 31)

    result, _ = import_rows(
        tape_csv(receivables(1)), options=ImportOptions(cutoff_date=dt.date(2025, 11, 30), today=TODAY)
    )
    assert result.errors[0].message == (
        "Row 2, column cutoff_date: cut-off date 2025-12-31 differs from the filing's cut-off date "
        "2025-11-30."
    )


@pytest.mark.parametrize(("outstanding", "ok"), [("1206000.00", True), ("1206000.01", False)])
def test_outstanding_may_exceed_original_by_half_a_percent(outstanding, ok):
    result, _ = import_rows(tape_csv([example_row("trade_receivable", outstanding_amount=outstanding)]))

    assert result.ok is ok
    if not ok:
        assert result.errors[0].message == (
            "Row 2: outstanding amount 1206000.01 exceeds the original amount 1200000.00 by more than 0.5%."
        )


def test_maturity_before_origination_is_rejected():
    result, _ = import_rows(
        tape_csv(leases(1, maturity_date="2024-02-01"), asset_class="finance_lease"),
        asset_class="finance_lease",
    )

    assert errors_of(result) == [("maturity_before_origination", 2, "maturity_date", "2024-02-01")]


def test_origination_after_cutoff_and_before_1990_are_rejected():
    tape = leases(2)
    tape[0]["origination_date"] = "2026-01-05"
    tape[0]["maturity_date"] = "2027-01-05"
    tape[1]["origination_date"] = "1989-12-31"

    result, _ = import_rows(tape_csv(tape, asset_class="finance_lease"), asset_class="finance_lease")

    assert [(e.code, e.row, e.message) for e in result.errors] == [
        (
            "date_after_cutoff",
            2,
            "Row 2, column origination_date: 2026-01-05 is after the cut-off date 2025-12-31.",
        ),
        ("date_too_early", 3, "Row 3, column origination_date: 1989-12-31 is before 1990-01-01."),
    ]


@pytest.mark.parametrize(
    ("dpd", "status", "problem"),
    [
        ("0", "performing", None),
        ("5", "performing", "status_dpd_mismatch"),  # performing means nothing is overdue
        ("0", "arrears", "status_dpd_mismatch"),
        ("45", "arrears", None),
        ("120", "arrears", "status_dpd_mismatch"),  # beyond 90 days the asset is defaulted
        ("120", "defaulted", None),
        ("0", "defaulted", None),  # flagged default (unlikely to pay) without arrears
    ],
)
def test_days_past_due_and_status_must_agree(dpd, status, problem):
    row = example_row("trade_receivable", days_past_due=dpd, account_status=status, arrears_amount="")

    result, _ = import_rows(tape_csv([row]))

    assert [e.code for e in result.errors] == ([problem] if problem else [])


@pytest.mark.parametrize(("dpd", "status"), [("0", "performing"), ("45", "arrears"), ("91", "defaulted")])
def test_a_blank_status_is_derived_from_days_past_due(dpd, status):
    _, rows = import_rows(
        tape_csv([example_row("trade_receivable", days_past_due=dpd, account_status="", arrears_amount="")])
    )

    assert rows[0]["account_status"] == status


def test_an_overdue_invoice_is_in_arrears_for_its_whole_balance():
    _, rows = import_rows(
        tape_csv([example_row("trade_receivable", days_past_due="10", account_status="", arrears_amount="")])
    )

    assert rows[0]["arrears_amount"] == Decimal("800000.00")


def test_an_overdue_lease_needs_its_arrears_amount():
    tape = leases(1, days_past_due="10", account_status="arrears", arrears_amount="")

    result, _ = import_rows(tape_csv(tape, asset_class="finance_lease"), asset_class="finance_lease")

    assert [e.message for e in result.errors] == [
        "Row 2: days past due is 10, so the arrears amount is required."
    ]


def test_arrears_without_days_past_due_are_inconsistent():
    result, _ = import_rows(tape_csv([example_row("trade_receivable", arrears_amount="500")]))

    assert [e.message for e in result.errors] == [
        "Row 2: arrears amount 500 is not zero but days past due is 0."
    ]


def test_lease_instalments_and_remaining_rent_limits():
    tape = leases(2)
    tape[0]["instalments_paid"] = "37"
    tape[1]["remaining_rent_total"] = "799999.99"

    result, _ = import_rows(tape_csv(tape, asset_class="finance_lease"), asset_class="finance_lease")

    assert [e.message for e in result.errors] == [
        "Row 2: instalments paid (37) exceed total instalments (36).",
        "Row 3: outstanding principal 800000.00 exceeds the remaining rent 799999.99.",
    ]


def test_a_receivable_due_before_its_invoice_is_rejected():
    result, _ = import_rows(
        tape_csv([example_row("trade_receivable", due_date="2025-10-01", maturity_date="")])
    )

    assert [e.code for e in result.errors] == ["maturity_before_origination", "due_before_invoice"]


def test_bad_uscc_and_region_codes():
    tape = receivables(2)
    tape[0]["obligor_uscc"] = "91310000MA1FL0000X"
    tape[1]["region_code"] = "990101"

    result, _ = import_rows(tape_csv(tape))

    assert [e.message for e in result.errors] == [
        "Row 2, column obligor_uscc: '91310000MA1FL0000X' fails the GB 32100 check character (expected N).",
        "Row 3, column region_code: '990101' is not a six-digit division code of a Chinese province.",
    ]


def test_missing_required_columns_stop_the_import_before_any_row():
    data = (
        tape_csv(receivables(2)).replace(b"obligor_id", b"customer_ref").replace(b"days_past_due", b"dpd_x")
    )

    result, rows = import_rows(data)

    assert [e.message for e in result.errors] == [
        "Required column obligor_id (债务人编号) was not found in the file and has no constant value.",
        "Required column days_past_due (逾期天数) was not found in the file and has no constant value.",
    ]
    assert (result.rows_read, rows) == (0, [])


def test_errors_are_all_counted_but_only_the_first_are_kept():
    tape = receivables(20, outstanding_amount="oops")

    result, _ = import_rows(tape_csv(tape), options=ImportOptions(max_errors=5, today=TODAY))

    assert (result.error_count, len(result.errors), result.errors_truncated) == (20, 5, True)
    assert result.error_counts == {"not_a_number": 20}
    assert [e.row for e in result.errors] == [2, 3, 4, 5, 6]


def test_error_report_exports_as_csv_and_xlsx():
    errors = [
        TapeError("not_a_number", 4, "未偿本金余额", "八十万"),
        TapeError("history_too_short", params={"asset": "R001", "months": 12, "minimum": 24}),
    ]

    exported = errors_to_csv(errors)

    assert exported.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(exported.decode("utf-8-sig")))) == [
        ["Row", "Column", "Value", "Code", "Message"],
        [
            "4",
            "未偿本金余额",
            "八十万",
            "not_a_number",
            "Row 4, column 未偿本金余额: '八十万' is not a number.",
        ],
        [
            "",
            "",
            "",
            "history_too_short",
            "Asset R001: 12 months of history given; at least 24 are required.",
        ],
    ]
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(errors_to_xlsx(errors))).get_sheet_by_index(0).to_python()
    )
    assert sheet[1][:4] == [4, "未偿本金余额", "八十万", "not_a_number"]


def test_stored_errors_render_again_from_their_dict():
    error = TapeError("duplicate_asset_id", 4, "资产编号", "A1", {"first_row": 2})

    assert TapeError.from_dict(error.as_dict()) == error
    assert (
        TapeError.from_dict(error.as_dict()).message
        == "Row 4, column 资产编号: asset 'A1' already appears in row 2."
    )


def test_result_summary_is_json_serialisable_and_its_errors_render_again():
    import json

    tape = receivables(2, outstanding_amount="x")
    tape[1].update(outstanding_amount="2000000", maturity_date="2025-01-01")

    result, _ = import_rows(tape_csv(tape))

    summary = json.loads(json.dumps(result.as_dict()))
    assert (summary["ok"], summary["rows_invalid"]) == (False, 2)
    codes = [e["code"] for e in summary["errors"]]
    assert codes == ["not_a_number", "outstanding_exceeds_original", "maturity_before_origination"]
    assert [TapeError.from_dict(e).message for e in summary["errors"][1:]] == [
        "Row 3: outstanding amount 2000000 exceeds the original amount 1200000.00 by more than 0.5%.",
        "Row 3: maturity date 2025-01-01 is before origination date 2025-10-15.",
    ]


def test_a_nul_character_in_a_text_cell_is_refused_where_it_is_and_the_report_still_downloads():
    tape = receivables(3)
    tape[1]["asset_id"] = "A\x000002"
    tape[2]["obligor_name"] = "上海\x00示例"

    with translation.override("en"):
        result, rows = import_rows(tape_csv(tape))
        messages = [e.message for e in result.errors]

    assert [(e.code, e.row, e.column, e.value) for e in result.errors] == [
        ("nul_character", 3, "asset_id", "A\\x000002"),
        ("nul_character", 4, "obligor_name", "上海\\x00示例"),
    ]
    assert messages[0] == (
        "Row 3, column asset_id: the value contains a NUL character (0x00), which cannot be stored; "
        "remove it from the file."
    )
    assert [row["asset_id"] for row in rows] == ["A0001"]
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(errors_to_xlsx(result.errors)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert sheet[1][:4] == [3, "asset_id", "A\\x000002", "nul_character"]


def test_the_reason_on_screen_leaves_out_the_row_and_column_in_both_languages():
    cell = TapeError("required", 7, "债务人编号")
    whole_file = TapeError(
        "missing_column", None, None, None, {"column": "asset_id", "column_zh": "资产编号"}
    )

    with translation.override("en"):
        assert (cell.message, cell.reason) == (
            "Row 7, column 债务人编号: a value is required.",
            "A value is required.",
        )
        assert whole_file.reason == whole_file.message
    with translation.override("zh-hans"):
        assert (cell.message, cell.reason) == ("第 7 行，债务人编号 列：此项为必填项。", "此项为必填项。")
