"""Column converters: the per-cell parser of each column type, and a bulk fast path per column.

The importer first converts each column with one list comprehension (the fast path), which handles the
common spellings (plain ASCII numbers, blanks, text, memoised codes and dates) and marks every other cell
SLOW; only those go through the per-cell parser, which also produces the error. Values outside a column's
range are marked SLOW too, so the parser reports them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from .dates import date_parser, month_parser
from .fields import Column
from .parsing import (
    HUNDRED,
    PLAIN_DECIMAL,
    PLAIN_INT,
    Parser,
    choice_parser,
    decimal_parser,
    integer_parser,
    money_parser,
    parse_boolean,
    parse_currency,
    parse_industry,
    parse_region,
    parse_uscc,
    rate_parser,
    text_parser,
)  # fmt: skip

SLOW: Final = object()
ColumnFast = Callable[[list[Any]], list[Any]]
_MONEY_FAST: Final = re.compile(r"-?\d+(?:\.\d{1,2})?").fullmatch


def _range_filter(column: Column, low: Any, high: Any, values: list[Any]) -> list[Any]:
    numbers = [v for v in values if v is not None and v is not SLOW]
    if not numbers:
        return values
    smallest, largest = min(numbers), max(numbers)
    exclusive = column.min_exclusive
    if (low is None or (smallest > low if exclusive else smallest >= low)) and (
        high is None or largest <= high
    ):
        return values
    return [
        v
        if v is None
        or v is SLOW
        or ((low is None or (v > low if exclusive else v >= low)) and (high is None or v <= high))
        else SLOW
        for v in values
    ]


def fast_converter(
    column: Column,
    *,
    multiplier: Decimal = Decimal(1),
    percent: bool = False,
    max_rate: Decimal | None = None,
    cache: dict[Any, Any] | None = None,
) -> ColumnFast | None:
    """A whole-column converter for the common case, or None when every cell must take the parser."""
    kind, nd = column.type, bool(column.nd)
    low, high = column.min_value, column.max_value
    if cache is not None:
        cache.setdefault("", None)

        def cached(values: list[Any]) -> list[Any]:
            get = cache.get
            return [get(v, SLOW) for v in values]

        return cached
    if kind in ("text", "id"):
        limit = column.max_length or 1_000_000

        def text(values: list[Any]) -> list[Any]:
            return [
                (
                    (s if len(s) <= limit and not (nd and s[0] in "Nn") and "\x00" not in s else SLOW)
                    if (s := v.strip())
                    else None
                )
                if v.__class__ is str
                else SLOW
                for v in values
            ]

        return text
    if kind == "money":
        scale = multiplier if multiplier != 1 else None

        def money(values: list[Any]) -> list[Any]:
            out: list[Any] = [
                (Decimal(v) if _MONEY_FAST(v) else None if not v else SLOW) if v.__class__ is str else SLOW
                for v in values
            ]
            if scale is not None:
                out = [v * scale if v is not None and v is not SLOW else v for v in out]
            return _range_filter(column, low, high, out)

        return money
    if kind in ("decimal", "rate"):
        divide = kind == "rate" and percent
        ceiling: Any = high
        if kind == "rate":  # a bare number above 1 is a percentage the parser must report
            limits = [
                Decimal(str(high)) if high is not None else None,
                max_rate,
                None if percent else Decimal(1),
            ]
            ceiling = min((x for x in limits if x is not None), default=None)

        def number(values: list[Any]) -> list[Any]:
            out: list[Any] = [
                (Decimal(v) if PLAIN_DECIMAL(v) else None if not v else SLOW) if v.__class__ is str else SLOW
                for v in values
            ]
            if divide:
                out = [v / HUNDRED if v is not None and v is not SLOW else v for v in out]
            return _range_filter(column, low, ceiling, out)

        return number
    if kind == "integer":

        def integer(values: list[Any]) -> list[Any]:
            out = [
                (int(v) if PLAIN_INT(v) else None if not v else SLOW) if v.__class__ is str else SLOW
                for v in values
            ]
            return _range_filter(column, low, high, out)

        return integer
    return None


# Types whose parsed value depends only on the cell text: the importer memoises them per column.
CACHEABLE: Final = frozenset({"date", "month", "boolean", "choice", "region", "industry", "currency", "uscc"})


def make_parser(
    column: Column,
    *,
    multiplier: Decimal = Decimal(1),
    date_format: str | None = None,
    percent: bool = False,
    max_rate: Decimal | None = None,
) -> Parser:
    """The parser for one column under a mapping's unit, date format and percent declarations."""
    kind = column.type
    if kind == "money":
        return money_parser(column, multiplier)
    if kind == "decimal":
        return decimal_parser(column)
    if kind == "rate":
        return rate_parser(column, percent_column=percent, max_rate=max_rate)
    if kind == "integer":
        return integer_parser(column)
    if kind == "date":
        return date_parser(date_format)
    if kind == "month":
        return month_parser(date_format)
    if kind == "boolean":
        return parse_boolean
    if kind == "choice":
        return choice_parser(column)
    if kind == "uscc":
        return parse_uscc
    if kind == "region":
        return parse_region
    if kind == "industry":
        return parse_industry
    if kind == "currency":
        return parse_currency
    return text_parser(column)
