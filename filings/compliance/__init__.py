"""Pre-flight compliance: the rule catalogue that guards submission."""

from __future__ import annotations

from typing import Any

from . import rules as _rules  # noqa: F401 — importing registers the catalogue
from .registry import BLOCKING, RULES, SECTION_LABELS, WARNING, Finding, evaluate


def preflight_data(filing: Any) -> dict[str, Any]:
    """The snapshot's canonical data plus the materials checklist that applies to the filing's asset class."""
    from ..models import VenueEligibility
    from ..selectors import requirements_for
    from ..snapshot import build_filing_data

    data = build_filing_data(filing)
    data["document_requirements"] = [
        {
            "code": r.code,
            "name_zh": r.name_zh,
            "name_en": r.name_en,
            "required": r.required,
            "is_legal_opinion": r.is_legal_opinion,
        }
        for r in requirements_for(filing)
    ]
    data["venue_rules"] = [
        {"jurisdiction": jurisdiction, "investor_eligibility": category}
        for jurisdiction, category in VenueEligibility.objects.filter(is_active=True).values_list(
            "jurisdiction", "investor_eligibility"
        )
    ]
    return data


def run_preflight(filing: Any) -> list[Finding]:
    """Every finding for the filing as it stands, each with the waiver asked for it (if any)."""
    return attach_waivers(filing, evaluate(preflight_data(filing), filing.criteria_profile or {}))


def attach_waivers(filing: Any, findings: list[Finding]) -> list[Finding]:
    """Give each finding the waiver the filing asked for it, as it stands now."""
    waivers = {(w.rule_code, w.field): w for w in filing.waivers.select_related("requested_by", "ruled_by")}
    for finding in findings:
        finding.waiver = waivers.get((finding.code, finding.field))
    return findings


def findings_for_snapshot(filing: Any) -> list[dict[str, Any]]:
    return [finding.as_dict() for finding in run_preflight(filing)]


def ensure_no_blocking_findings(filing: Any) -> None:
    from ..errors import BlockingFindingsError

    blocking = [f for f in run_preflight(filing) if f.severity == BLOCKING]
    if blocking:
        raise BlockingFindingsError(blocking)


__all__ = [
    "BLOCKING",
    "RULES",
    "SECTION_LABELS",
    "WARNING",
    "Finding",
    "attach_waivers",
    "ensure_no_blocking_findings",
    "evaluate",
    "findings_for_snapshot",
    "preflight_data",
    "run_preflight",
]
