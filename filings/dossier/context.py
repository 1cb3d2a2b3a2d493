"""Gather everything a dossier prints and embeds from ONE snapshot.

The snapshot's frozen data is the only filing content read here; the few other inputs never change
once the snapshot exists: the filing's receipt number (set at first submission), the audit events up
to the snapshot's own submission event (history.py), the stored tape file named by the snapshot's
tape hash (checked against it), and, for the reviewer copy only, the review history. So the same
snapshot, language and copy always give the same text and the same attachments.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..classification import class_label
from ..compliance.registry import SECTION_LABELS, SEVERITY_LABELS, basis_label, is_desk_policy
from ..models import (
    PROHIBITED_CIRCUMSTANCES,
    Account,
    Attestation,
    ControlLink,
    DossierCopy,
    EntitySection,
    Filing,
    OfferingSection,
    Officer,
    Party,
    Snapshot,
    StructureSection,
    TokenSection,
    Tranche,
    Trigger,
    Venue,
    WaiverStatus,
    WaterfallStep,
)
from ..snapshot import ROW_SETS, canonical_bytes, sha256_of
from ..workflow import AssetClass
from .formatting import (
    DASH,
    Cell,
    Formatter,
    Table,
    choice_label,
    file_size,
    generic_table,
    integer,
    model_pairs,
    model_table,
    moment,
    pick,
    text,
)
from .history import frozen_history, pause_table, review_history
from .offshore import export_cleared, redact_for_export
from .pdf import Attachment, DossierRenderError, PdfMetadata
from .pool import MAX_LISTED_ROWS, pool_section
from .structure import structure_chart

logger = logging.getLogger(__name__)

TapeSource = Callable[[str], bytes | None]
TAPE_TYPES = {
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
}


@dataclass(frozen=True)
class DossierContent:
    """What the templates print, what the PDF embeds, and the document information."""

    context: dict[str, Any]
    attachments: list[Attachment]
    metadata: PdfMetadata


def pdf_lang(language: str) -> str:
    return "zh-CN" if language.lower().startswith("zh") else "en"


def will_sign() -> bool:
    """The system seals dossiers when its signing identity is configured and present."""
    path = getattr(settings, "DOSSIER_SIGNING_P12", None)
    return path is not None and str(path) != "" and Path(path).is_file()


def default_tape_source(sha256: str) -> bytes | None:
    """The original tape file, from the asset layer's store."""
    try:
        from assets.selectors import tape_bytes
    except ImportError:
        logger.warning("assets.selectors.tape_bytes is not available; the tape cannot be embedded")
        return None
    return tape_bytes(sha256)


def gather(
    snapshot: Snapshot,
    *,
    language: str,
    copy: str,
    tape_source: TapeSource | None = None,
) -> DossierContent:
    """Template context, attachments and metadata of one dossier."""
    with translation.override(language):
        data = snapshot.data
        if sha256_of(data) != snapshot.sha256:
            # The stored snapshot no longer hashes to the value recorded when it was frozen.
            raise DossierRenderError(f"Snapshot {snapshot.pk} does not match its SHA-256 {snapshot.sha256}")
        # Set once at the first submission and never changed; read afresh, not from a cached instance.
        receipt = (
            Filing.objects.filter(pk=snapshot.filing_id).values_list("receipt_number", flat=True).first()
        )
        offshore = copy == DossierCopy.OFFSHORE
        cleared = export_cleared(data)
        withheld: list[str] = []
        if offshore and not cleared:
            # Personal information and important data stay onshore: printed fields are withheld, the
            # tape and the snapshot JSON (which holds everything) are not embedded.
            data, withheld = redact_for_export(data)
        pool = data.get("pool") if isinstance(data.get("pool"), Mapping) else None
        attachments, manifest, missing_tape = _attachments(
            snapshot, pool, tape_source or default_tape_source, with_snapshot=not withheld
        )
        history = frozen_history(snapshot)
        reviewer = copy == DossierCopy.REVIEWER
        review = review_history(snapshot) if reviewer else None
        sealed = will_sign()
        pool_context = pool_section(pool)
        title = text(data.get("title"))
        organisation = data.get("organisation") or {}
        issuer = pick(organisation.get("name_zh"), organisation.get("name_en"))
        context: dict[str, Any] = {
            "lang": pdf_lang(language),
            "language": language,
            "reviewer_copy": reviewer,
            "copy_label": _("Reviewer copy")
            if reviewer
            else (_("Offshore copy") if offshore else _("Issuer copy")),
            "offshore_copy": offshore,
            "export_cleared": cleared,
            "withheld": withheld,
            "document_title": f"{title} · {_('Issuance dossier')}",
            "title": title,
            "issuer": issuer,
            "reference": text(data.get("reference")),
            "cover": _cover(snapshot, data, receipt or "", issuer, history.submitted_by, sealed),
            "toc": _toc(review=review, has_income=bool(pool_context.get("income"))),
            "entity": _entity(data),
            "structure": _structure(data),
            "tranches": model_table(Tranche, data.get("tranches") or [], ROW_SETS["tranches"], limit=100),
            "waterfall": model_table(
                WaterfallStep, data.get("waterfall") or [], ROW_SETS["waterfall"], limit=100
            ),
            "token": model_pairs(TokenSection, data.get("token") or {}),
            "offering": model_pairs(OfferingSection, data.get("offering") or {}),
            "venues": model_table(Venue, data.get("venues") or [], ROW_SETS["venues"], limit=100),
            "pool": {**pool_context, "withheld": "pool" in withheld},
            "findings": _findings(data.get("preflight") or []),
            "waivers": _waivers(data.get("waivers") or []),
            "attestations": _attestations(data.get("attestations") or []),
            "documents": _documents(data.get("documents") or []),
            "history": history,
            # The reviewer copy shows every pause to date; the others the pauses frozen with the snapshot.
            "pauses_table": pause_table(snapshot) if reviewer else history.pauses,
            "limits_table": _limits(),
            "review": review,
            "manifest": manifest,
            "missing_tape": missing_tape,
            "sealed": sealed,
            "snapshot_sha256": snapshot.sha256,
            "snapshot_version": snapshot.version,
            "limit": MAX_LISTED_ROWS,
        }
        context["h"] = headings(context["toc"])
        metadata = PdfMetadata(
            title=context["document_title"],
            reference=context["reference"],
            created=snapshot.created_at,
            lang=pdf_lang(language),
            authors=(issuer,) if issuer != DASH else (),
            subject=_("Snapshot %(version)s, SHA-256 %(sha256)s")
            % {"version": snapshot.version, "sha256": snapshot.sha256},
            keywords=(context["reference"], f"v{snapshot.version}", snapshot.sha256),
        )
    return DossierContent(context=context, attachments=attachments, metadata=metadata)


def _attachments(
    snapshot: Snapshot,
    pool: Mapping[str, Any] | None,
    tape_source: TapeSource,
    *,
    with_snapshot: bool = True,
) -> tuple[list[Attachment], list[dict[str, Any]], list[str]]:
    base = f"{snapshot.data.get('reference') or snapshot.filing.reference}-v{snapshot.version}"
    attachments = []
    if with_snapshot:
        attachments.append(
            Attachment(
                filename=f"{base}-snapshot.json",
                content=canonical_bytes(snapshot.data),
                mime_type="application/json",
                description=_("The submitted snapshot as canonical JSON"),
                relationship="Source",
            )
        )
    missing: list[str] = []
    for tape, name in _tapes(pool):
        sha256 = str(tape["sha256"])
        content = tape_source(sha256)
        if content is None:
            missing.append(sha256)
            continue
        if hashlib.sha256(content).hexdigest() != sha256:
            raise DossierRenderError(f"The stored tape does not match the snapshot's SHA-256 {sha256}")
        suffix = Path(str(tape.get("file_name") or "tape.csv")).suffix.lower() or ".csv"
        attachments.append(
            Attachment(
                filename=f"{base}-{name}{suffix}",
                content=content,
                mime_type=TAPE_TYPES.get(suffix, "application/octet-stream"),
                description=_("The full tape as imported: %(file)s")
                % {"file": tape.get("file_name") or name},
                relationship="Data",
            )
        )
    manifest = [
        {
            "filename": attachment.filename,
            "mime_type": attachment.mime_type,
            "size": len(attachment.content),
            "sha256": hashlib.sha256(attachment.content).hexdigest(),
            "description": attachment.description,
            "relationship": attachment.relationship,
        }
        for attachment in attachments
    ]
    return attachments, manifest, missing


def _tapes(pool: Mapping[str, Any] | None) -> list[tuple[Mapping[str, Any], str]]:
    """The tapes to embed, each once: the main asset tape, then any other current table (an income
    right has four: toll assets, monthly history, forecast, debt service)."""
    if not pool:
        return []
    found: list[tuple[Mapping[str, Any], str]] = []
    seen: set[str] = set()
    main = pool.get("tape")
    if isinstance(main, Mapping) and main.get("sha256"):
        found.append((main, "asset-tape"))
        seen.add(str(main["sha256"]))
    for tape in pool.get("tapes") or []:
        if isinstance(tape, Mapping) and tape.get("sha256") and str(tape["sha256"]) not in seen:
            seen.add(str(tape["sha256"]))
            kind = "".join(c if c.isalnum() else "-" for c in str(tape.get("kind") or "table"))
            found.append((tape, f"{kind}-tape"))
    return found


def _cover(
    snapshot: Snapshot, data: Mapping[str, Any], receipt: str, issuer: str, submitted_by: str, sealed: bool
) -> list[tuple[str, Cell]]:
    return [
        (_("Filing reference"), Cell(text(data.get("reference")))),
        (_("Receipt number"), Cell(text(receipt))),
        (_("Issuer"), Cell(issuer)),
        (_("Asset class"), Cell(str(dict(AssetClass.choices).get(str(data.get("asset_class")), DASH)))),
        (_("Snapshot version"), Cell(str(snapshot.version))),
        (_("Snapshot SHA-256"), Cell(snapshot.sha256, mono=True)),
        (_("Submitted"), Cell(moment(snapshot.created_at))),
        (_("Submitted by"), Cell(text(submitted_by))),
        (_("Seal"), Cell(_("Signed (PAdES) with the system's certificate") if sealed else _("Not signed"))),
    ]


def _toc(*, review: Mapping[str, Any] | None, has_income: bool) -> list[dict[str, Any]]:
    chapters: list[tuple[str, str, list[tuple[str, str]]]] = [
        (
            "entity",
            _("Filing entity and control chain"),
            [
                ("entity-details", _("Filing entity")),
                ("entity-control", _("Control chain")),
                ("entity-officers", _("Directors, supervisors and senior managers")),
            ],
        ),
        (
            "structure",
            _("Transaction structure"),
            [
                ("structure-diagram", _("Structure diagram")),
                ("structure-spv", _("SPV and credit enhancement")),
                ("structure-parties", _("Parties")),
                ("structure-accounts", _("Accounts")),
                ("structure-triggers", _("Triggers")),
            ],
        ),
        (
            "tranches",
            _("Tranches and waterfall"),
            [("tranches-list", _("Tranches")), ("waterfall", _("Waterfall"))],
        ),
        (
            "token",
            _("Token and offering"),
            [("token-details", _("Token")), ("offering", _("Offering")), ("venues", _("Venues"))],
        ),
        (
            "pool",
            _("Asset pool"),
            [
                ("pool-overview", _("Pool overview")),
                ("pool-strata", _("Stratification")),
                ("pool-eligibility", _("Eligibility")),
                ("pool-exceptions", _("Exceptions")),
                ("pool-obligors", _("Top obligors")),
                *([("pool-income", _("Income-right metrics"))] if has_income else []),
            ],
        ),
        (
            "preflight",
            _("Pre-flight findings and waivers"),
            [("preflight-findings", _("Findings")), ("preflight-waivers", _("Waivers"))],
        ),
        ("attestations", _("Attestations and commitments"), []),
        ("documents", _("Document index"), []),
        ("history", _("Event history"), []),
    ]
    if review is not None:
        sections = (
            [
                ("review-checklist", _("Checklist answers")),
                ("review-rounds", _("Deficiency rounds")),
                ("review-decisions", _("Decisions")),
            ]
            if review["source"] == "provider"
            else [("review-events", _("Review and lifecycle events"))]
        )
        chapters.append(("review", _("Review history"), sections))
    chapters.append(("attachments", _("Embedded files and seal"), []))
    toc = []
    for number, (anchor, title, sections) in enumerate(chapters, start=1):
        toc.append(
            {
                "id": anchor,
                "title": f"{number}  {title}",
                "sections": [
                    {"id": sub, "title": f"{number}.{index}  {name}"}
                    for index, (sub, name) in enumerate(sections, start=1)
                ],
            }
        )
    return toc


def headings(toc: list[dict[str, Any]]) -> dict[str, str]:
    """Anchor → numbered heading, so the body and the contents always agree."""
    result = {}
    for chapter in toc:
        result[chapter["id"].replace("-", "_")] = chapter["title"]
        for section in chapter["sections"]:
            result[section["id"].replace("-", "_")] = section["title"]
    return result


def _entity(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "pairs": model_pairs(EntitySection, data.get("entity") or {}),
        "control": model_table(
            ControlLink, data.get("control_links") or [], ROW_SETS["control_links"], limit=100
        ),
        "officers": model_table(Officer, data.get("officers") or [], ROW_SETS["officers"], limit=100),
    }


def _structure(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "diagram": structure_chart(data),
        "pairs": model_pairs(StructureSection, data.get("structure") or {}),
        "parties": model_table(Party, data.get("parties") or [], ROW_SETS["parties"], limit=100),
        "accounts": model_table(Account, data.get("accounts") or [], ROW_SETS["accounts"], limit=100),
        "triggers": model_table(Trigger, data.get("triggers") or [], ROW_SETS["triggers"], limit=100),
    }


def _limits() -> Table:
    """The time limits the desk applies, each with its basis: assumed by analogy or desk policy."""
    from ..deadlines import LIMITS, limit_value

    rows = []
    for limit in LIMITS.values():
        basis = _("desk policy") if limit.desk_policy else _("assumed") if limit.assumed else _("confirmed")
        rows.append(
            [
                Cell(str(limit.label)),
                Cell(f"{limit_value(limit)} {limit.unit}", num=True),
                Cell(f"{limit.source} ({basis})", tag="policy" if limit.desk_policy else ""),
            ]
        )
    return Table(headers=[Cell(_("Limit")), Cell(_("Value"), num=True), Cell(_("Basis"))], rows=rows)


def _findings(findings: list[Mapping[str, Any]]) -> Table:
    def citation(finding: Mapping[str, Any]) -> str:
        cited = finding.get("citation") or {}
        basis = " ".join(part for part in (cited.get("source") or "", cited.get("article") or "") if part)
        return f"{basis} ({basis_label(cited)})" if basis else DASH

    return Table(
        headers=[
            Cell(_("Rule")),
            Cell(_("Severity")),
            Cell(_("Section")),
            Cell(_("Finding")),
            Cell(_("Basis")),
        ],
        rows=[
            [
                Cell(text(finding.get("code"))),
                Cell(
                    str(SEVERITY_LABELS.get(finding.get("severity") or "", finding.get("severity") or DASH))
                ),
                Cell(str(SECTION_LABELS.get(finding.get("section") or "", finding.get("section") or DASH))),
                Cell(pick(finding.get("message_zh"), finding.get("message_en"))),
                Cell(citation(finding), tag="policy" if is_desk_policy(finding.get("citation")) else ""),
            ]
            for finding in findings[:MAX_LISTED_ROWS]
        ],
        hidden=max(len(findings) - MAX_LISTED_ROWS, 0),
    )


def _waivers(waivers: list[Mapping[str, Any]]) -> Table:
    statuses = dict(WaiverStatus.choices)
    columns: dict[str, tuple[str, Formatter, bool]] = {
        "rule_code": (_("Rule"), text, False),
        "field": (_("Field"), text, False),
        "status": (_("Status"), lambda value: str(statuses.get(value, value)), False),
        "justification": (_("Justification"), text, False),
        "requested_by": (_("Requested by"), text, False),
        "requested_at": (_("Requested"), moment, False),
        "ruled_by": (_("Ruled by"), text, False),
        "ruled_at": (_("Ruled"), moment, False),
        "ruling_note": (_("Ruling"), text, False),
    }
    flat = []
    for waiver in waivers:
        ruling = waiver.get("ruling") if isinstance(waiver.get("ruling"), Mapping) else {}
        row = {key: value for key, value in waiver.items() if key != "ruling"}
        if ruling:
            row |= {
                "ruled_by": ruling.get("by"),
                "ruled_at": ruling.get("at"),
                "ruling_note": ruling.get("note"),
            }
        flat.append(row)
    return generic_table(flat, columns=columns, limit=MAX_LISTED_ROWS)


def _attestations(attestations: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    texts = dict(PROHIBITED_CIRCUMSTANCES)
    return [
        {
            "code": text(item.get("code")),
            "circumstance": str(texts.get(str(item.get("code")), DASH)),
            "answer": choice_label(Attestation, "answer", item.get("answer") or ""),
            "evidence": text(item.get("evidence")),
            "signed_by": text(item.get("signed_by")),
            "signed_at": moment(item.get("signed_at")),
        }
        for item in attestations
    ]


def _documents(documents: list[Mapping[str, Any]]) -> Table:
    return Table(
        headers=[
            Cell(_("Checklist item")),
            Cell(_("Version"), num=True),
            Cell(_("File")),
            Cell(_("Language")),
            Cell(_("Size"), num=True),
            Cell(_("Data class")),
            Cell(_("SHA-256")),
        ],
        rows=[
            [
                Cell(text(document.get("requirement"))),
                Cell(integer(document.get("version")), num=True),
                Cell(text(document.get("name"))),
                Cell(text(document.get("language"))),
                Cell(file_size(document.get("size")), num=True),
                Cell(_class_label(document)),
                Cell(text(document.get("sha256")), mono=True),
            ]
            for document in documents[:MAX_LISTED_ROWS]
        ],
        hidden=max(len(documents) - MAX_LISTED_ROWS, 0),
    )


def _class_label(document: Mapping[str, Any]) -> str:
    return class_label(str(document.get("data_class") or "")) if document.get("data_class") else DASH
