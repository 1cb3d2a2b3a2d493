"""The filing's data as one canonical JSON document: what a snapshot freezes and rules read."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from assets.selectors import pool_snapshot

from .models import Filing

ROW_SETS = {
    "control_links": ["level", "holder_name", "holder_identifier", "holds_in", "percentage"],
    "officers": ["name", "role", "position", "nationality", "overseas_residence"],
    "parties": ["role", "name", "jurisdiction", "licence_no"],
    "tranches": ["name", "size", "currency", "seniority", "coupon", "legal_final_maturity", "rating"],
    "accounts": ["role", "bank", "segregated", "control_arrangement", "sweep_frequency"],
    "triggers": ["kind", "condition", "consequence"],
    "waterfall": ["order", "payee", "description"],
    "lawyers": ["name", "licence_no", "firm", "signs_prc_opinion", "attests_prohibited"],
    "registrations": ["kind", "registration_no", "registered_on", "term_months", "registrant"],
    "important_debtors": [
        "name",
        "uscc",
        "financial_year",
        "total_assets",
        "net_assets",
        "revenue",
        "net_profit",
        "dishonest_listed",
        "enforcement_pending",
        "checked_on",
    ],
    "venues": [
        "jurisdiction",
        "name",
        "regulator",
        "intermediary",
        "intermediary_licence",
        "investor_eligibility",
    ],
}
SECTION_EXCLUDE = {"id", "filing", "version", "updated_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _section_dict(section: models.Model | None) -> dict[str, Any]:
    if section is None:
        return {}
    return {
        field.name: _plain(getattr(section, field.attname))
        for field in section._meta.concrete_fields
        if field.name not in SECTION_EXCLUDE
    }


def section_or_none(filing: Filing, name: str) -> models.Model | None:
    try:
        return getattr(filing, name)
    except models.ObjectDoesNotExist:
        return None


def build_filing_data(filing: Filing) -> dict[str, Any]:
    """Everything the issuer has entered, as plain JSON types, in a stable order."""
    data: dict[str, Any] = {
        "reference": filing.reference,
        "title": filing.title,
        "asset_class": filing.asset_class,
        "cutoff_date": _plain(filing.cutoff_date),
        "organisation": {
            "id": filing.organisation_id,
            "name_zh": filing.organisation.name_zh,
            "name_en": filing.organisation.name_en,
        },
        "criteria_profile": filing.criteria_profile,
    }
    for name in ("entity", "structure", "token", "offering"):
        data[name] = _section_dict(section_or_none(filing, name))
    for name, fields in ROW_SETS.items():
        data[name] = [
            {field: _plain(value) for field, value in zip(fields, row, strict=True)}
            for row in getattr(filing, name).order_by("id").values_list(*fields)
        ]
    data["attestations"] = [
        {
            "code": a.code,
            "answer": a.answer,
            "evidence": a.evidence,
            "signed_by": a.signed_by.username if a.signed_by else None,
            "signed_at": _plain(a.signed_at),
        }
        for a in filing.attestations.select_related("signed_by").order_by("code")
    ]
    data["documents"] = [
        {
            "requirement": d.requirement.code,
            "version": d.version,
            "name": d.original_name,
            "content_type": d.content_type,
            "size": d.size,
            "sha256": d.sha256,
            "language": d.language,
            "signer_count": d.signer_count,
            "conclusion_text": d.conclusion_text,
            "data_class": d.requirement.data_class,
        }
        for d in filing.documents.filter(is_current=True)
        .select_related("requirement")
        .order_by("requirement__order", "requirement__code")
    ]
    data["pool"] = pool_snapshot(filing.pool)
    return data


def canonical_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [1]}}`` → ``{"a.b[0]": 1}``: every leaf addressed by a path."""
    items: dict[str, Any] = {}
    if isinstance(value, dict):
        for key in sorted(value):
            items.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        if not value:
            items[prefix] = []
        for index, item in enumerate(value):
            items.update(flatten(item, f"{prefix}[{index}]"))
    else:
        items[prefix] = value
    return items


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Field-by-field differences between two snapshots, in path order."""
    left, right = flatten(before), flatten(after)
    missing = object()
    rows = []
    for path in sorted(set(left) | set(right)):
        a, b = left.get(path, missing), right.get(path, missing)
        if a != b:
            rows.append((path, None if a is missing else a, None if b is missing else b))
    return rows
