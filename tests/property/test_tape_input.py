"""Whatever people put in a tape, the importer answers with its own row errors, never a crash.

Property-based (hypothesis): cells of every column type under every declared unit and date
format, whole files in several encodings with shuffled, misspelt and duplicate headers, and
mappings of any shape. Examples are kept few (deadline off) so the default suite stays quick.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assets.tape import ColumnMapping, ImportResult, MappingError, get_schema, run_import
from assets.tape.converters import make_parser
from assets.tape.parsing import AMOUNT_UNITS, CellError
from assets.tape.schema import SCHEMAS

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

COLUMNS = [column for schema in SCHEMAS.values() for column in schema.columns]
DATE_FORMATS = [None, "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "YYYY/MM/DD", "DD.MM.YYYY", "YYYYMMDD"]

number_text = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(lambda n: f"{n:,}"),
    st.from_regex(r"[\(\-+]?[¥￥]?[0-9０-９,，.]{0,12}[%％元万亿)]?", fullmatch=True),
)
date_text = st.one_of(
    st.dates().map(lambda d: d.strftime(st_choice_format(d))),
    st.from_regex(r"[0-9]{1,4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,4}日?", fullmatch=True),
)


def st_choice_format(day: dt.date) -> str:
    return ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%Y年%m月%d日")[day.toordinal() % 5]


cell = st.one_of(
    st.none(),
    st.text(max_size=40),
    number_text,
    date_text,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@FAST
@given(
    column=st.sampled_from(COLUMNS),
    raw=cell,
    unit=st.sampled_from(sorted(AMOUNT_UNITS)),
    date_format=st.sampled_from(DATE_FORMATS),
    percent=st.booleans(),
)
@example(column=COLUMNS[0], raw="NaN", unit="yuan", date_format=None, percent=False)
@example(column=COLUMNS[0], raw="1e999999", unit="yuan", date_format=None, percent=False)
def test_a_cell_parses_or_gives_a_cell_error(
    column: Any, raw: Any, unit: str, date_format: str | None, percent: bool
) -> None:
    parse = make_parser(
        column, multiplier=AMOUNT_UNITS[unit], date_format=date_format, percent=percent, max_rate=Decimal(1)
    )
    with contextlib.suppress(CellError):
        parse(raw)


@st.composite
def tape_files(draw: st.DrawFn) -> tuple[str, str, bytes]:
    (asset_class, kind) = draw(st.sampled_from(sorted(SCHEMAS)))
    schema = get_schema(asset_class, kind)
    known = [header for column in schema.columns for header in column.headers()]
    headers = draw(
        st.lists(st.one_of(st.sampled_from(known), st.text(min_size=0, max_size=12)), min_size=1, max_size=12)
    )
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(st.text(max_size=15), number_text, date_text), min_size=0, max_size=len(headers) + 2
            ),
            max_size=6,
        )
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = "\r\n".join(delimiter.join(cells) for cells in [headers, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "big5", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = draw(st.binary(max_size=8)) + data  # stray bytes in front, e.g. a half-copied BOM
    return asset_class, kind, data


@SOME
@given(tape=tape_files(), cutoff=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))))
def test_a_whole_file_imports_or_is_refused_with_row_errors(
    tape: tuple[str, str, bytes], cutoff: dt.date | None
):
    from assets.tape import ImportOptions

    asset_class, kind, data = tape
    result = run_import(
        data,
        asset_class=asset_class,
        kind=kind,
        options=ImportOptions(cutoff_date=cutoff, validate_only=True),
    )

    assert isinstance(result, ImportResult)
    assert result.ok or result.error_count > 0


@SOME
@given(data=st.binary(max_size=300), asset_class_kind=st.sampled_from(sorted(SCHEMAS)))
@example(data=b"PK\x03\x04garbage", asset_class_kind=sorted(SCHEMAS)[0])
@example(data=b"", asset_class_kind=sorted(SCHEMAS)[0])
def test_arbitrary_bytes_are_refused_with_errors(data: bytes, asset_class_kind: tuple[str, str]):
    asset_class, kind = asset_class_kind
    result = run_import(data, asset_class=asset_class, kind=kind)

    assert isinstance(result, ImportResult)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
mapping_keys = st.sampled_from(
    ["version", "columns", "constants", "value_maps", "amount_unit", "date_format", "encoding",
     "delimiter", "sheet", "header_row", "skip_rows", "nonsense"]
)  # fmt: skip


@FAST
@given(value=st.dictionaries(mapping_keys, json_value, max_size=6))
@example(value={"date_format": "DD/MM/YYYY/YYYY"})
@example(value={"encoding": "no-such-codec"})
@example(value={"amount_unit": "万"})
def test_a_mapping_is_accepted_or_refused_with_a_mapping_error(value: dict[str, Any]):
    try:
        mapping = ColumnMapping.from_json(value)
    except MappingError:
        return
    assert isinstance(mapping, ColumnMapping)


@SOME
@given(
    tape=tape_files(),
    value=st.fixed_dictionaries(
        {},
        optional={
            "date_format": st.sampled_from([f for f in DATE_FORMATS if f]),
            "amount_unit": st.sampled_from(sorted(AMOUNT_UNITS)),
            "encoding": st.sampled_from(["utf-8", "gbk", "utf-16", "latin-1"]),
            "delimiter": st.sampled_from([",", ";", "tab", "|"]),
            "value_maps": st.dictionaries(
                st.text(max_size=8),
                st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
                max_size=2,
            ),
            "columns": st.dictionaries(
                st.text(max_size=10), st.one_of(st.text(max_size=10), st.just("#2")), max_size=3
            ),
        },
    ),
)
def test_a_mapped_file_imports_or_is_refused_with_row_errors(
    tape: tuple[str, str, bytes], value: dict[str, Any]
):
    asset_class, kind, data = tape
    try:
        mapping = ColumnMapping.from_json(value)
    except MappingError:
        return

    result = run_import(data, asset_class=asset_class, kind=kind, mapping=mapping)

    assert isinstance(result, ImportResult)


def test_a_date_format_naming_a_part_twice_is_a_mapping_error_not_a_regex_crash():
    """Found by the mapping property: 'DD/MM/YYYY/YYYY' reached re.compile and raised re.error."""
    import pytest

    with pytest.raises(MappingError, match="once each"):
        ColumnMapping.from_json({"date_format": "DD/MM/YYYY/YYYY"})


def test_a_declared_utf16_file_without_a_byte_order_mark_is_refused_with_a_row_error():
    """Found by the mapped-file property: the UTF-16 decoder raised UnicodeError out of the import."""
    data = "资产编号,未偿本金余额\r\nA1,100\r\n".encode("utf-16-le")

    result = run_import(data, asset_class="trade_receivable", mapping={"encoding": "utf-16"})

    assert [error.code for error in result.errors][:1] == ["encoding_error"]
