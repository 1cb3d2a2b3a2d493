"""Pre-flight compliance: the rule catalogue that guards submission."""

from __future__ import annotations

from typing import Any

from . import rules as _rules  # noqa: F401 — importing registers the catalogue
from .registry import BLOCKING, RULES, SECTION_LABELS, WARNING, Finding, evaluate


def preflight_data(filing: Any) -> dict[str, Any]:
    from ..snapshot import build_filing_data

    return build_filing_data(filing)


def run_preflight(filing: Any) -> list[Finding]:
    return evaluate(preflight_data(filing), filing.criteria_profile or {})


def findings_for_snapshot(filing: Any) -> list[dict[str, Any]]:
    return [finding.as_dict() for finding in run_preflight(filing)]


def ensure_no_blocking_findings(filing: Any) -> None:
    from ..errors import BlockingFindingsError

    blocking = [f for f in run_preflight(filing) if f.severity == BLOCKING]
    if blocking:
        raise BlockingFindingsError(blocking)


__all__ = [
    "BLOCKING", "RULES", "SECTION_LABELS", "WARNING", "Finding", "ensure_no_blocking_findings", "evaluate",
    "findings_for_snapshot", "run_preflight",
]
