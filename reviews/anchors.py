"""Where in a snapshot a deficiency item points, and what changed there between two snapshots."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from filings.snapshot import compare, flatten

# Each reopenable section and the top-level keys of the snapshot JSON it owns (section rows travel
# with their section, as in filings.services.SECTION_ROWS).
SECTION_KEYS: dict[str, list[str]] = {
    "entity": ["entity", "control_links", "officers"],
    "structure": ["structure", "parties", "tranches", "accounts", "triggers", "waterfall"],
    "token": ["token"],
    "offering": ["offering", "venues"],
    "attestations": ["attestations"],
    "documents": ["documents"],
    "assets": ["pool", "cutoff_date", "criteria_profile"],
}
_HEAD = re.compile(r"^[^.\[]+")


def section_for_path(path: str) -> str | None:
    """``parties[2].name`` → ``structure``; None when the path is outside every section."""
    match = _HEAD.match(path or "")
    if not match:
        return None
    head = match.group(0)
    for section, keys in SECTION_KEYS.items():
        if head in keys:
            return section
    return None


def path_within(path: str, prefix: str) -> bool:
    """True when ``path`` is ``prefix`` or lies below it (``a.b`` / ``a[0]`` under ``a``)."""
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


def prefixes_for(section: str, path: str = "") -> list[str]:
    return [path] if path else list(SECTION_KEYS.get(section, [section]))


_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_exists(data: dict[str, Any], path: str) -> bool:
    """The path names a field (or a group of fields) of the snapshot: ``parties[0].name``."""
    tokens = _TOKEN.findall(path or "")
    canonical = ""
    for key, index in tokens:
        canonical += f"[{index}]" if not key else (f".{key}" if canonical else key)
    if not tokens or canonical != path:
        return False
    value: Any = data
    for key, index in tokens:
        if key:
            if not isinstance(value, dict) or key not in value:
                return False
            value = value[key]
        else:
            if not isinstance(value, list) or int(index) >= len(value):
                return False
            value = value[int(index)]
    return True


def diff_within(
    before: dict[str, Any], after: dict[str, Any], prefixes: Iterable[str]
) -> list[tuple[str, Any, Any]]:
    """The field-by-field differences under any of the prefixes, in path order."""
    wanted = list(prefixes)
    return [row for row in compare(before, after) if any(path_within(row[0], p) for p in wanted)]


def field_paths(data: dict[str, Any]) -> list[str]:
    """Every leaf path of the snapshot plus each section and row set, for the evidence picker."""
    leaves = list(flatten(data))
    heads = sorted({key for keys in SECTION_KEYS.values() for key in keys if key in data})
    return heads + leaves
