"""Money and numbers read the way each language writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.templatetags.formatting import format_money, percent


@pytest.mark.parametrize(
    ("value", "currency", "language", "expected"),
    [
        (Decimal("1234567.89"), "CNY", "en", "¥1,234,567.89"),
        (Decimal("1234567.89"), "CNY", "zh-hans", "1,234,567.89 元"),
        (Decimal("-5"), "USD", "en", "-US$5.00"),
        ("100000000", "USD", "zh-hans", "100,000,000.00 美元"),
        (None, "CNY", "en", "—"),
        ("n/a", "CNY", "en", "—"),
    ],
)
def test_money(value, currency, language, expected):
    assert format_money(value, currency, language) == expected


def test_percent():
    assert percent(Decimal("0.1234")) == "12.34%"
