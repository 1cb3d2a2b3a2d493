"""One dossier, start to finish: gather the snapshot, fill the templates, typeset, embed, seal, check.

``render_dossier`` is what the job, the management command and the benchmark all call, so the three
measure and ship the same thing.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pypdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Snapshot
from .context import DossierContent, TapeSource, gather, will_sign
from .pdf import DossierRenderError, extract_text, render_pdf
from .signing import CA_CERT_FILENAME, sign_pdf, verify_pdf

TEMPLATE = "dossier/dossier.html"
SIGNATURE_FIELD = "FilingDeskSeal"


@dataclass(frozen=True)
class RenderedDossier:
    pdf: bytes = field(repr=False)
    sha256: str
    content_sha256: str  # before the seal: identical for every render of the same snapshot
    text_sha256: str
    page_count: int
    attachments: list[dict[str, Any]]
    signed: bool
    signer: str
    signed_at: datetime | None
    timings: dict[str, float]
    text: str = field(default="", repr=False)  # as extracted from the PDF; the seal does not change it


def build_html(
    snapshot: Snapshot, *, language: str, copy: str, tape_source: TapeSource | None = None
) -> tuple[str, DossierContent]:
    """The dossier's HTML and what goes with it (attachments, metadata)."""
    with translation.override(language):  # labels and check messages are worked out in that language
        content = gather(snapshot, language=language, copy=copy, tape_source=tape_source)
        html = render_to_string(TEMPLATE, content.context)
    return html, content


def render_dossier(
    snapshot: Snapshot,
    *,
    language: str,
    copy: str,
    on_stage: Callable[[str], None] | None = None,
    tape_source: TapeSource | None = None,
) -> RenderedDossier:
    """Render, embed, and seal when the system's signing identity is configured."""
    timings: dict[str, float] = {}
    stage = on_stage or (lambda name: None)

    started = time.perf_counter()
    stage("gathering")
    content = gather(snapshot, language=language, copy=copy, tape_source=tape_source)
    timings["gathering"] = time.perf_counter() - started

    mark = time.perf_counter()
    with translation.override(language):
        html = render_to_string(TEMPLATE, content.context)
    timings["templating"] = time.perf_counter() - mark

    stage("rendering")
    mark = time.perf_counter()
    unsigned = render_pdf(html, base_url=None, attachments=content.attachments, metadata=content.metadata)
    timings["weasyprint"] = time.perf_counter() - mark

    mark = time.perf_counter()
    reader = pypdf.PdfReader(io.BytesIO(unsigned))
    page_count = len(reader.pages)
    text = extract_text(unsigned)
    text_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    timings["text"] = time.perf_counter() - mark

    pdf, signer, signed_at = unsigned, "", None
    sealed = content.context["sealed"]
    if sealed:
        stage("signing")
        mark = time.perf_counter()
        pdf, signer, signed_at = _seal(unsigned, snapshot, language)
        timings["signing"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return RenderedDossier(
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=hashlib.sha256(unsigned).hexdigest(),
        text_sha256=text_sha256,
        page_count=page_count,
        attachments=content.context["manifest"],
        signed=sealed,
        signer=signer,
        signed_at=signed_at,
        timings=timings,
        text=text,
    )


def _seal(unsigned: bytes, snapshot: Snapshot, language: str) -> tuple[bytes, str, datetime | None]:
    p12 = Path(settings.DOSSIER_SIGNING_P12)
    with translation.override(language):
        reason = _("Issuance dossier %(reference)s, snapshot %(version)s (SHA-256 %(sha256)s)") % {
            "reference": snapshot.filing.reference,
            "version": snapshot.version,
            "sha256": snapshot.sha256,
        }
        location = _("Filing Desk")
    signed = sign_pdf(
        unsigned,
        p12_path=p12,
        passphrase=settings.DOSSIER_SIGNING_PASSPHRASE,
        reason=reason,
        location=location,
        field_name=SIGNATURE_FIELD,
    )
    ca = p12.with_name(CA_CERT_FILENAME)
    if not ca.is_file():
        # A production key whose chain is not beside it: the seal is checked by whoever trusts its CA.
        return signed, "", None
    result = verify_pdf(signed, trust_roots=[ca])
    if not (result.valid and result.intact):
        raise DossierRenderError(f"The sealed dossier does not verify: {result.summary}")
    return signed, result.signer_subject, result.signed_at


__all__ = ["RenderedDossier", "build_html", "render_dossier", "will_sign"]
