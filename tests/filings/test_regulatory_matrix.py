"""docs/regulatory-matrix.md stays true: every row has a status, a row not fully enforced says why, and
every rule code, file and test it points to exists."""

from __future__ import annotations

import re
from pathlib import Path

from filings.compliance import RULES

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ROOT / "docs" / "regulatory-matrix.md"
SOURCE_DIRS = ("filings", "reviews", "assets", "desk", "register", "accounts")
CODE = re.compile(r"^(?:[A-Z][A-Z0-9]*-)+[A-Z0-9*]+$")


def _rows() -> list[list[str]]:
    rows = []
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if len(cells) == 6 and re.fullmatch(r"[A-Z]\d+", cells[0]):
            rows.append(cells)
    return rows


def _source_text() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in SOURCE_DIRS
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts or path.name.startswith("00")
    )


def _rule_codes() -> set[str]:
    return set(RULES) if isinstance(RULES, dict) else {r.code for r in RULES}


def test_every_row_has_a_status_and_a_reason_unless_enforced():
    rows = _rows()
    assert len(rows) > 60
    for number, _requirement, _where, _test, status, reason in rows:
        assert status in ("enforced", "partly", "not"), number
        if status != "enforced":
            assert len(reason) > 20, f"{number} is {status} without a written reason"


def test_every_code_and_path_a_row_points_to_exists():
    codes = _rule_codes()
    source = _source_text()
    stale = []
    for number, _requirement, where, test, _status, _reason in _rows():
        for token in re.findall(r"`([^`]+)`", f"{where} {test}"):
            for part in re.split(r"[ ,]+", token):
                if CODE.match(part):
                    prefix = part.rstrip("*")
                    known = (
                        any(code.startswith(prefix) for code in codes)
                        if part.endswith("*")
                        else part in codes or f'"{part}"' in source
                    )
                    if not known:
                        stale.append((number, part))
                elif part.endswith((".py", ".html")):
                    candidates = [ROOT / part, ROOT / "tests" / part, ROOT / "templates" / part]
                    if not any(path.exists() or list(path.parent.glob(path.name)) for path in candidates):
                        stale.append((number, part))
    assert stale == []
