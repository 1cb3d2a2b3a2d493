"""How snapshot values print in the dossier: numbers, shares, dates, labels, and tables of them.

Everything here returns plain ``str`` evaluated in the active language, so the dossier's text is a
pure function of the snapshot and the language (no locale-dependent formats, no clock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

DASH = "—"


@dataclass(frozen=True)
class Cell:
    text: str
    num: bool = False  # right-aligned figures
    mono: bool = False  # hashes and identifiers: monospace, may break anywhere
    tag: str = ""  # an extra class, e.g. "policy" for the desk's own rules

    @property
    def css(self) -> str:
        return "num" if self.num else "hash" if self.mono else self.tag


@dataclass
class Table:
    """A printed table: header cells, body rows and an optional total row; ``hidden`` rows were left out."""

    headers: list[Cell]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    caption: str = ""
    hidden: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows) + self.hidden


def text(value: Any) -> str:
    """Any value as print text; empty and missing values print as a dash."""
    if value is None or value == "" or value == []:
        return DASH
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(text(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {text(item)}" for key, item in sorted(value.items()))
    if isinstance(value, float):
        return number(value)
    return str(value)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def amount(value: Any) -> str:
    """An amount with thousands separators and two decimals (amounts travel as strings)."""
    number_ = _decimal(value)
    return DASH if number_ is None else f"{number_:,.2f}"


def integer(value: Any) -> str:
    number_ = _decimal(value)
    return DASH if number_ is None else f"{number_:,.0f}"


def number(value: Any, places: int = 2) -> str:
    number_ = _decimal(value)
    if number_ is None:
        return DASH
    if number_ == number_.to_integral_value() and places <= 2:
        return f"{number_:,.0f}"
    return f"{number_:,.{places}f}"


def share(value: Any, places: int = 2) -> str:
    """A fraction (0.1234) as a percentage (12.34%)."""
    number_ = _decimal(value)
    return DASH if number_ is None else f"{number_ * 100:,.{places}f}%"


def percent(value: Any) -> str:
    """A value already in percent (12.5) as 12.5%."""
    number_ = _decimal(value)
    return DASH if number_ is None else f"{number_.normalize():f}%"


def compact_amount(value: float) -> str:
    """Short amounts for chart annotations: 万 in Chinese, millions in English."""
    if chinese():
        return f"{value / 1e4:,.1f}万"
    return f"{value / 1e6:,.2f}m"


def chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").lower().startswith("zh")


def pick(zh: Any, en: Any) -> str:
    """The Chinese or English one of a pair held in both languages."""
    chosen = zh if chinese() else (en or zh)
    return text(chosen)


def day(value: Any) -> str:
    """A date (or an ISO date string, as snapshots and analytics hold them) in the language's one date
    format: 2026年12月6日, 6 Dec 2026. Anything else prints as text."""
    from django.utils import formats

    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10]) if len(value) == 10 else value
        except ValueError:
            return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return formats.date_format(value, "DATE_FORMAT")
    return text(value)


def moment(value: Any) -> str:
    """A timestamp (datetime or ISO string) in the regulator's time zone, to the second."""
    if value in (None, ""):
        return DASH
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def file_size(value: Any) -> str:
    number_ = _decimal(value)
    if number_ is None:
        return DASH
    size = float(number_)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return DASH


def choice_label(model: type[models.Model], name: str, value: Any) -> str:
    """The translated label of a choice field's stored value (the value itself if unknown)."""
    model_field = model._meta.get_field(name)
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    if value in choices and value not in ("", None):
        return str(choices[value])
    return text(value)


def field_label(model: type[models.Model], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    return label[:1].upper() + label[1:]


def field_value(model: type[models.Model], name: str, value: Any) -> Cell:
    """A model field's snapshot value, printed by the field's type."""
    model_field = model._meta.get_field(name)
    if getattr(model_field, "choices", None):
        return Cell(choice_label(model, name, value))
    if isinstance(model_field, models.BooleanField):
        return Cell(text(bool(value)) if value is not None else DASH)
    if isinstance(model_field, models.DecimalField):
        if "pct" in name or name == "percentage":
            return Cell(percent(value), num=True)
        return Cell(amount(value), num=True)
    if isinstance(model_field, models.PositiveSmallIntegerField | models.IntegerField):
        return Cell(text(value), num=True)
    return Cell(text(value))


def model_pairs(
    model: type[models.Model], values: Mapping[str, Any], names: Sequence[str] | None = None
) -> list[tuple[str, Cell]]:
    """Label/value pairs for a single-row section, in the model's field order."""
    if names is None:
        names = [
            f.name
            for f in model._meta.concrete_fields
            if f.name in values and f.name not in {"id", "filing", "version", "updated_at"}
        ]
    return [(field_label(model, name), field_value(model, name, values.get(name))) for name in names]


def model_table(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], names: Sequence[str], *, limit: int
) -> Table:
    """Repeating rows of a section (parties, tranches, …) as a table, at most ``limit`` rows."""
    headers = []
    for name in names:
        model_field = model._meta.get_field(name)
        numeric = isinstance(model_field, models.DecimalField | models.IntegerField) and not getattr(
            model_field, "choices", None
        )
        headers.append(Cell(field_label(model, name), num=numeric))
    body = [[field_value(model, name, row.get(name)) for name in names] for row in rows[:limit]]
    return Table(headers=headers, rows=body, hidden=max(len(rows) - limit, 0))


# Column formats for lists whose shape the producer decides (exceptions, top obligors, waivers…).
Formatter = Callable[[Any], str]


def generic_table(
    rows: Iterable[Mapping[str, Any]],
    *,
    columns: Mapping[str, tuple[str, Formatter, bool]],
    limit: int,
) -> Table:
    """A list of dicts as a table. Known keys print in ``columns``' order with their label, format and
    alignment; any other key a row carries follows under its own name, so nothing is dropped silently."""
    materialised = list(rows)
    shown = materialised[:limit]
    extra_keys = sorted({key for row in shown for key in row if key not in columns})
    keys = [key for key in columns if any(key in row for row in shown)] + extra_keys
    headers = [
        Cell(columns[key][0] if key in columns else key, num=columns[key][2] if key in columns else False)
        for key in keys
    ]
    body = []
    for row in shown:
        cells = []
        for key in keys:
            if key in columns:
                _label, fmt, numeric = columns[key]
                cells.append(Cell(fmt(row.get(key)) if row.get(key) is not None else DASH, num=numeric))
            else:
                cells.append(Cell(text(row.get(key))))
        body.append(cells)
    return Table(headers=headers, rows=body, hidden=max(len(materialised) - limit, 0))
