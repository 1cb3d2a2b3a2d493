"""Small readers shared by the rules: tolerant of blanks, missing keys and JSON-typed values."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..registry import Finding, msg


def find(message: Any, field: str, *, severity: str = "", **params: Any) -> Finding:
    """A finding whose message is filled with ``params``; the rule supplies code, (default) severity, section.

    Plain parameters are kept on the finding too, so the frozen JSON and CSV carry the figures.
    """
    return Finding(
        "",
        severity,
        "",
        msg(message, **params) if params else message,
        field,
        {key: value for key, value in params.items() if isinstance(value, str | int | float | bool)},
    )


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any) -> float | None:
    found = decimal(value)
    return None if found is None else float(found)


def day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def add_months(value: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


def pct(share: float | Decimal | None) -> str:
    """A fraction as a percentage for messages: 0.5234 → "52.34%"."""
    if share is None:
        return "—"
    return f"{float(share) * 100:.2f}".rstrip("0").rstrip(".") + "%"


def amount(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def rows(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name)
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    return value if isinstance(value, Mapping) else {}


def legal_final_maturity(data: Mapping[str, Any]) -> dt.date | None:
    """The transaction's legal final maturity: the latest of the tranches' legal final maturities."""
    dates = [day(t.get("legal_final_maturity")) for t in rows(data, "tranches")]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def tranche_total(data: Mapping[str, Any]) -> Decimal:
    return sum((decimal(t.get("size")) or Decimal(0) for t in rows(data, "tranches")), Decimal(0))


def currencies(items: Iterable[Mapping[str, Any]], key: str = "currency") -> set[str]:
    return {text(item.get(key)).upper() for item in items if not blank(item.get(key))}


def current_documents(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The current document per checklist code."""
    return {text(d.get("requirement")): d for d in rows(data, "documents") if not blank(d.get("requirement"))}
