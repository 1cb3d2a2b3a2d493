"""The mapping screen's look ahead: the first rows of a file converted under a mapping, exactly as the
import would store them, and the source of every required column (or that it has none yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from assets.criteria import DEFAULT_CRITERIA

from .conversion import RowConverter, build_plans
from .errors import ErrorCollector, TapeError
from .mapping import ColumnMapping, find_header
from .pipeline import _dedupe_headers, _header_score, _locate_header
from .readers import Source, is_blank_row, open_stream, open_table
from .schema import Column, get_schema

TYPE_LABELS: Final = {
    "text": gettext_lazy("text"),
    "id": gettext_lazy("identifier"),
    "money": gettext_lazy("amount (yuan)"),
    "decimal": gettext_lazy("number"),
    "rate": gettext_lazy("rate (fraction)"),
    "integer": gettext_lazy("whole number"),
    "date": gettext_lazy("date"),
    "month": gettext_lazy("month"),
    "boolean": gettext_lazy("yes / no"),
    "choice": gettext_lazy("code from a list"),
    "uscc": gettext_lazy("unified social credit code"),
    "region": gettext_lazy("region code"),
    "industry": gettext_lazy("industry code"),
    "currency": gettext_lazy("currency code"),
}


@dataclass(frozen=True)
class ColumnSource:
    """Where one of our columns takes its values from under the mapping."""

    column: Column
    header: str | None = None  # the file's column
    constant: str | None = None  # the same value for every row
    derived: bool = False  # filled from other columns or the filing (e.g. the cut-off date)

    @property
    def found(self) -> bool:
        return self.header is not None or self.constant is not None

    @property
    def label(self) -> str:
        """The column's name in the reader's language."""
        return self.column.zh if (get_language() or "zh").lower().startswith("zh") else self.column.en

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.column.type, self.column.type))


@dataclass
class ConversionSample:
    sources: list[ColumnSource]  # every column of the schema, in template order
    columns: list[ColumnSource] = field(default_factory=list)  # those that get a value, shown in the preview
    rows: list[list[str]] = field(default_factory=list)  # each row's values as stored, per shown column
    errors: list[TapeError] = field(default_factory=list)  # mapping errors, then the sample rows' errors

    @property
    def required(self) -> list[ColumnSource]:
        return [source for source in self.sources if source.column.required]

    @property
    def missing(self) -> list[ColumnSource]:
        return [source for source in self.required if not source.found]

    @property
    def optional_found(self) -> list[ColumnSource]:
        return [source for source in self.sources if source.found and not source.column.required]


def stored_text(value: Any) -> str:
    """A converted value as the pool stores it (ISO dates, exact decimals, yes/no)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _sources(
    schema: Any, headers: list[str], mapping: ColumnMapping, defaults: dict[str, Any]
) -> list[ColumnSource]:
    """The same choice build_plans makes: the mapped column, a constant, a header that matches, the
    filing's value; else nothing."""
    matched: dict[str, int] = {}
    if mapping.auto_match:
        for position, header in enumerate(headers):
            canonical = schema.match_header(header) if header else None
            if canonical is not None:
                matched.setdefault(canonical, position)
    result = []
    for column in schema.columns:
        name = column.name
        if name in mapping.columns:
            index = find_header(headers, mapping.columns[name])
            result.append(ColumnSource(column, header=headers[index] if index is not None else None))
        elif name in mapping.constants:
            result.append(ColumnSource(column, constant=str(mapping.constants[name])))
        elif name in matched:
            result.append(ColumnSource(column, header=headers[matched[name]]))
        elif name in defaults:
            result.append(ColumnSource(column, constant=str(defaults[name]), derived=True))
        else:
            result.append(ColumnSource(column))
    return result


def sample_conversion(
    source: Source,
    *,
    asset_class: str,
    kind: str = "assets",
    mapping: ColumnMapping | None = None,
    cutoff_date: dt.date | None = None,
    sample_rows: int = 5,
) -> ConversionSample:
    """The first ``sample_rows`` data rows under ``mapping``; TapeReadError if the file is unreadable."""
    schema = get_schema(asset_class, kind)
    mapping = ColumnMapping.coerce(mapping)
    defaults = (
        {"cutoff_date": cutoff_date.isoformat()}
        if cutoff_date and kind == "assets" and asset_class != "toll_income"
        else {}
    )
    stream = open_stream(source)
    try:
        table = open_table(
            stream,
            source,
            encoding=mapping.encoding,
            delimiter=mapping.delimiter,
            sheet=mapping.sheet,
            kind=kind if asset_class == "toll_income" or kind != "assets" else None,
        )
        _row, headers, data = _locate_header(table.rows, mapping, _header_score(schema, mapping))
        headers = _dedupe_headers(headers, ErrorCollector())
        sample = ConversionSample(_sources(schema, headers, mapping, defaults))
        errors = ErrorCollector(50)
        plans = build_plans(
            schema,
            headers,
            mapping,
            errors=errors,
            default_constants=defaults or None,
            max_rate=Decimal(str(DEFAULT_CRITERIA["tape"]["max_interest_rate"])),
        )
        if plans is not None:
            batch, numbers = [], []
            width = len(headers)
            for number, cells in data:
                if is_blank_row(cells):
                    continue
                batch.append([*cells, *[""] * (width - len(cells))])
                numbers.append(number)
                if len(batch) >= sample_rows:
                    break
            converted, _bad = RowConverter(plans, errors).convert(batch, numbers) if batch else ([], b"")
            sample.columns = [s for s in sample.sources if s.found]
            sample.rows = [[stored_text(row.get(s.column.name)) for s in sample.columns] for row in converted]
        sample.errors = [error for error in errors.errors if error.code != "missing_column"]
    finally:
        stream.close()
    return sample
