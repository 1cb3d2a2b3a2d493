"""Reading files: encodings, delimiters, Excel sheets, stray rows, hashing, batches and progress."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from assets.tape import ImportOptions, preview_file, run_import
from assets.tape.readers import detect_encoding, sniff_delimiter
from tests.assets.fixtures.tapes import TODAY, example_row, import_rows, receivables, tape_csv


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
def test_chinese_headers_are_read_in_every_common_encoding(encoding, detected):
    data = tape_csv([example_row("trade_receivable")], language="zh", encoding=encoding)

    result, rows = import_rows(data)

    assert (result.ok, result.encoding) == (True, detected)
    assert rows[0]["obligor_name"] == "上海示例机械有限公司"


def test_excel_unicode_text_export_is_utf16_with_tabs():
    data = tape_csv(receivables(2), language="zh", delimiter="\t").decode().encode("utf-16")

    result, rows = import_rows(data)

    assert (result.ok, result.encoding, result.delimiter, len(rows)) == (True, "utf-16", "\t", 2)


def test_latin1_text_is_not_mistaken_for_gb18030():
    # 'Ã' followed by 'O' is also a valid GB18030 pair; single high bytes between ASCII give Latin-1 away.
    sample = "concessionaria;praca\nAUTOPISTA FERNÃO DIAS;Praça 01\n".encode("latin-1")

    assert detect_encoding(sample) == "latin-1"


def test_a_declared_encoding_wins_over_detection():
    row = example_row(
        "trade_receivable",
        obligor_name="Société Générale",
        related_party="N",
        risk_class_5="normal",
        disputed="N",
        encumbered="N",
        transferable="Y",
        goods_delivered="Y",
        obligor_confirmed="Y",
    )
    data = tape_csv([row], encoding="cp1252")

    result, rows = import_rows(data, mapping={"encoding": "cp1252"})

    assert (result.encoding, rows[0]["obligor_name"]) == ("cp1252", "Société Générale")


def test_text_that_stops_being_valid_utf8_after_the_sample_fails_with_the_row():
    head = tape_csv(receivables(400))  # > 64 KiB of clean UTF-8
    tail = "A9999,2025-12-31,ORIG01,OB1,Caf\xe9".encode("latin-1")

    result, _ = import_rows(head + tail)

    assert [(e.code, e.row) for e in result.errors] == [("encoding_error", 402)]
    assert result.errors[0].message == (
        "Row 402: the file is not valid utf-8 text; save it as UTF-8 or declare its encoding."
    )


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiters_are_sniffed(delimiter, name):
    data = tape_csv(receivables(3), delimiter=delimiter)

    result, rows = import_rows(data)

    assert (result.ok, result.delimiter, len(rows)) == (True, delimiter, 3)


def test_quoted_commas_do_not_fool_the_sniffer():
    text = 'plaza;km\n"Praça 01 BR-381/SP Norte: km 65,70";12\n"Praça 02 km 7,30";13\n'

    assert sniff_delimiter(text) == ";"


def test_a_declared_delimiter_is_used_as_given():
    data = tape_csv(receivables(2), delimiter="|")

    result, rows = import_rows(data, mapping={"delimiter": "|"})

    assert (result.delimiter, len(rows)) == ("|", 2)


def test_blank_lines_and_a_trailing_total_row_are_skipped():
    data = tape_csv(receivables(2)) + b"\r\n,,,\r\n" + "合计,,,,,,,,,,,,,,2400000.00\r\n".encode()

    result, rows = import_rows(data)

    assert result.ok
    assert (result.rows_read, result.rows_skipped, len(rows)) == (3, 1, 2)


def test_title_rows_above_the_header_are_found_and_row_numbers_stay_the_files():
    title = "应收账款资产清单（基准日 2025-12-31）\r\n\r\n".encode()
    tape = receivables(2)
    tape[1]["days_past_due"] = "-3"

    result, _ = import_rows(title + tape_csv(tape, language="zh"))

    assert result.header_row == 3
    assert [(e.code, e.row, e.column) for e in result.errors] == [("below_minimum", 5, "逾期天数")]


def test_xlsx_reads_the_first_sheet_with_typed_cells():
    header = [
        "资产编号",
        "基准日",
        "债务人编号",
        "债务人类型",
        "是否关联方",
        "行业代码",
        "行政区划代码",
        "合同金额",
        "未偿本金余额",
        "逾期天数",
        "是否存在争议",
        "是否存在权利负担",
        "是否可转让",
        "发票号码",
        "合同编号",
        "开票日期",
        "应收账款到期日",
        "是否已履约",
        "债务人是否确权",
    ]
    import datetime as dt

    row = [
        "0001",
        dt.datetime(2025, 12, 31),
        "OB1",
        "企业",
        "否",
        "C34",
        310115,
        1200000,
        800000.5,
        0,
        "否",
        "否",
        "是",
        "044001900111",
        "HT-1",
        dt.datetime(2025, 10, 15),
        46035,
        "是",
        "是",
    ]
    data = xlsx({"清单": [header, row], "备注": [["ignored"]]})

    result, rows = import_rows(data)

    assert (result.ok, result.file_format, result.sheet) == (True, "xlsx", "清单")
    assert rows[0]["asset_id"] == "0001"  # a text cell keeps its leading zeros
    assert rows[0]["region_code"] == "310115"
    assert rows[0]["due_date"] == dt.date(2026, 1, 13)  # Excel serial 46035
    assert str(rows[0]["outstanding_amount"]) == "800000.5"


def test_xlsx_named_sheet_and_missing_sheet():
    data = xlsx({"first": [["x"]], "tape": [["资产编号"], ["A1"]]})

    result, _ = import_rows(data, mapping={"sheet": "tape", "auto_match": True})
    assert result.sheet == "tape"

    result, _ = import_rows(data, mapping={"sheet": "nope"})
    assert [(e.code, e.message) for e in result.errors] == [
        ("sheet_not_found", "The workbook has no sheet named 'nope' (sheets: first, tape).")
    ]


def test_sha256_covers_the_whole_file_even_when_reading_stops_early():
    data = tape_csv(receivables(3)).replace(b"asset_id", b"id_of_asset")  # a required column goes missing

    result = run_import(data, asset_class="trade_receivable", options=ImportOptions(today=TODAY))

    assert result.error_counts == {"missing_column": 1}
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size_bytes == len(data)


def test_paths_and_open_streams_are_accepted(tmp_path):
    data = tape_csv(receivables(2))
    path = tmp_path / "tape.csv"
    path.write_bytes(data)

    from_path = run_import(path, asset_class="trade_receivable", options=ImportOptions(today=TODAY))
    with path.open("rb") as handle:
        from_stream = run_import(handle, asset_class="trade_receivable", options=ImportOptions(today=TODAY))
        assert not handle.closed  # the caller's file stays open

    assert from_path.sha256 == from_stream.sha256 == hashlib.sha256(data).hexdigest()
    assert from_path.rows_valid == from_stream.rows_valid == 2


def test_rows_reach_the_sink_in_batches_with_progress_after_each():
    batches, progress = [], []

    result = run_import(
        tape_csv(receivables(12)),
        asset_class="trade_receivable",
        options=ImportOptions(batch_size=5, today=TODAY),
        sink=lambda batch: batches.append(len(batch)),
        on_progress=progress.append,
    )

    assert result.ok
    assert batches == [5, 5, 2]
    assert [(p.rows_read, p.rows_validated) for p in progress] == [(5, 5), (10, 10), (12, 12), (12, 12)]


def test_validate_only_never_calls_the_sink():
    calls = []

    result = run_import(
        tape_csv(receivables(3)),
        asset_class="trade_receivable",
        sink=calls.append,
        options=ImportOptions(validate_only=True, today=TODAY),
    )

    assert (result.ok, result.rows_valid, calls) == (True, 3, [])


def test_preview_shows_layout_headers_sample_and_a_suggested_mapping():
    data = tape_csv(receivables(3), language="zh", encoding="gb18030", delimiter=";")

    preview = preview_file(data, asset_class="trade_receivable", sample_rows=2)

    assert (preview.file_format, preview.encoding, preview.delimiter, preview.header_row) == (
        "csv",
        "gb18030",
        ";",
        1,
    )
    assert preview.headers[:3] == ["资产编号", "基准日", "原始权益人编号"]
    assert [row[0] for row in preview.sample_rows] == ["A0001", "A0002"]
    assert preview.suggestion.missing_required == []
    assert preview.suggestion.matched["outstanding_amount"] == "未偿本金余额"


def test_an_empty_file_is_reported():
    result, _ = import_rows(b"")

    assert [e.code for e in result.errors] == ["empty_file"]
