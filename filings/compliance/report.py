"""The pre-flight report as CSV: one row per finding, both languages, citation and waiver status."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import translation

from audit.spreadsheet import safe_cell

from .registry import Finding

CSV_COLUMNS = [
    "section", "severity", "code", "rule_version", "field", "message_en", "message_zh", "source", "article",
    "confirmed", "waiver_status", "waiver_justification", "waiver_ruling",
]  # fmt: skip


def _cell(value: object) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula; issuer text must stay text."""
    return str(safe_cell("" if value is None else str(value)))


def findings_csv(findings: Iterable[Finding]) -> str:
    """UTF-8 CSV with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        registered, waiver = finding.rule, finding.waiver
        with translation.override("en"):
            message_en = str(finding.message)
        with translation.override("zh-hans"):
            message_zh = str(finding.message)
        ruling = ""
        if waiver is not None and waiver.ruled_by_id:
            ruling = f"{waiver.ruled_by.username} {waiver.ruled_at:%Y-%m-%d}: {waiver.ruling_note}".strip()
        citation = registered.citation if registered else None
        row = [
            finding.section,
            finding.severity,
            finding.code,
            registered.version if registered else "",
            finding.field,
            message_en,
            message_zh,
            citation.source if citation else "",
            citation.article if citation else "",
            ("desk policy" if citation.desk_policy else "confirmed" if citation.confirmed else "assumed")
            if citation
            else "",
            waiver.status if waiver is not None else "",
            waiver.justification if waiver is not None else "",
            ruling,
        ]
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()
