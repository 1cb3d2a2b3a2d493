"""Pre-flight findings kept with the version of the data they were computed on.

The filing overview and the section pages show the pre-flight's counts on every view; evaluating
the whole rule catalogue each time is the heaviest work on a read. The findings are stored on the
filing with a fingerprint of everything the rules read (sections, rows, attestations, current
documents, the pool and its tapes, the materials checklist, the catalogue itself) and recomputed
only when that fingerprint changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Count, Max

from ..models import Attestation, DocumentRequirement, Filing
from .registry import RULES, Finding

# The catalogue's own identity: a deploy that changes the rules changes every fingerprint.
CATALOGUE = hashlib.sha256(",".join(sorted(RULES)).encode()).hexdigest()[:16]
SECTION_RELATIONS = ("entity", "structure", "token", "offering")


def data_version(filing: Filing) -> str:
    """A fingerprint of what the rules read, in a handful of small queries."""
    from assets.models import TapeImport

    sections = []
    for relation in SECTION_RELATIONS:
        model = Filing._meta.get_field(relation).related_model
        row = model.objects.filter(filing_id=filing.pk).values_list("version", "updated_at").first()  # type: ignore[union-attr]
        sections.append([row[0], row[1].isoformat()] if row else None)
    attestations = list(
        Attestation.objects.filter(filing_id=filing.pk)
        .order_by("code")
        .values_list("code", "answer", "signed_at")
    )
    documents = filing.documents.filter(is_current=True).aggregate(n=Count("pk"), last=Max("pk"))
    tapes: Any = None
    if filing.pool_id:
        tapes = list(
            TapeImport.objects.filter(pool_id=filing.pool_id)
            .order_by("-pk")
            .values_list("pk", "status", "is_current")[:5]
        )
        pool_updated = filing.pool.updated_at.isoformat() if filing.pool else ""
    else:
        pool_updated = ""
    requirements = list(
        DocumentRequirement.objects.order_by("pk").values_list("pk", "required", "is_active", "asset_classes")
    )
    material = {
        "catalogue": CATALOGUE,
        "filing": [
            filing.asset_class,
            str(filing.cutoff_date),
            filing.criteria_profile,
            filing.updated_at.isoformat(),
        ],
        "sections": sections,
        "attestations": attestations,
        "documents": [documents["n"], documents["last"]],
        "pool": [pool_updated, tapes],
        "requirements": requirements,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def current_findings(filing: Filing) -> list[Finding]:
    """The filing's pre-flight findings as it stands, from the store when its data has not changed
    since they were computed; with the waiver asked for each finding (read fresh)."""
    from . import attach_waivers, evaluate, preflight_data

    version = data_version(filing)
    stored = filing.preflight_cache or {}
    if stored.get("version") == version:
        findings = [Finding.from_dict(frozen) for frozen in stored.get("findings", [])]
    else:
        findings = evaluate(preflight_data(filing), filing.criteria_profile or {})
        cache = {"version": version, "findings": [finding.as_dict() for finding in findings]}
        # A plain UPDATE: the cache is not the filing's data (no auto_now, no new version).
        Filing.objects.filter(pk=filing.pk).update(preflight_cache=cache)
        filing.preflight_cache = cache
    return attach_waivers(filing, findings)
