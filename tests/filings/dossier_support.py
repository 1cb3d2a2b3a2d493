"""Shared by the dossier tests: filings whose pools come from the real tape import and whose
submissions go through the real blocking-findings check; plus a hand-written pool for the unit tests
of the pool chapter's formatting (never injected into a submission)."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from typing import Any

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile

from filings import services

PASSPHRASE = "dossier-test-passphrase"
PDF_UPLOAD = b"%PDF-1.4\n% the filing report\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TAPE = (
    "asset_id,obligor_name,province,outstanding_amount\n"
    + "".join(f"T{i:05d},债务人{i % 97},浙江,{1000 + i * 7}.50\n" for i in range(1200))
).encode("utf-8")
TAPE_SHA256 = hashlib.sha256(TAPE).hexdigest()
INELIGIBLE = 250  # more than the dossier ever lists (200)


def stratum(
    key: str, zh: str, en: str, count: int, amount: str, count_share: float, amount_share: float
) -> dict:
    return {
        "key": key,
        "label_zh": zh,
        "label_en": en,
        "count": count,
        "count_share": count_share,
        "amount": amount,
        "amount_share": amount_share,
    }


POOL: dict[str, Any] = {
    "asset_class": "toll_income",
    "tape": {"sha256": TAPE_SHA256, "rows": 1200, "file_name": "资产清单.csv"},
    "overview": {
        "cutoff_date": "2026-09-30",
        "asset_count": 1200,
        "obligor_group_count": 97,
        "total_outstanding": "9876543.21",
        "wal_years": 2.345678,
        "top1_share": 0.012345,
        "n_eff": 88.5,
    },
    "strata": {
        "balance": {
            "rows": [
                stratum("0-1m", "100万元以下(含)", "up to CNY 1m", 1100, "6000000.00", 0.916667, 0.607500),
                stratum("1-5m", "100-500万元(含)", "CNY 1-5m", 100, "3876543.21", 0.083333, 0.392500),
            ],
            "total": {"count": 1200, "amount": "9876543.21"},
        },
        "province": {
            "rows": [stratum("33", "浙江省", "Zhejiang", 1200, "9876543.21", 1.0, 1.0)],
            "total": {"count": 1200, "amount": "9876543.21"},
        },
    },
    "eligibility": {
        "criteria_version": 3,
        "asset_count": 1200,
        "eligible_count": 1200 - INELIGIBLE,
        "eligible_outstanding": "9000000.00",
        "ineligible_count": INELIGIBLE,
        "ineligible_outstanding": "876543.21",
        "reasons": {
            "overdue": {"count": INELIGIBLE, "outstanding": "876543.21", "message": "逾期超过 30 天"}
        },
        "ineligible": [
            {"asset_id": f"T{i:05d}", "source_row": i + 2, "reasons": ["overdue"]} for i in range(INELIGIBLE)
        ],
    },
    "top_obligors": [
        {
            "rank": 1,
            "obligor_group_id": "G001",
            "name": "杭州某物流有限公司",
            "amount": "121000.00",
            "share": 0.012251,
        }
    ],
    "income": {
        "revenue": {"months": 36, "first_period": "2023-10", "last_period": "2026-09", "mean": "2500000.00"},
        "annual_revenue": {
            "totals": {"2024": "29000000.00", "2025": "31000000.00"},
            "yoy_growth": {"2025": 0.068966},
        },
        "coverage": [
            {
                "payment_date": "2027-06-30",
                "ncf": "15000000.00",
                "debt_service": "9000000.00",
                "coverage": 1.67,
            },
            {
                "payment_date": "2027-12-31",
                "ncf": "15500000.00",
                "debt_service": "9000000.00",
                "coverage": 1.72,
            },
        ],
        "min_coverage_base": 1.67,
    },
}


def review_history(filing: Any, snapshot: Any) -> dict[str, Any]:
    """Stands in for the reviews app's provider (settings.DOSSIER_REVIEW_HISTORY_PROVIDER)."""
    return {
        "checklist": [
            {
                "group": "Authenticity",
                "item": "Toll licence checked against the provincial register",
                "answer": "yes",
                "note": "Licence valid to 2041",
                "evidence": "TOLL-APPROVALS v1",
            }
        ],
        "rounds": [
            {
                "number": 1,
                "sent_at": "2026-12-01T10:00:00+08:00",
                "items": [
                    {
                        "number": 1,
                        "anchor": "structure.spv_lei",
                        "question": "Give the SPV's LEI",
                        "status": "answered",
                        "answer": "Applied for",
                    }
                ],
            }
        ],
        "decisions": [
            {
                "kind": "filed",
                "drafted_by": "reviewer",
                "confirmed_by": "lead",
                "confirmed_at": "2026-12-10T09:00:00+08:00",
                "reasons": "Complete",
            }
        ],
    }


def filing_with_imported_pool(preparer: Any, signatory: Any, *, asset_class: str = "toll_income") -> Any:
    """A complete draft whose pool comes from the real tape import (the demo tapes of its asset class,
    through the import service) and whose materials are uploaded: it passes the real pre-flight."""
    from desk.demo import fill_filing
    from filings.models import Filing

    filing = services.create_filing(
        organisation=preparer.organisation,
        title="测试收费收益权 2026-1",
        asset_class=asset_class,
        by=preparer,
    )
    fill_filing(filing, preparer, signatory, name_zh="甲发行人有限公司", code="91330000MA27U0001R")
    return Filing.objects.get(pk=filing.pk)


def submit(filing: Any, signatory: Any) -> Any:
    """Submit ``filing`` through the real service, blocking-findings check included, and return its
    snapshot; the snapshot's pool is whatever the filing's tapes were really imported into."""
    services.submit_filing(filing_id=filing.pk, by=signatory)
    return filing.snapshots.order_by("-version").first()


def upload_filing_report(filing: Any, preparer: Any) -> Any:
    return services.upload_document(
        filing_id=filing.pk,
        requirement_code="FILING-REPORT",
        upload=SimpleUploadedFile("备案报告.pdf", PDF_UPLOAD),
        by=preparer,
    )


def minimal_snapshot(filing: Any, by: Any, *, pool: dict[str, Any] | None = None) -> Any:
    """A submitted snapshot of a near-empty filing, made without the submission service: enough for
    the job and permission tests, and a short PDF to render."""
    from filings.models import Filing, Snapshot
    from filings.snapshot import build_filing_data, sha256_of

    Filing.objects.filter(pk=filing.pk).update(state="submitted", receipt_number=f"FD-2026-{filing.pk:06d}")
    data = build_filing_data(filing) | {"preflight": [], "snapshot_version": 1}
    if pool is not None:
        data["pool"] = pool
    return Snapshot.objects.create(filing=filing, version=1, data=data, sha256=sha256_of(data), created_by=by)


def imported_pool_snapshot(filing: Any, preparer: Any, signatory: Any) -> Any:
    """A minimal snapshot whose pool the real import service computed from the demo tapes."""
    from desk.demo import import_demo_pool

    import_demo_pool(filing, preparer)
    return minimal_snapshot(filing, signatory)


def tape_source(sha256: str) -> bytes | None:
    return TAPE if sha256 == TAPE_SHA256 else None


def structure_roles(pdf: bytes) -> Counter[str]:
    """How many structure elements of each role (H1, P, Table, …) the PDF's tag tree holds; empty
    when the PDF is not tagged (no /MarkInfo /Marked true or no /StructTreeRoot)."""
    catalog = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    roles: Counter[str] = Counter()
    if catalog.get("/MarkInfo", {}).get("/Marked") != pypdf.generic.BooleanObject(True):
        return roles
    if "/StructTreeRoot" not in catalog:
        return roles
    pending: list[Any] = [catalog["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            roles[str(node["/S"]).lstrip("/")] += 1
        kids = node.get("/K")
        pending.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return roles
