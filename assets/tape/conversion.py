"""Conversion: turn raw cells into canonical rows, a batch at a time and one column at a time.

For each column a list comprehension converts the usual spellings of the whole batch (5 000 rows), and
only the cells it cannot handle go through the per-cell parser, which also reports errors. On 100 000
generated receivables this takes about 1.5 s of CPU, the same as a per-row pydantic model that checks
less (no code lists, ND codes or Chinese labels), and it reports each error with the user's row, header
and raw cell without a translation layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from .converters import CACHEABLE, SLOW, ColumnFast, fast_converter, make_parser
from .errors import ErrorCollector
from .fields import Column
from .mapping import ColumnMapping, find_header
from .parsing import CellError, Parser, nd_code, unit_multiplier, value_key
from .schema import Schema

Row = dict[str, Any]
_CACHE_LIMIT: Final = 200_000


@dataclass(slots=True)
class ColumnPlan:
    """Where one canonical column comes from in this file and how its cells are parsed."""

    name: str
    column: Column
    index: int | None  # position in the source row; None for constants and absent optional columns
    source: str  # the header as written in the user's file (or the canonical name)
    parser: Parser
    constant: Any = None
    constant_nd: str | None = None
    value_map: dict[str, str] | None = None
    cache: dict[Any, Any] | None = None
    fast: ColumnFast | None = None


def build_plans(
    schema: Schema,
    headers: Sequence[str],
    mapping: ColumnMapping,
    *,
    errors: ErrorCollector,
    max_rate: Decimal | None,
    default_constants: Mapping[str, Any] | None = None,
) -> list[ColumnPlan] | None:
    """One plan per canonical column, or None (with errors recorded) when required columns are missing."""
    fatal = False
    for name in mapping.unknown_columns(schema):
        errors.add("unknown_mapping_column", column=name)
        fatal = True
    multiplier = unit_multiplier(mapping.amount_unit)
    percent = set(mapping.percent_columns)
    constants = dict(mapping.constants)
    fallbacks = dict(default_constants or {})  # used only when the file has no such column
    by_header: dict[str, int] = {}
    if mapping.auto_match:
        for position, header in enumerate(headers):
            canonical = schema.match_header(header) if header else None
            if canonical is not None:
                by_header.setdefault(canonical, position)
    plans: list[ColumnPlan] = []
    for column in schema.columns:
        name = column.name
        parser = make_parser(
            column,
            multiplier=multiplier,
            date_format=mapping.date_format,
            percent=name in percent,
            max_rate=max_rate,
        )
        value_map = {value_key(k): v for k, v in mapping.value_maps.get(name, {}).items()} or None
        cache: dict[Any, Any] | None = {} if column.type in CACHEABLE else None
        index: int | None = None
        if name in mapping.columns:
            index = find_header(headers, mapping.columns[name])
            if index is None:
                errors.add("mapped_column_not_found", column=name, value=str(mapping.columns[name]))
                fatal = True
                continue
        elif name not in constants:
            index = by_header.get(name)
            if index is None and name in fallbacks:
                constants[name] = fallbacks[name]
        if index is not None:
            fast = fast_converter(
                column, multiplier=multiplier, percent=name in percent, max_rate=max_rate, cache=cache
            )
            plans.append(
                ColumnPlan(
                    name,
                    column,
                    index,
                    headers[index] or f"#{index + 1}",
                    parser,
                    value_map=value_map,
                    cache=cache,
                    fast=fast,
                )
            )
            continue
        plan = ColumnPlan(name, column, None, name, parser)
        if name in constants:
            fatal |= not _parse_constant(plan, constants[name], value_map, errors)
        elif column.required:
            errors.add("missing_column", column=name, column_zh=column.zh)
            fatal = True
        plans.append(plan)
    return None if fatal else plans


def _parse_constant(
    plan: ColumnPlan, raw: Any, value_map: dict[str, str] | None, errors: ErrorCollector
) -> bool:
    if isinstance(raw, str):
        raw = raw.strip()
    if value_map is not None:
        raw = value_map.get(value_key(raw), raw)
    code = nd_code(raw)
    if code is not None and code[:3] in plan.column.nd:
        plan.constant_nd = code
        return True
    try:
        plan.constant = plan.parser(raw)
    except CellError as error:
        errors.add("bad_constant", column=plan.name, value=raw, reason=error.code)
        return False
    return True


class RowConverter:
    """Parses batches of raw rows into canonical row dicts, recording cell errors."""

    def __init__(self, plans: list[ColumnPlan], errors: ErrorCollector) -> None:
        self.plans = plans
        self.errors = errors
        self.names = [plan.name for plan in plans]

    def convert(self, batch: list[list[Any]], numbers: list[int]) -> tuple[list[Row], bytearray]:
        """Canonical rows (with source_row and no_data) and a flag per row that has an error.

        Rows must be padded to the header width. Each column goes through its bulk fast path first; the
        cells it marks SLOW (and every cell of columns without one) take the per-cell parser.
        """
        n = len(batch)
        bad = bytearray(n)
        no_data: dict[int, dict[str, str]] = {}
        columns: list[Any] = []
        transposed = list(zip(*batch, strict=False))  # one tuple per source column
        for plan in self.plans:
            if plan.index is None:
                columns.append([plan.constant] * n)
                if plan.constant_nd is not None:
                    for j in range(n):
                        no_data.setdefault(j, {})[plan.name] = plan.constant_nd
                continue
            raw: Sequence[Any] = transposed[plan.index]
            if plan.value_map is not None:
                get = plan.value_map.get
                raw = [get(value_key(v), v) if v is not None and v != "" else v for v in raw]
            if plan.fast is not None:
                values = plan.fast(raw)  # type: ignore[arg-type]
                slow: Sequence[int] = [j for j, v in enumerate(values) if v is SLOW]
            else:
                values = [None] * n
                slow = range(n)
            nd_rows = self._slow_cells(plan, raw, values, slow, numbers, bad, no_data) if slow else ()
            if plan.column.required:
                for j in [j for j, v in enumerate(values) if v is None]:
                    if j not in nd_rows:
                        self.errors.add("required", row=numbers[j], column=plan.source)
                        bad[j] = 1
            columns.append(values)
        names = [*self.names, "source_row", "no_data"]
        flags = [no_data.get(j) or {} for j in range(n)] if no_data else [{} for _ in range(n)]
        rows = [
            dict(zip(names, values, strict=True)) for values in zip(*columns, numbers, flags, strict=True)
        ]
        return rows, bad

    def _slow_cells(
        self,
        plan: ColumnPlan,
        raw: Sequence[Any],
        values: list[Any],
        positions: Sequence[int],
        numbers: list[int],
        bad: bytearray,
        no_data: dict[int, dict[str, str]],
    ) -> set[int]:
        """Parse cells one by one: no-data codes, spaces-only blanks, unusual spellings and errors."""
        parse, cache, name, source = plan.parser, plan.cache, plan.name, plan.source
        nd_allowed = plan.column.nd
        nd_rows: set[int] = set()
        add_error = self.errors.add
        for j in positions:
            cell = raw[j]
            values[j] = None
            if cell is None or cell == "":
                continue
            if nd_allowed and cell.__class__ is str:
                code = nd_code(cell)
                if code is not None and code[:3] in nd_allowed:
                    no_data.setdefault(j, {})[name] = code
                    nd_rows.add(j)
                    continue
            try:
                value = parse(cell)
            except CellError as error:
                if cell.__class__ is str and not cell.strip():
                    continue  # only spaces: a blank cell
                if nd_code(cell) is not None:
                    add_error("nd_not_allowed", row=numbers[j], column=source, value=cell)
                else:
                    add_error(error.code, row=numbers[j], column=source, value=cell, **error.params)
                bad[j] = 1
                nd_rows.add(j)  # already reported; not "required" as well
                continue
            values[j] = value
            if cache is not None and len(cache) < _CACHE_LIMIT:
                cache[cell] = value
        return nd_rows
