"""Readers: open a CSV or Excel file, hash it while streaming, detect encoding and delimiter, yield rows.

CSV is decoded and parsed incrementally, so memory stays flat however long the file is. Excel sheets are
loaded by calamine (an XLSX sheet has at most 1 048 576 rows) and handed out row by row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Final

from .schema import KIND_SHEET_NAMES, header_key

Source = str | os.PathLike[str] | bytes | IO[bytes]
Cells = list[Any]

SAMPLE_BYTES: Final = 64 * 1024
_CHUNK: Final = 1024 * 1024
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
DELIMITERS: Final = (",", ";", "\t", "|")

csv.field_size_limit(16 * 1024 * 1024)


class TapeReadError(Exception):
    """The file cannot be read further; code and params describe it for errors.MESSAGES."""

    def __init__(self, code: str, *, row: int | None = None, value: object = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.value = value
        self.params = params


class HashingStream(io.RawIOBase):
    """Reads an underlying binary stream while feeding SHA-256 and counting bytes."""

    def __init__(self, raw: IO[bytes], *, close_raw: bool, size: int | None) -> None:
        super().__init__()
        self._raw = raw
        self._close_raw = close_raw
        self._hash = hashlib.sha256()
        self.bytes_read = 0
        self.size = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        if not data:
            return 0
        n = len(data)
        buffer[:n] = data
        self._hash.update(data)
        self.bytes_read += n
        return n

    def drain(self) -> None:
        """Read to the end so the digest covers the whole file even if parsing stopped early."""
        while chunk := self._raw.read(_CHUNK):
            self._hash.update(chunk)
            self.bytes_read += len(chunk)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()

    def close(self) -> None:
        if self._close_raw and not self._raw.closed:
            self._raw.close()
        super().close()


class _Prefixed(io.RawIOBase):
    """Serves the bytes already read for detection, then continues with the stream."""

    def __init__(self, prefix: bytes, rest: HashingStream) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        return self._rest.readinto(buffer)


def open_stream(source: Source) -> HashingStream:
    """A hashing stream over a path, bytes or an open binary file (which the caller keeps)."""
    if isinstance(source, bytes | bytearray):
        return HashingStream(io.BytesIO(source), close_raw=True, size=len(source))
    if isinstance(source, str | os.PathLike):
        return HashingStream(open(source, "rb"), close_raw=True, size=os.path.getsize(source))
    size: int | None = None
    try:
        size = os.fstat(source.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        size = getattr(source, "size", None)
    return HashingStream(source, close_raw=False, size=size)


# Encoding and delimiter ------------------------------------------------------------------------------


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_gb(sample: bytes) -> bool:
    """GB text has its high bytes in pairs; Latin-1 text has them alone between ASCII ('Praça', 'FERNÃO').

    Latin-1 often also decodes as GB18030 (0xC3 0x4F is a valid pair), so the decoder alone cannot tell.
    """
    runs = isolated = 0
    length = 0
    for byte in sample:
        if byte >= 0x80:
            length += 1
            continue
        if length:
            runs += 1
            isolated += length == 1
            length = 0
    if length:
        runs += 1
        isolated += length == 1
    return runs == 0 or isolated / runs < 0.1


def detect_encoding(sample: bytes, declared: str | None = None) -> str:
    """UTF-8 (BOM or not), then GB18030, then Latin-1 — unless the mapping declares one."""
    if declared:
        return codecs.lookup(declared).name
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" export
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _decodes(sample, "gb18030") and _looks_like_gb(sample):
        return "gb18030"
    return "latin-1"


def sniff_delimiter(text: str, declared: str | None = None) -> str:
    """The delimiter that splits the first lines into the same number (≥ 2) of fields most consistently."""
    if declared:
        return "\t" if declared.lower() in ("tab", "\\t") else declared
    lines = text.splitlines()[:50]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), mode)
        if mode >= 2 and score > best_score:
            best, best_score = delimiter, score
    return best


# Tables ----------------------------------------------------------------------------------------------


@dataclass
class Table:
    """Rows of one CSV file or worksheet, numbered as the user sees them (first row = 1)."""

    format: str
    rows: Iterator[tuple[int, Cells]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    last_row: int | None = None  # known for worksheets, so progress can show a percentage


def _csv_rows(text: io.TextIOBase, delimiter: str, encoding: str) -> Iterator[tuple[int, Cells]]:
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except UnicodeError:  # a decode error, or a codec that refuses the stream (UTF-16 without BOM)
        raise TapeReadError("encoding_error", row=number + 1, encoding=encoding) from None
    except csv.Error as error:
        raise TapeReadError("csv_error", row=number + 1, detail=str(error)) from None


def _pick_sheet(names: list[str], wanted: str | None, kind: str | None) -> str:
    if wanted:
        for name in names:
            if header_key(name) == header_key(wanted):
                return name
        if wanted.isdigit() and 1 <= int(wanted) <= len(names):
            return names[int(wanted) - 1]
        raise TapeReadError("sheet_not_found", value=wanted, sheets=", ".join(names))
    if kind in KIND_SHEET_NAMES:
        keys = {header_key(alias) for alias in KIND_SHEET_NAMES[kind]}
        for name in names:
            if header_key(name) in keys:
                return name
    return names[0]


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, Cells]]:
    # calamine's iter_rows starts at row 1 but at the first used column; pad so that positions ('#3') and
    # row numbers are the ones Excel shows.
    start = sheet.start
    pad = [""] * start[1] if start and start[1] else None
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, (pad + cells if pad else cells)


def open_table(
    stream: HashingStream,
    source: Source,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    kind: str | None = None,
) -> Table:
    """Detect CSV or Excel from the first bytes and open the rows."""
    head = stream.read(SAMPLE_BYTES) or b""
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _open_workbook(stream, source, head, sheet=sheet, kind=kind)
    if not head.strip():
        raise TapeReadError("empty_file")
    try:
        found_encoding = detect_encoding(head, encoding)
    except LookupError:
        raise TapeReadError("unreadable_file", detail=f"unknown encoding {encoding}") from None
    try:
        sample = codecs.getincrementaldecoder(found_encoding)("replace").decode(head, final=False)
    except UnicodeError:  # even with "replace", UTF-16 without a byte-order mark refuses to start
        raise TapeReadError("encoding_error", row=1, encoding=found_encoding) from None
    found_delimiter = sniff_delimiter(sample, delimiter)
    buffered = io.BufferedReader(_Prefixed(head, stream), buffer_size=_CHUNK)
    text = io.TextIOWrapper(buffered, encoding=found_encoding, errors="strict", newline="")
    return Table("csv", _csv_rows(text, found_delimiter, found_encoding), found_encoding, found_delimiter)


# When Django settings are not configured (the tape engine used on its own), these apply.
DEFAULT_MAX_UNCOMPRESSED_BYTES: Final = 2 * 1024**3
DEFAULT_MAX_COMPRESSION_RATIO: Final = 200
_RATIO_FLOOR: Final = 1024 * 1024  # parts smaller than this inflate as they like


def _inflation_limits() -> tuple[int, int]:
    try:
        from django.conf import settings

        return (
            int(getattr(settings, "TAPE_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)),
            int(getattr(settings, "TAPE_MAX_COMPRESSION_RATIO", DEFAULT_MAX_COMPRESSION_RATIO)),
        )
    except Exception:  # settings not configured
        return DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_COMPRESSION_RATIO


def check_inflation(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    max_bytes: int | None = None,
    max_ratio: int | None = None,
) -> None:
    """Refuse an Excel workbook (a zip) whose parts would inflate past ``max_bytes`` in all, or any
    large part more than ``max_ratio`` times its compressed size: a zip bomb is refused from its
    directory alone, before anything decompresses it. Files that are not zips pass untouched; a
    file-like source is left at the position it was at.
    """
    limit, ratio_limit = _inflation_limits()
    limit = max_bytes if max_bytes is not None else limit
    ratio_limit = max_ratio if max_ratio is not None else ratio_limit
    position = None
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            is_zip = file.read(4) == _ZIP_MAGIC
    else:
        position = source.tell()
        is_zip = source.read(4) == _ZIP_MAGIC
        source.seek(position)
    try:
        if not is_zip:
            return
        try:
            with zipfile.ZipFile(source) as archive:
                parts = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # not a readable zip: the reader reports it as an unreadable file
        total = 0
        for part in parts:
            total += part.file_size
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > _RATIO_FLOOR and ratio > ratio_limit:
                raise TapeReadError(
                    "zip_ratio", part=part.filename[:100], ratio=int(ratio), limit=ratio_limit
                )
        if total > limit:
            raise TapeReadError("zip_too_large", size=round(total / 1048576, 1), limit=limit // 1048576)
    finally:
        if position is not None:
            source.seek(position)  # type: ignore[union-attr]


def _open_workbook(
    stream: HashingStream, source: Source, head: bytes, *, sheet: str | None, kind: str | None
) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        if isinstance(source, str | os.PathLike):
            stream.drain()
            check_inflation(source)
            workbook = CalamineWorkbook.from_path(os.fspath(source))
        else:
            content = io.BytesIO(head + _read_rest(stream))
            check_inflation(content)
            workbook = CalamineWorkbook.from_filelike(content)
        names = list(workbook.sheet_names)
        chosen = _pick_sheet(names, sheet, kind)
        worksheet = workbook.get_sheet_by_name(chosen)
    except TapeReadError:
        raise
    except (CalamineError, ValueError, OSError) as error:
        raise TapeReadError("unreadable_file", detail=str(error)) from None
    end = worksheet.end
    return Table(
        "xlsx", _sheet_rows(worksheet), sheet=chosen, sheet_names=names, last_row=end[0] + 1 if end else 0
    )


def _read_rest(stream: HashingStream) -> bytes:
    parts = []
    while chunk := stream.read(_CHUNK):
        parts.append(chunk)
    return b"".join(parts)


def cell_text(cell: Any) -> str:
    """A header or filter cell as text: numbers without '.0', dates in ISO form."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip() if cell is not None else ""


def is_blank_row(cells: Cells) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return False
        else:
            return False
    return True
