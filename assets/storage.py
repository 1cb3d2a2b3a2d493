"""Tape files in private storage, content-addressed: every imported file is kept as tapes/<sha256>.

The default storage's root is settings.PRIVATE_MEDIA_ROOT, which no URL serves; a file leaves it only
through a view that checks the reader's scope (or inside a sealed dossier).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage, storages

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredTape:
    sha256: str
    size: int


def tape_name(sha256: str) -> str:
    return f"tapes/{sha256}"


def _chunks(source: Any) -> Iterator[bytes]:
    if hasattr(source, "chunks"):  # Django's UploadedFile streams its temporary file in chunks
        source.seek(0)
        yield from source.chunks(_CHUNK)
        return
    while chunk := source.read(_CHUNK):
        yield chunk


def store_tape(source: IO[bytes] | Any, *, max_bytes: int | None = None) -> StoredTape:
    """Copy a file into storage while hashing it; the same content is stored once.

    Raises ValueError("too_large") as soon as more than max_bytes have been read.
    """
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="tape-", delete=False) as spool:
        try:
            for chunk in _chunks(source):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise ValueError("too_large")
                digest.update(chunk)
                spool.write(chunk)
        except BaseException:
            spool.close()
            os.unlink(spool.name)
            raise
    sha256 = digest.hexdigest()
    name = tape_name(sha256)
    try:
        if not default_storage.exists(name):
            with open(spool.name, "rb") as handle:
                saved = default_storage.save(name, File(handle, name=sha256))
            if saved != name:  # two uploads of the same file raced: the first copy is as good
                default_storage.delete(saved)
    finally:
        os.unlink(spool.name)
    return StoredTape(sha256, size)


def tape_exists(sha256: str) -> bool:
    return default_storage.exists(tape_name(sha256))


def read_tape(sha256: str) -> bytes | None:
    name = tape_name(sha256)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def open_tape(sha256: str) -> IO[bytes]:
    return default_storage.open(tape_name(sha256), "rb")  # type: ignore[no-any-return]


@contextmanager
def local_tape_path(sha256: str) -> Iterator[Path]:
    """A local path to the stored file (a temporary copy when the storage is not a local folder)."""
    name = tape_name(sha256)
    # Only a folder storage's path() is a real file; another storage may name a path that is not
    # there (InMemoryStorage) or have none (S3): the file is copied out of it instead.
    local = default_storage.path(name) if isinstance(storages["default"], FileSystemStorage) else None
    if local is not None:
        yield Path(local)
        return
    with tempfile.NamedTemporaryFile(prefix="tape-", delete=False) as copy, default_storage.open(name) as src:
        shutil.copyfileobj(src, copy, _CHUNK)
    try:
        yield Path(copy.name)
    finally:
        os.unlink(copy.name)
