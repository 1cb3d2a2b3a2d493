"""Date and month cells: unambiguous spellings always, day/month order only as declared, Excel serials."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Final

from .parsing import CellError, Parser

_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)

_TIME_SUFFIX: Final = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS: Final = tuple(
    re.compile(pattern + _TIME_SUFFIX).fullmatch
    for pattern in (
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?",
        r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
    )
)
_AMBIGUOUS_DATE: Final = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}" + _TIME_SUFFIX).fullmatch
_STRFTIME: Final = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%-m": "M", "%-d": "D"}


def compile_date_format(declared: str) -> Callable[[str], re.Match[str] | None]:
    """A matcher for a declared format such as 'DD/MM/YYYY', 'M/D/YYYY', 'YYYYMMDD' or '%d/%m/%Y'."""
    fmt = declared.strip()
    for directive, token in _STRFTIME.items():
        fmt = fmt.replace(directive, token)
    compact = not any(sep in fmt for sep in "-/. 年月")
    pattern = ""
    i = 0
    while i < len(fmt):
        for token, replacement in (
            ("YYYY", r"(?P<y>\d{4})"),
            ("MM", r"(?P<m>\d{%s})"),
            ("DD", r"(?P<d>\d{%s})"),
            ("M", r"(?P<m>\d{%s})"),
            ("D", r"(?P<d>\d{%s})"),
        ):
            if fmt.startswith(token, i):
                width = "2" if compact and len(token) == 2 else "1,2"
                pattern += replacement % width if "%s" in replacement else replacement
                i += len(token)
                break
        else:
            pattern += re.escape(fmt[i])
            i += 1
    if [pattern.count(f"(?P<{group}>") for group in "ymd"] != [1, 1, 1]:
        # A repeated part ('DD/MM/YYYY/YYYY') used to reach re.compile and raise re.error.
        raise ValueError(f"date format {declared!r} must contain YYYY, MM (or M) and DD (or D) once each")
    return re.compile(pattern + _TIME_SUFFIX).fullmatch


def _from_number(number: float) -> dt.date | None:
    """An Excel serial day number, or a yyyymmdd integer typed into a numeric cell."""
    if not float(number).is_integer():
        number = int(number)  # a serial with a time of day
    whole = int(number)
    if 19000101 <= whole <= 22001231:
        try:
            return dt.date(whole // 10000, whole // 100 % 100, whole % 100)
        except ValueError:
            return None
    if 1 <= whole <= 110_000:  # serials up to the year 2200
        return _EXCEL_EPOCH + dt.timedelta(days=whole)
    return None


def date_parser(declared_format: str | None) -> Parser:
    declared = compile_date_format(declared_format) if declared_format else None
    fmt_label = declared_format or ""

    def from_match(match: re.Match[str]) -> dt.date:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if not 1900 <= year <= 2200:
            raise CellError("not_a_date")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise CellError("not_a_date") from None

    def parse(raw: Any) -> dt.date:
        cls = raw.__class__
        if cls is str:
            if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw[:4].isdigit():
                try:
                    return dt.date.fromisoformat(raw)
                except ValueError:
                    raise CellError("not_a_date") from None
            text = unicodedata.normalize("NFKC", raw).strip()
            if declared is not None:
                match = declared(text)
                if match:
                    return from_match(match)
            for pattern in _DATE_PATTERNS:
                match = pattern(text)
                if match:
                    return from_match(match)
            if declared is not None:
                raise CellError("not_a_date_in_format", format=fmt_label)
            if _AMBIGUOUS_DATE(text):
                raise CellError("ambiguous_date")
            raise CellError("not_a_date")
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if cls is float or cls is int:
            found = _from_number(raw)
            if found is not None:
                return found
        raise CellError("not_a_date")

    return parse


_MONTH_PATTERNS: Final = (
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?").fullmatch,
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})").fullmatch,
    re.compile(r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})").fullmatch,
)


def month_parser(declared_format: str | None) -> Parser:
    """Months as 'YYYY-MM' from '2025-03', '2025年3月', '202503', '03/2025' or any date in that month."""
    as_date = date_parser(declared_format)

    def parse(raw: Any) -> str:
        if raw.__class__ is str:
            text = unicodedata.normalize("NFKC", raw).strip()
            for pattern in _MONTH_PATTERNS:
                match = pattern(text)
                if match:
                    year, month = int(match["y"]), int(match["m"])
                    if 1900 <= year <= 2200 and 1 <= month <= 12:
                        return f"{year:04d}-{month:02d}"
                    raise CellError("not_a_month")
        try:
            day = as_date(raw)
        except CellError:
            raise CellError("not_a_month") from None
        return f"{day.year:04d}-{day.month:02d}"

    return parse
