"""Shared pieces of the analytics: column extraction, JSON rendering of numbers, day counts, buckets.

JSON conventions for every result dict in assets.analytics:
- amounts in yuan are strings with two decimals ("1234567.89"), summed exactly as Decimal;
- ratios, shares, rates, multiples, months and years are floats rounded to 6 decimals;
- counts are ints; dates are ISO strings; a metric that cannot be computed is None.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import Any, Final

CENT: Final = Decimal("0.01")
DAYS_PER_MONTH: Final = 30.4375
INACTIVE_STATUSES: Final = frozenset({"repaid", "repurchased", "written_off"})


def money(value: Decimal | float | int | None) -> str | None:
    """An amount as a JSON string with two decimals."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return str(value.quantize(CENT, ROUND_HALF_UP))


def ratio(value: float | Decimal | None) -> float | None:
    """A ratio, share or multiple as a JSON float rounded to 6 decimals."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, 6)


def safe_div(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip()
    return Decimal(text) if text else None


def to_date(value: Any) -> dt.date | None:
    if value is None or value.__class__ is dt.date:
        return value  # type: ignore[no-any-return]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    return dt.date.fromisoformat(text[:10]) if text else None


def months_up(days: int) -> int:
    """Whole months, rounded up, in a number of days (abs-data.md §3 convention: days / 30.4375).

    30.4375 = 487 / 16, so integer arithmetic gives the exact ceiling.
    """
    return (days * 16 + 486) // 487 if days > 0 else 0


def months_up_all(days: Sequence[int | None]) -> list[int | None]:
    """months_up of each number of days (None stays None), in one comprehension."""
    return [None if d is None else ((d * 16 + 486) // 487 if d > 0 else 0) for d in days]


def pick(values: Sequence[Any], positions: Sequence[int]) -> list[Any]:
    """values[i] for each position, at C speed."""
    if not positions:
        return []
    if len(positions) == 1:
        return [values[positions[0]]]
    return list(itemgetter(*positions)(values))


def columns(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> dict[str, list[Any]]:
    """Turn row dicts into one list per field (fields absent from the rows read as None)."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return {name: [] for name in fields}
    present = [name for name in fields if name in rows[0]]
    result: dict[str, list[Any]] = {name: [None] * len(rows) for name in fields if name not in rows[0]}
    if not present:
        return result
    getter = itemgetter(*present)
    try:
        tuples = [getter(row) for row in rows]
    except KeyError:  # rows of different shapes
        tuples = [tuple(row.get(name) for name in present) for row in rows]
    if len(present) == 1:
        result[present[0]] = tuples  # type: ignore[assignment]
    else:
        result.update(zip(present, map(list, zip(*tuples, strict=True)), strict=True))
    return result


def decimals(values: Sequence[Any]) -> list[Decimal]:
    """Amounts as Decimals, blanks as 0."""
    zero = Decimal(0)
    return [v if v.__class__ is Decimal else (to_decimal(v) or zero) for v in values]


def dates(values: Sequence[Any]) -> list[dt.date | None]:
    return [v if v is None or v.__class__ is dt.date else to_date(v) for v in values]


@dataclass(frozen=True)
class Bucket:
    """A half-open bucket (low, high]: a value belongs when low < value ≤ high; None bounds are open."""

    key: str
    zh: str
    en: str
    low: float | None = None
    high: float | None = None


def bucket_keys(values: Sequence[float | None], buckets: Sequence[Bucket]) -> list[str | None]:
    """The bucket key of each value (None stays None); buckets must be contiguous and ascending."""
    highs = [b.high if b.high is not None else math.inf for b in buckets]
    keys = [b.key for b in buckets]
    return [None if v is None else keys[bisect_left(highs, v)] for v in values]  # the last high is infinite


class ShareTable:
    """A stratification table fed batch by batch: a count and an exact Decimal sum per key.

    Its state is one entry per distinct key (in order of first appearance), whatever the number of assets.
    """

    def __init__(self) -> None:
        self.counts: dict[Any, int] = {}
        self.sums: dict[Any, Decimal] = {}

    def add(self, keys: Sequence[Any], amounts: Sequence[Decimal]) -> None:
        groups: defaultdict[Any, list[Decimal]] = defaultdict(list)
        for key, amount in zip(keys, amounts, strict=True):
            groups[key].append(amount)
        self.merge({key: len(values) for key, values in groups.items()}, groups)

    def merge(self, counts: Mapping[Any, int], amounts: Mapping[Any, Sequence[Decimal]]) -> None:
        """Add per-key counts and amounts (summed onto each key's running sum, in their order)."""
        own_counts, sums = self.counts, self.sums
        for key, count in counts.items():
            if key in own_counts:
                own_counts[key] += count
                sums[key] = sum(amounts[key], sums[key])
            else:
                own_counts[key] = count
                sums[key] = sum(amounts[key], Decimal(0))

    def table(
        self,
        *,
        labels: Mapping[Any, tuple[str, str]] | None = None,
        order: Sequence[Any] | None = None,
        missing: tuple[str, str] = ("未提供", "not given"),
    ) -> dict[str, Any]:
        """The table as share_table returns it."""
        counts, sums = self.counts, self.sums
        total_count = sum(counts.values())
        total_amount = sum(sums.values(), Decimal(0))
        if order is not None:
            ordered = [*order, *(k for k in counts if k not in set(order) and k is not None)]
        else:
            ordered = sorted((k for k in counts if k is not None), key=lambda k: (-sums[k], str(k)))
        if None in counts:
            ordered.append(None)
        rows = []
        for key in ordered:
            zh, en = missing if key is None else (labels or {}).get(key, (str(key), str(key)))
            count, amount = counts.get(key, 0), sums.get(key, Decimal(0))
            rows.append(
                {
                    "key": key,
                    "label_zh": zh,
                    "label_en": en,
                    "count": count,
                    "count_share": ratio(safe_div(count, total_count) or 0.0),
                    "amount": money(amount),
                    "amount_share": ratio(safe_div(float(amount), float(total_amount)) or 0.0),
                }
            )
        return {"rows": rows, "total": {"count": total_count, "amount": money(total_amount)}}


def share_table(
    keys: Sequence[Any],
    amounts: Sequence[Decimal],
    *,
    labels: Mapping[Any, tuple[str, str]] | None = None,
    order: Sequence[Any] | None = None,
    missing: tuple[str, str] = ("未提供", "not given"),
) -> dict[str, Any]:
    """Count, count %, amount and amount % per key (a stratification table).

    Rows follow `order` when given (keys with nothing are still listed), otherwise largest amount first;
    assets whose key is None are grouped under key None with the `missing` labels.
    """
    table = ShareTable()
    table.add(keys, amounts)
    return table.table(labels=labels, order=order, missing=missing)
