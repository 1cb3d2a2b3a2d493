"""The import pipeline the job layer calls: read, map, parse, validate, and hand rows to a sink in batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from assets.criteria import DEFAULT_CRITERIA

from .conversion import RowConverter, build_plans
from .errors import ErrorCollector, TapeError
from .mapping import ColumnMapping, MappingSuggestion, find_header, suggest_mapping
from .parsing import value_key
from .perf import gc_paused
from .readers import Cells, Source, TapeReadError, cell_text, is_blank_row, open_stream, open_table
from .schema import Schema, get_schema, header_key
from .validation import PerformanceChecks, PoolChecks, TollChecks

Row = dict[str, Any]
_HEADER_SCAN_ROWS: Final = 30
_TOTAL_LABELS: Final = ("total", "合计", "总计", "小计", "subtotal", "sum")
_TOTAL_INITIALS: Final = frozenset("TtSs合总小")


@dataclass(frozen=True)
class ImportOptions:
    """Per-run settings (the mapping holds the per-organisation layout)."""

    batch_size: int = 5000
    # Errors kept in the result (all are counted); None reads criteria["tape"]["max_errors"].
    max_errors: int | None = None
    criteria: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_CRITERIA)
    # The filing's 基准日: fills an absent cut-off column and must equal a present one.
    cutoff_date: dt.date | None = None
    # Historical tapes: one row per asset per report date, so several cut-off dates.
    allow_multiple_cutoffs: bool = False
    # Parse and check only; the sink is never called.
    validate_only: bool = False
    # The cut-off date may not lie after it; tests pin it.
    today: dt.date | None = None


@dataclass(frozen=True)
class Progress:
    """Reported after every batch and once at the end."""

    rows_read: int
    rows_validated: int
    rows_valid: int
    error_count: int
    bytes_read: int  # of a CSV as it streams; a workbook is read whole first
    total_bytes: int | None
    rows_total: int | None = None  # data rows below the header of a worksheet; unknown for CSV


@dataclass
class ImportResult:
    """What happened; `ok` is False when any error (not warning) was found."""

    asset_class: str
    kind: str
    sha256: str = ""
    size_bytes: int = 0
    file_format: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    column_sources: dict[str, str] = field(default_factory=dict)  # canonical -> header, or "=constant"
    unmapped_headers: list[str] = field(default_factory=list)
    rows_read: int = 0  # non-blank data rows below the header
    rows_skipped: int = 0  # total rows and rows excluded by include_rows
    rows_valid: int = 0  # handed to the sink (or would have been, when validating only)
    rows_invalid: int = 0
    rows_total: int | None = None  # data rows below the header of a worksheet (blank ones included)
    cutoff_dates: list[dt.date] = field(default_factory=list)
    error_count: int = 0
    errors: list[TapeError] = field(default_factory=list)  # the first max_errors
    error_counts: dict[str, int] = field(default_factory=dict)  # by code, all of them
    errors_truncated: bool = False
    warning_count: int = 0
    warnings: list[TapeError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary for the job row (errors as dicts; see TapeError.from_dict)."""
        return {
            "asset_class": self.asset_class,
            "kind": self.kind,
            "ok": self.ok,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "file_format": self.file_format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "sheet_names": self.sheet_names,
            "header_row": self.header_row,
            "headers": self.headers,
            "column_sources": self.column_sources,
            "unmapped_headers": self.unmapped_headers,
            "rows_read": self.rows_read,
            "rows_skipped": self.rows_skipped,
            "rows_valid": self.rows_valid,
            "rows_invalid": self.rows_invalid,
            "rows_total": self.rows_total,
            "cutoff_dates": [d.isoformat() for d in self.cutoff_dates],
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "error_counts": self.error_counts,
            "errors_truncated": self.errors_truncated,
            "warning_count": self.warning_count,
            "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass(frozen=True)
class FilePreview:
    """What the mapping screen shows before an import: layout, headers, a few rows and a suggested mapping."""

    file_format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    sheet_names: list[str]
    header_row: int | None
    headers: list[str]
    sample_rows: list[list[str]]
    suggestion: MappingSuggestion | None


# Headers ---------------------------------------------------------------------------------------------


def _header_score(schema: Schema, mapping: ColumnMapping) -> Callable[[Cells], int]:
    mapped = {
        header_key(name)
        for sources in mapping.columns.values()
        for name in ([sources] if isinstance(sources, str) else sources)
    }

    def score(cells: Cells) -> int:
        texts = [cell_text(cell) for cell in cells]
        return sum(1 for t in texts if t and (schema.match_header(t) is not None or header_key(t) in mapped))

    return score


def _join_header_rows(lines: list[Cells]) -> list[str]:
    width = max((len(cells) for cells in lines), default=0)
    parts: list[list[str]] = [[] for _ in range(width)]
    for depth, cells in enumerate(lines):
        last = ""
        for position in range(width):
            text = cell_text(cells[position]) if position < len(cells) else ""
            if depth < len(lines) - 1:  # a merged cell spans the blanks to its right
                text = text or last
                last = text
            if text:
                parts[position].append(text)
    return [" ".join(words) for words in parts]


def _locate_header(
    rows: Iterator[tuple[int, Cells]], mapping: ColumnMapping, score: Callable[[Cells], int]
) -> tuple[int, list[str], Iterator[tuple[int, Cells]]]:
    """The header row number, header names and the data rows after it."""
    buffered: list[tuple[int, Cells]] = []
    if mapping.header_row is not None:
        for number, cells in rows:
            if number >= mapping.header_row:
                buffered.append((number, cells))
                break
        start = 0
    else:
        for item in rows:
            buffered.append(item)
            if len(buffered) >= _HEADER_SCAN_ROWS:
                break
        scores = [score(cells) for _, cells in buffered]
        best = max(scores, default=0)
        if best > 0:
            start = scores.index(best)
        else:
            start = next(
                (i for i, (_, cells) in enumerate(buffered) if not is_blank_row(cells)), len(buffered)
            )
    while len(buffered) < start + mapping.header_rows:
        following = next(rows, None)
        if following is None:
            break
        buffered.append(following)
    lines = buffered[start : start + mapping.header_rows]
    if not lines or all(is_blank_row(cells) for _, cells in lines):
        raise TapeReadError("empty_file")
    remaining = buffered[start + mapping.header_rows :]

    def data() -> Iterator[tuple[int, Cells]]:
        yield from remaining
        yield from rows

    return lines[-1][0], _join_header_rows([cells for _, cells in lines]), data()


def _dedupe_headers(headers: list[str], warnings: ErrorCollector) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for header in headers:
        key = header_key(header)
        if not key:
            result.append(header)
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            renamed = f"{header} #{seen[key]}"
            warnings.add("duplicate_header", value=header, renamed=renamed)
            header = renamed
        result.append(header)
    return result


def _is_total_row(cells: Cells) -> bool:
    for cell in cells:
        if cell is None or (cell.__class__ is str and not cell.strip()):
            continue
        if cell.__class__ is not str or cell.lstrip()[:1] not in _TOTAL_INITIALS:
            return False
        return value_key(cell).startswith(_TOTAL_LABELS)
    return False


# The pipeline ----------------------------------------------------------------------------------------


def run_import(
    source: Source,
    *,
    asset_class: str,
    kind: str = "assets",
    mapping: ColumnMapping | Mapping[str, Any] | None = None,
    options: ImportOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    sink: Callable[[list[Row]], None] | None = None,
) -> ImportResult:
    """Import one file (path, bytes or binary stream) of one asset class and kind.

    Valid canonical rows go to `sink` in batches of options.batch_size; rows with an error are not sent.
    The caller owns all-or-nothing: stage the batches in a transaction and roll back unless result.ok.
    """
    schema = get_schema(asset_class, kind)
    mapping = ColumnMapping.coerce(mapping)
    options = options or ImportOptions()
    criteria = options.criteria
    limit = options.max_errors if options.max_errors is not None else int(criteria["tape"]["max_errors"])
    errors, warnings = ErrorCollector(limit), ErrorCollector(limit)
    result = ImportResult(asset_class=asset_class, kind=kind)
    stream = open_stream(source)
    result.size_bytes = stream.size or 0
    try:
        _run(stream, source, schema, mapping, options, errors, warnings, result, on_progress, sink)
    except TapeReadError as error:
        errors.add(error.code, row=error.row, value=error.value, **error.params)
    finally:
        stream.drain()
        result.sha256 = stream.hexdigest()
        result.size_bytes = stream.bytes_read
        stream.close()
    result.error_count, result.errors = errors.count, errors.errors
    result.error_counts, result.errors_truncated = dict(errors.by_code), errors.truncated
    result.warning_count, result.warnings = warnings.count, warnings.errors
    if on_progress is not None:
        on_progress(
            Progress(
                result.rows_read,
                result.rows_valid + result.rows_invalid,
                result.rows_valid,
                errors.count,
                stream.bytes_read,
                stream.size,
                result.rows_total,
            )
        )
    return result


def _run(
    stream: Any,
    source: Source,
    schema: Schema,
    mapping: ColumnMapping,
    options: ImportOptions,
    errors: ErrorCollector,
    warnings: ErrorCollector,
    result: ImportResult,
    on_progress: Callable[[Progress], None] | None,
    sink: Callable[[list[Row]], None] | None,
) -> None:
    table = open_table(
        stream,
        source,
        encoding=mapping.encoding,
        delimiter=mapping.delimiter,
        sheet=mapping.sheet,
        kind=schema.kind if schema.asset_class == "toll_income" or schema.kind != "assets" else None,
    )
    result.file_format, result.encoding, result.delimiter = table.format, table.encoding, table.delimiter
    result.sheet, result.sheet_names = table.sheet, table.sheet_names
    header_row, headers, rows = _locate_header(table.rows, mapping, _header_score(schema, mapping))
    headers = _dedupe_headers(headers, warnings)
    result.header_row, result.headers = header_row, headers
    if table.last_row is not None:
        result.rows_total = max(table.last_row - header_row, 0)

    criteria = options.criteria
    defaults = (
        {"cutoff_date": options.cutoff_date.isoformat()}
        if options.cutoff_date and schema.kind == "assets" and schema.asset_class != "toll_income"
        else None
    )
    plans = build_plans(
        schema,
        headers,
        mapping,
        errors=errors,
        default_constants=defaults,
        max_rate=Decimal(str(criteria["tape"]["max_interest_rate"])),
    )
    if plans is None:
        return
    used = {plan.index for plan in plans if plan.index is not None}
    result.column_sources = {
        plan.name: plan.source if plan.index is not None else "=constant"
        for plan in plans
        if plan.index is not None or plan.constant is not None or plan.constant_nd is not None
    }
    result.unmapped_headers = [h for i, h in enumerate(headers) if h and i not in used]
    sources = {plan.name: plan.source for plan in plans}
    indices = {plan.name: plan.index for plan in plans}

    converter = RowConverter(plans, errors)
    checks: PoolChecks | TollChecks | PerformanceChecks
    if schema.kind == "performance":
        checks = PerformanceChecks(
            criteria=criteria, sources=sources, indices=indices, errors=errors, warnings=warnings
        )
    elif schema.asset_class == "toll_income":
        checks = TollChecks(
            schema.kind, criteria=criteria, sources=sources, indices=indices, errors=errors, warnings=warnings
        )
    else:
        checks = PoolChecks(
            schema,
            criteria=criteria,
            sources=sources,
            indices=indices,
            errors=errors,
            expected_cutoff=options.cutoff_date,
            allow_multiple_cutoffs=options.allow_multiple_cutoffs,
            today=options.today or dt.date.today(),
        )

    fill = [i for i in (find_header(headers, name) for name in mapping.fill_down) if i is not None]
    filters = []
    for name, accepted in mapping.include_rows.items():
        index = find_header(headers, name)
        if index is None:
            errors.add("mapped_column_not_found", column="include_rows", value=name)
            return
        filters.append((index, {value_key(value) for value in accepted}))
    last_filled: dict[int, Any] = {}
    skip_totals = mapping.skip_total_rows
    batch: list[Cells] = []
    numbers: list[int] = []

    def flush() -> None:
        with gc_paused():
            converted, bad = converter.convert(batch, numbers)
            checks.check(converted, bad, batch)
            valid = [row for row, flag in zip(converted, bad, strict=True) if not flag]
        result.rows_valid += len(valid)
        result.rows_invalid += len(converted) - len(valid)
        if sink is not None and valid and not options.validate_only:
            sink(valid)
        batch.clear()
        numbers.clear()
        if on_progress is not None:
            on_progress(
                Progress(
                    result.rows_read,
                    result.rows_valid + result.rows_invalid,
                    result.rows_valid,
                    errors.count,
                    stream.bytes_read,
                    stream.size,
                    result.rows_total,
                )
            )

    width = len(headers)
    for number, cells in rows:
        first = cells[0] if cells else None
        if (first is None or first == "" or (first.__class__ is str and first.isspace())) and is_blank_row(
            cells
        ):
            continue
        result.rows_read += 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        for index in fill:
            if index < len(cells) and not cell_text(cells[index]):
                cells[index] = last_filled.get(index, "")
            elif index < len(cells):
                last_filled[index] = cells[index]
        if (
            skip_totals
            and not (first.__class__ is str and first and first[0] not in _TOTAL_INITIALS)
            and _is_total_row(cells)
        ):
            result.rows_skipped += 1
            continue
        if filters and not all(i < len(cells) and value_key(cells[i]) in ok for i, ok in filters):
            result.rows_skipped += 1
            continue
        batch.append(cells)
        numbers.append(number)
        if len(batch) >= options.batch_size:
            flush()
    if batch:
        flush()
    checks.finish()
    if isinstance(checks, PoolChecks):
        result.cutoff_dates = sorted(checks.cutoffs)


def preview_file(
    source: Source,
    *,
    asset_class: str,
    kind: str = "assets",
    mapping: ColumnMapping | Mapping[str, Any] | None = None,
    sample_rows: int = 10,
) -> FilePreview:
    """Layout, headers, the first rows (as text) and a suggested mapping; TapeReadError if unreadable."""
    schema = get_schema(asset_class, kind)
    mapping = ColumnMapping.coerce(mapping)
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
        header_row, headers, rows = _locate_header(table.rows, mapping, _header_score(schema, mapping))
        sample: list[list[str]] = []
        for _number, cells in rows:
            if not is_blank_row(cells):
                sample.append([cell_text(cell) for cell in cells])
            if len(sample) >= sample_rows:
                break
    finally:
        stream.close()
    return FilePreview(
        table.format,
        table.encoding,
        table.delimiter,
        table.sheet,
        table.sheet_names,
        header_row,
        headers,
        sample,
        suggest_mapping(headers, asset_class, kind),
    )
