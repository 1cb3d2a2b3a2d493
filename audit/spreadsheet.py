"""Spreadsheet-safe cells for every CSV and XLSX we write, so no export re-emits a user's text as a
live formula. It sits in audit, at the bottom of the app graph, so every app's exports can use it.

The rule is defusedcsv's (OWASP "CSV injection"): a text cell that a spreadsheet would read as a
formula or a DDE command — one starting with ``= + - @ | %`` — gets a leading apostrophe, which
Excel, LibreOffice and Sheets show as plain text. defusedcsv itself is not used because it lets a
leading tab, CR or other control character through (Excel strips those and then runs the
formula) and it knows nothing of XLSX, where openpyxl writes any ``=`` text as a formula. Numbers
stay numbers; text that *is* a plain number (``-12.50``, ``1,234``) is left alone as well.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

_FORMULA_START = frozenset("=+-@|%")
_PLAIN_NUMBER = re.compile(r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?$|^[-+]?\.[0-9]+$")
# What openpyxl refuses in a cell (XML 1.0 forbids it): shown as the replacement character.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _is_control(char: str) -> bool:
    return char < " " or "\x7f" <= char <= "\x9f"


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must receive it: numbers, dates and None as they are, text that
    would start a formula (or hide one behind a control character) prefixed with an apostrophe."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.time)):
        return value
    text = str(value)
    if not text:
        return text
    first = text[0]
    if _is_control(first) or (first in _FORMULA_START and not _PLAIN_NUMBER.match(text)):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def xlsx_cell(value: Any) -> Any:
    """A safe cell for openpyxl: also replaces the characters an XLSX file cannot hold."""
    value = safe_cell(value)
    return _XLSX_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


class SafeWriter:
    """A ``csv.writer`` whose every row goes through :func:`safe_cell` (defusedcsv's shape)."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        self._writer.writerows(safe_row(row) for row in rows)


def safe_writer(csvfile: Any, *args: Any, **kwargs: Any) -> SafeWriter:
    import csv

    return SafeWriter(csv.writer(csvfile, *args, **kwargs))
