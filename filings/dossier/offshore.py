"""The offshore copy of the dossier: what may leave the country, and what stays.

Personal information and important data may be provided offshore only after the data-export security
assessment or under the personal-information standard contract (G26 points the issuer to the
data-security rules; 证监会公告〔2023〕44号 on confidentiality in overseas offerings). The offshore copy
therefore withholds every item so classed (filings/classification.py) unless the snapshot carries
a current document of a clearance item, and says on its cover why items are missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from ..classification import EXPORT_RESTRICTED, ROW_LISTS, field_class

# Checklist items whose current document clears the export of personal information and important data.
EXPORT_CLEARANCE_CODES = ("DATA-EXPORT",)


def export_cleared(data: Mapping[str, Any]) -> bool:
    """Does the snapshot carry the security assessment or standard contract?"""
    documents = data.get("documents") or []
    return any(isinstance(d, Mapping) and d.get("requirement") in EXPORT_CLEARANCE_CODES for d in documents)


def withheld_text() -> str:
    return _("[withheld: not cleared for export]")


def is_restricted(path: str) -> bool:
    return field_class(path) in EXPORT_RESTRICTED


def redact_mapping(name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A section (or a row of ``name``) with its restricted fields replaced by the withheld mark."""
    return {
        key: (withheld_text() if is_restricted(f"{name}.{key}") and value not in (None, "") else value)
        for key, value in values.items()
    }


def document_restricted(document: Mapping[str, Any]) -> bool:
    """A document whose class is restricted, or unknown (a snapshot frozen before documents had one)."""
    return str(document.get("data_class") or "") not in ("public", "confidential")


def redact_for_export(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The snapshot data as the uncleared offshore copy may print it, and what was withheld.

    Returns ``(data, withheld)``: ``withheld`` names each field path, row set and document left out.
    """
    result = dict(data)
    withheld: list[str] = []
    for name in ("entity", "structure", "token", "offering"):
        section = data.get(name)
        if isinstance(section, Mapping):
            result[name] = redact_mapping(name, section)
            withheld += [f"{name}.{key}" for key, value in section.items() if result[name][key] != value]
    for name in ROW_LISTS:
        rows = data.get(name)
        if isinstance(rows, list) and rows:
            result[name] = [redact_mapping(name, row) if isinstance(row, Mapping) else row for row in rows]
            if result[name] != rows:
                withheld.append(name)
    if data.get("pool"):
        result["pool"] = None
        withheld.append("pool")
    documents = [d for d in data.get("documents") or [] if isinstance(d, Mapping)]
    kept = [d for d in documents if not document_restricted(d)]
    withheld += [f"documents.{d.get('requirement')}" for d in documents if document_restricted(d)]
    result["documents"] = kept
    return result, withheld
