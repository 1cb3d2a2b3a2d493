"""Column mappings for tapes not in our template: which source column feeds which canonical column.

A mapping is plain JSON, saved per organisation and reused for every monthly tape, e.g.::

    {"columns": {"asset_id": "invoiceNumber", "obligor_id": "customerID"},
     "constants": {"currency": "CNY", "obligor_type": "corporate"},
     "value_maps": {"disputed": {"Yes": "是", "No": "否"}},
     "amount_unit": "wan", "date_format": "M/D/YYYY", "encoding": "gb18030", "delimiter": ";"}

Canonical columns neither mapped nor given a constant are matched by header alias (unless auto_match is
false), so a mapping only needs the columns whose headers we cannot recognise.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .dates import compile_date_format
from .parsing import AMOUNT_UNITS
from .schema import Schema, get_schema, header_key


class MappingError(ValueError):
    """A mapping that is not valid JSON of the expected shape."""


class ColumnMapping(BaseModel):
    """How to read one organisation's tape layout; every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    columns: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="canonical column -> source header (or a list of alternative headers; '#3' = 3rd column)",
    )
    constants: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="canonical column -> value used for every row"
    )
    value_maps: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="canonical column -> {source text: canonical text}, applied before parsing",
    )
    amount_unit: str = Field(
        default="yuan", description="unit of every amount column: yuan, wan (万元) or yi (亿元)"
    )
    date_format: str | None = Field(
        default=None, description="format of day-first or month-first dates, e.g. DD/MM/YYYY"
    )
    encoding: str | None = Field(default=None, description="CSV encoding; detected when absent")
    delimiter: str | None = Field(
        default=None, description="CSV delimiter; sniffed when absent ('tab' for tab)"
    )
    sheet: str | None = Field(
        default=None, description="worksheet name (or 1-based position); first sheet when absent"
    )
    header_row: int | None = Field(
        default=None, ge=1, description="row of the (first) header line; detected when absent"
    )
    header_rows: int = Field(default=1, ge=1, le=5, description="header lines to join, for two-row headers")
    percent_columns: list[str] = Field(
        default_factory=list, description="rate columns written as 5.5 for 5.5 %"
    )
    fill_down: list[str] = Field(
        default_factory=list, description="source columns whose blanks repeat the cell above"
    )
    include_rows: dict[str, list[str]] = Field(
        default_factory=dict, description="source column -> accepted values; other rows are skipped"
    )
    skip_total_rows: bool = Field(
        default=True, description="skip rows whose first filled cell reads TOTAL / 合计 / 总计"
    )
    auto_match: bool = Field(default=True, description="match unmapped canonical columns by header alias")

    @field_validator("amount_unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if value.strip().lower() not in AMOUNT_UNITS:
            raise ValueError("use yuan, wan (万元) or yi (亿元)")
        return value

    @field_validator("date_format")
    @classmethod
    def _compilable_format(cls, value: str | None) -> str | None:
        if value:
            compile_date_format(value)
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value:
            codecs.lookup(value)
        return value

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (store it per organisation; from_json reads it back)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str | bytes | os.PathLike[str]) -> ColumnMapping:
        """Read a mapping from a dict, a JSON string or a path to a .json file; raises MappingError."""
        try:
            if isinstance(data, os.PathLike):
                with open(data, encoding="utf-8") as handle:
                    data = json.load(handle)
            elif isinstance(data, str | bytes):
                data = json.loads(data)
            return cls.model_validate(data)
        except (ValidationError, ValueError, LookupError) as error:
            raise MappingError(str(error)) from error

    @classmethod
    def coerce(cls, value: ColumnMapping | Mapping[str, Any] | None) -> ColumnMapping:
        if value is None:
            return cls()
        if isinstance(value, ColumnMapping):
            return value
        return cls.from_json(value)

    def unknown_columns(self, schema: Schema) -> list[str]:
        """Canonical names the mapping uses that the schema does not have."""
        named = [*self.columns, *self.constants, *self.value_maps, *self.percent_columns]
        return sorted({name for name in named if name not in schema.by_name})


@dataclass(frozen=True)
class MappingSuggestion:
    """A proposed mapping from a file's headers, for the mapping screen to show and the user to correct."""

    mapping: ColumnMapping
    matched: dict[str, str]  # canonical -> header
    unmatched_headers: list[str]
    missing_required: list[str]
    derivable: list[str] = field(default_factory=list)  # optional columns we fill when absent


def suggest_mapping(headers: Sequence[str], asset_class: str, kind: str = "assets") -> MappingSuggestion:
    """Match headers to canonical columns by name and Chinese/English alias."""
    schema = get_schema(asset_class, kind)
    matched: dict[str, str] = {}
    unmatched: list[str] = []
    for header in headers:
        if not str(header).strip():
            continue
        canonical = schema.match_header(header)
        if canonical is None or canonical in matched:
            unmatched.append(header)
        else:
            matched[canonical] = header
    missing = [c.name for c in schema.columns if c.required and c.name not in matched]
    derivable = [c.name for c in schema.columns if c.derived_from and c.name not in matched]
    return MappingSuggestion(ColumnMapping(columns=dict(matched)), matched, unmatched, missing, derivable)


def find_header(headers: Sequence[str], wanted: str | list[str]) -> int | None:
    """The position of a mapped source column: by header (normalised) or as '#N' (1-based)."""
    keys = [header_key(header) for header in headers]
    for name in [wanted] if isinstance(wanted, str) else wanted:
        if name.startswith("#") and name[1:].isdigit():
            position = int(name[1:]) - 1
            if 0 <= position < len(headers):
                return position
            continue
        key = header_key(name)
        if key in keys:
            return keys.index(key)
    return None
