"""Cell parsers: numbers with separators and units, rates, booleans, codes and text (dates: dates.py).

Each parser takes one raw cell (a str from CSV; str, float, int, bool or datetime from Excel) that is not
blank, and returns the canonical value or raises CellError. The common case (plain ASCII) takes one regex
match and one constructor call; unusual spellings go through a slower normalising path.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from .fields import Column, header_key
from .reference import PROVINCES, industry_section, is_valid_uscc_charset, uscc_check_character

Parser = Callable[[Any], Any]

CENT: Final = Decimal("0.01")
AMOUNT_UNITS: Final[dict[str, Decimal]] = {
    "yuan": Decimal(1),
    "元": Decimal(1),
    "wan": Decimal(10_000),
    "万元": Decimal(10_000),
    "万": Decimal(10_000),
    "yi": Decimal(100_000_000),
    "亿元": Decimal(100_000_000),
    "亿": Decimal(100_000_000),
}
HUNDRED: Final = Decimal(100)


class CellError(Exception):
    """A cell that does not parse; code names the message in errors.MESSAGES."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def unit_multiplier(unit: str | None) -> Decimal:
    """The factor for a declared amount unit ('yuan', 'wan'/'万元', 'yi'/'亿元')."""
    if unit is None:
        return Decimal(1)
    try:
        return AMOUNT_UNITS[unit.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown amount unit {unit!r}; use yuan, wan (万元) or yi (亿元)") from None


def value_key(raw: object) -> str:
    """How value maps and filters compare cells: width-folded, case-folded, stripped text."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    elif isinstance(raw, dt.datetime):
        raw = raw.date()
    text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
    return unicodedata.normalize("NFKC", text).strip().casefold()


_ND_RE: Final = re.compile(r"ND[1-5]|ND4-\d{4}-\d{2}-\d{2}")


def nd_code(raw: object) -> str | None:
    """The no-data code a cell holds ('ND1'…'ND5', 'ND4-2026-06-30'), or None."""
    if not isinstance(raw, str) or len(raw) < 3 or raw[0] not in "NnＮｎ":
        return None
    code = unicodedata.normalize("NFKC", raw).strip().upper()
    return code if _ND_RE.fullmatch(code) else None


# Numbers ---------------------------------------------------------------------------------------------

PLAIN_DECIMAL: Final = re.compile(r"-?\d+(?:\.\d+)?").fullmatch
PLAIN_INT: Final = re.compile(r"-?\d+").fullmatch
_GROUPED: Final = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?").fullmatch
_SIMPLE: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?").fullmatch
_CURRENCY_MARKS: Final = ("¥", "元", "RMB", "CNY")


def _normalise_number(raw: str) -> tuple[str, bool]:
    """Plain ASCII number text from '1,234.56', '１，２３４', '(1,234)', '¥1,234.00', '5.5%'; and % seen."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "").replace("\u00a0", "")
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    for mark in _CURRENCY_MARKS:
        text = text.replace(mark, "")
    if _GROUPED(text):
        text = text.replace(",", "")
    elif not _SIMPLE(text):
        raise CellError("not_a_number")
    if negative:
        text = text[1:] if text.startswith("-") else "-" + text.lstrip("+")
    return text, percent


def to_decimal(raw: Any) -> tuple[Decimal, bool]:
    """A Decimal and whether a % sign was written; raises CellError('not_a_number')."""
    cls = raw.__class__
    if cls is str:
        if PLAIN_DECIMAL(raw):
            return Decimal(raw), False
        text, percent = _normalise_number(raw)
        try:
            return Decimal(text), percent
        except InvalidOperation:
            raise CellError("not_a_number") from None
    if cls is float:
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError("not_a_number")
        return (Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))), False
    if cls is int:
        return Decimal(raw), False
    raise CellError("not_a_number")


def _range_checker(column: Column) -> Callable[[Any], None] | None:
    low, high, exclusive = column.min_value, column.max_value, column.min_exclusive
    if low is None and high is None:
        return None

    def check(value: Any) -> None:
        if low is not None and (value <= low if exclusive else value < low):
            raise CellError("not_positive" if exclusive else "below_minimum", minimum=low)
        if high is not None and value > high:
            raise CellError("above_maximum", maximum=high)

    return check


def money_parser(column: Column, multiplier: Decimal) -> Parser:
    scale = multiplier if multiplier != 1 else None
    check = _range_checker(column)

    def parse(raw: Any) -> Decimal:
        if raw.__class__ is str and PLAIN_DECIMAL(raw):
            value = Decimal(raw)
            dot = raw.find(".")
            fine = dot < 0 or len(raw) - dot <= 3  # at most two decimals: already in fen
        else:
            value, percent = to_decimal(raw)
            if percent:
                raise CellError("not_a_number")
            fine = False
        if scale is not None:
            value *= scale
        if not fine and value.as_tuple().exponent < -2:  # type: ignore[operator]  # amounts are kept to the fen
            value = value.quantize(CENT, ROUND_HALF_UP)
        if check is not None:
            check(value)
        return value

    return parse


def decimal_parser(column: Column) -> Parser:
    check = _range_checker(column)

    def parse(raw: Any) -> Decimal:
        value, percent = to_decimal(raw)
        if percent:
            value /= HUNDRED
        if check is not None:
            check(value)
        return value

    return parse


def rate_parser(column: Column, *, percent_column: bool, max_rate: Decimal | None) -> Parser:
    """Rates are decimals (0.055). '5.5%' is always read as a percentage; bare numbers only if declared."""
    low = column.min_value
    high = Decimal(str(column.max_value)) if column.max_value is not None else max_rate

    def parse(raw: Any) -> Decimal:
        value, percent = to_decimal(raw)
        if percent or percent_column:
            value /= HUNDRED
        elif value > 1:
            raise CellError("rate_looks_like_percent")
        if low is not None and value < low:
            raise CellError("below_minimum", minimum=low)
        if high is not None and value > high:
            raise CellError("above_maximum", maximum=high)
        return value

    return parse


def integer_parser(column: Column) -> Parser:
    check = _range_checker(column)

    def parse(raw: Any) -> int:
        cls = raw.__class__
        if cls is str and PLAIN_INT(raw):
            value = int(raw)
        elif cls is int:
            value = raw
        else:
            try:
                number, percent = to_decimal(raw)
            except CellError:
                raise CellError("not_an_integer") from None
            if percent or number != number.to_integral_value():
                raise CellError("not_an_integer")
            value = int(number)
        if check is not None:
            check(value)
        return value

    return parse


# Other types -----------------------------------------------------------------------------------------

_TRUE: Final = frozenset({"是", "y", "yes", "true", "t", "1", "有", "√", "✓", "对"})
_FALSE: Final = frozenset({"否", "n", "no", "false", "f", "0", "无", "×", "✗", "不"})


def parse_boolean(raw: Any) -> bool:
    if raw.__class__ is bool:
        return raw  # type: ignore[no-any-return]
    key = value_key(raw)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("not_a_boolean")


def choice_parser(column: Column) -> Parser:
    assert column.choices is not None
    index: dict[str, str] = {}
    for value, labels in column.choices.items():
        for label in (value, *labels):
            index[header_key(label)] = value
    listing = ", ".join(column.choices)

    def parse(raw: Any) -> str:
        found = index.get(header_key(raw))
        if found is None:
            raise CellError("not_a_choice", choices=listing)
        return found

    return parse


def _as_code_text(raw: Any) -> str:
    if raw.__class__ is float and raw.is_integer():
        return str(int(raw))
    return unicodedata.normalize("NFKC", str(raw)).strip().upper()


def parse_uscc(raw: Any) -> str:
    code = _as_code_text(raw)
    if not is_valid_uscc_charset(code):
        raise CellError("invalid_uscc")
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise CellError("uscc_check_failed", expected=expected)
    return code


def parse_region(raw: Any) -> str:
    code = _as_code_text(raw)
    if len(code) != 6 or not code.isdigit() or code[:2] not in PROVINCES:
        raise CellError("invalid_region")
    return code


def parse_industry(raw: Any) -> str:
    code = _as_code_text(raw)
    if code.isdigit() and len(code) == 1:
        code = "0" + code  # Excel drops the leading zero of divisions 01–09
    if industry_section(code) is None:
        raise CellError("invalid_industry")
    return code


_CURRENCY_NAMES: Final = {
    "人民币": "CNY",
    "RMB": "CNY",
    "美元": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "英镑": "GBP",
}
_CURRENCY_CODE: Final = re.compile(r"[A-Z]{3}").fullmatch


def parse_currency(raw: Any) -> str:
    code = _as_code_text(raw)
    code = _CURRENCY_NAMES.get(code, code)
    if not _CURRENCY_CODE(code):
        raise CellError("invalid_currency")
    return code


def text_parser(column: Column) -> Parser:
    limit = column.max_length

    def parse(raw: Any) -> str:
        if raw.__class__ is str:
            text = raw.strip()
            if not text:
                raise CellError("blank")
        elif raw.__class__ is float and raw.is_integer():
            text = str(int(raw))  # an ID typed as a number in Excel; leading zeros are already gone
        elif isinstance(raw, dt.datetime):
            text = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
        elif isinstance(raw, dt.date):
            text = raw.isoformat()
        else:
            text = str(raw)
        if limit is not None and len(text) > limit:
            raise CellError("too_long", max_length=limit)
        if "\x00" in text:  # PostgreSQL cannot store it, and it is never part of a name or number
            raise CellError("nul_character")
        return text

    return parse
