"""Locale-aware formatting of money, percentages and multiples for templates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "US$", "HKD": "HK$", "SGD": "S$", "EUR": "€"}
CURRENCY_WORDS_ZH = {"CNY": "元", "USD": "美元", "HKD": "港元", "SGD": "新加坡元", "EUR": "欧元"}


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_money(value: Any, currency: str = "CNY", language: str | None = None) -> str:
    """¥1,234,567.89 in English, 1,234,567.89 元 in Chinese; other currencies alike."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    language = language or get_language() or "zh-hans"
    number = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    currency = (currency or "CNY").upper()
    if language.startswith("zh"):
        word = CURRENCY_WORDS_ZH.get(currency, currency)
        return f"{sign}{number} {word}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"


@register.filter
def money(value: Any, currency: str = "CNY") -> str:
    return format_money(value, currency)


@register.filter
def percent(value: Any, digits: int = 2) -> str:
    """0.1234 → 12.34 %."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number * 100:,.{int(digits)}f}%"
