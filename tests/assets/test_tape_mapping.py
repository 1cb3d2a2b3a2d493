"""Column mappings for foreign tapes: saved as JSON per organisation, suggested from headers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import translation

from assets.tape import ColumnMapping, MappingError, suggest_mapping
from tests.assets.fixtures.tapes import import_rows

FOREIGN_HEADER = [
    "LoanRef",
    "Borrower",
    "Kunde Typ",
    "Start",
    "Ende",
    "Betrag",
    "Saldo",
    "Status",
    "Verzug",
    "Rückstand",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def foreign_csv(rows: list[list[str]], header: list[str] = FOREIGN_HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


FOREIGN_MAPPING = {
    "columns": {
        "asset_id": "LoanRef",
        "obligor_id": "Borrower",
        "obligor_type": "Kunde Typ",
        "origination_date": "Start",
        "maturity_date": "Ende",
        "original_amount": "Betrag",
        "outstanding_amount": "Saldo",
        "account_status": "Status",
        "days_past_due": "Verzug",
        "arrears_amount": "Rückstand",
    },
    "constants": {
        "cutoff_date": "2025-12-31",
        "related_party": "N",
        "industry_code": "ND1",
        "region_code": "310000",
        "interest_rate": "4.35%",
        "payment_frequency": "monthly",
        "encumbered": "N",
        "transferable": "Y",
    },
    "value_maps": {
        "account_status": {"laufend": "performing", "Rückstand": "arrears"},
        "obligor_type": {"GmbH": "corporate", "Privat": "individual"},
    },
    "date_format": "DD.MM.YYYY",
}


def test_a_foreign_tape_imports_through_columns_constants_and_value_maps():
    data = foreign_csv(
        [
            ["L-1", "B-1", "GmbH", "01.03.2024", "28.02.2027", "1200000", "800000", "laufend", "0", "0"],
            ["L-2", "B-2", "Privat", "15.06.2024", "14.06.2026", "50000", "20000", "Rückstand", "31", "1500"],
        ]
    )

    result, rows = import_rows(data, asset_class="loan", mapping=FOREIGN_MAPPING)

    assert result.ok, [e.message for e in result.errors]
    assert (result.column_sources["asset_id"], result.column_sources["interest_rate"]) == (
        "LoanRef",
        "=constant",
    )
    assert [
        (r["asset_id"], r["obligor_type"], r["account_status"], str(r["interest_rate"])) for r in rows
    ] == [
        ("L-1", "corporate", "performing", "0.0435"),
        ("L-2", "individual", "arrears", "0.0435"),
    ]
    assert rows[0]["maturity_date"].isoformat() == "2027-02-28"
    assert rows[0]["no_data"] == {"industry_code": "ND1"}


def test_mapping_round_trips_through_json(tmp_path):
    mapping = ColumnMapping.from_json(FOREIGN_MAPPING)

    stored = json.dumps(mapping.to_json())
    path = tmp_path / "mapping.json"
    path.write_text(stored, encoding="utf-8")

    assert ColumnMapping.from_json(stored) == mapping
    assert ColumnMapping.from_json(path) == mapping
    assert mapping.to_json()["amount_unit"] == "yuan"


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ({"amount_unit": "thousands"}, "use yuan, wan"),
        ({"date_format": "YY"}, "must contain YYYY"),
        ({"encoding": "klingon"}, "klingon"),
        ({"colums": {}}, "colums"),
        ("{not json", "Expecting"),
    ],
)
def test_an_invalid_mapping_is_refused_with_a_reason(bad, fragment):
    with pytest.raises(MappingError, match=fragment):
        ColumnMapping.from_json(bad)


def test_a_mapping_naming_an_unknown_column_or_header_is_reported():
    data = foreign_csv([["L-1", "B-1", "GmbH", "01.03.2024", "28.02.2027", "1", "1", "laufend", "0", "0"]])

    mapping = {
        **FOREIGN_MAPPING,
        "columns": {**FOREIGN_MAPPING["columns"], "asset_idd": "LoanRef", "obligor_id": "Kunde"},
    }

    result, _ = import_rows(data, asset_class="loan", mapping=mapping)

    assert [e.message for e in result.errors] == [
        "The mapping names asset_idd, which is not a column of this template.",
        "Column obligor_id is mapped to 'Kunde', which is not a header of the file.",
    ]


def test_a_bad_constant_is_reported_once():
    data = foreign_csv([["L-1", "B-1", "GmbH", "01.03.2024", "28.02.2027", "1", "1", "laufend", "0", "0"]])
    mapping = {**FOREIGN_MAPPING, "constants": {**FOREIGN_MAPPING["constants"], "region_code": "Shanghai"}}

    result, _ = import_rows(data, asset_class="loan", mapping=mapping)

    assert [e.message for e in result.errors] == [
        "The constant 'Shanghai' given for column region_code is not valid (invalid_region)."
    ]


def test_alternative_headers_and_column_positions():
    data = foreign_csv([["2024-01", "10"], ["2024-02", "11"]], header=["Monat", ""])
    mapping = {"columns": {"period": ["Month", "Monat"], "gross_revenue": "#2"}}

    result, rows = import_rows(data, asset_class="toll_income", kind="history", mapping=mapping)

    assert result.column_sources == {"period": "Monat", "gross_revenue": "#2"}
    assert [(r["period"], str(r["gross_revenue"])) for r in rows] == [("2024-01", "10"), ("2024-02", "11")]


def test_suggestion_matches_chinese_english_and_odd_spellings():
    headers = [
        "资产编号",
        "Obligor ID",
        "OUTSTANDING_AMOUNT",
        "合同金额（元）",
        "逾期天数",
        "备注",
        "资产编号",
    ]

    suggestion = suggest_mapping(headers, "finance_lease")

    assert suggestion.matched == {
        "asset_id": "资产编号",
        "obligor_id": "Obligor ID",
        "outstanding_amount": "OUTSTANDING_AMOUNT",
        "original_amount": "合同金额（元）",
        "days_past_due": "逾期天数",
    }
    assert suggestion.unmatched_headers == ["备注", "资产编号"]
    assert "lease_type" in suggestion.missing_required
    assert suggestion.mapping.columns == suggestion.matched


def test_fill_down_and_include_rows_read_block_layouts():
    header = ["Month", "Class", "Revenue"]
    rows = [["2024-01", "I", "10"], ["", "TOTAL", "15"], ["2024-02", "I", "11"], ["", "TOTAL", "16"]]
    data = foreign_csv(rows, header=header)
    mapping = {
        "columns": {"period": "Month", "gross_revenue": "Revenue"},
        "fill_down": ["Month"],
        "include_rows": {"Class": ["total"]},
        "skip_total_rows": False,
    }

    result, imported = import_rows(data, asset_class="toll_income", kind="history", mapping=mapping)

    assert [(r["period"], str(r["gross_revenue"]), r["source_row"]) for r in imported] == [
        ("2024-01", "15", 3),
        ("2024-02", "16", 5),
    ]
    assert (result.rows_read, result.rows_skipped) == (4, 2)
