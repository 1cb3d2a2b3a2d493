"""Numbered notices: text fixed at issue, rendered once to a (signed when possible) PDF/A-3."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from audit import hooks
from audit.services import record_event
from filings.models import Filing
from jobs.runner import dispatch

from ..models import Notice, NoticeKind

NOTICE_LANGUAGES = ("zh-hans", "en")
TITLES: dict[str, str] = {
    NoticeKind.SUPPLEMENT: gettext_noop("Supplementary materials notice"),
    NoticeKind.FILING: gettext_noop("Filing notice"),
    NoticeKind.REJECTION: gettext_noop("Decision notice: filing refused"),
    NoticeKind.NOT_ACCEPTED: gettext_noop("Notice of non-acceptance"),
}


def notice_number(filing: Filing, kind: str, *, sequence: int | None = None) -> str:
    """Official-style numbers; the filing notice number is the one the filing transition assigned."""
    year = timezone.localdate().year
    if kind == NoticeKind.FILING:
        return filing.notice_number
    if kind == NoticeKind.SUPPLEMENT:
        return f"证监补正〔{year}〕{filing.pk:04d}-{sequence}号"
    if kind == NoticeKind.REJECTION:
        return f"证监不予备案〔{year}〕{filing.pk:04d}号"
    return f"证监不予受理〔{year}〕{filing.pk:04d}号"


def text_digest(text_zh: str, text_en: str) -> str:
    return hashlib.sha256((text_zh + "\n\f\n" + text_en).encode("utf-8")).hexdigest()


def issue_notice(
    *, filing: Filing, kind: str, by: Any, context: dict[str, Any], sequence: int | None = None
) -> Notice:
    """Write the notice's text in both languages now, once; the PDF follows after commit."""
    now = timezone.now()
    number = notice_number(filing, kind, sequence=sequence)
    texts: dict[str, str] = {}
    titles: dict[str, str] = {}
    for language in NOTICE_LANGUAGES:
        with translation.override(language):
            titles[language] = gettext(TITLES[kind])
            texts[language] = (
                render_to_string(
                    f"reviews/notices/{kind}.txt",
                    {
                        **context,
                        "filing": filing,
                        "number": number,
                        "issued_at": now,
                        "title": titles[language],
                    },
                ).strip()
                + "\n"
            )
    notice = Notice.objects.create(
        filing=filing,
        kind=kind,
        number=number,
        issued_at=now,
        issued_by=by,
        title_zh=titles["zh-hans"],
        title_en=titles["en"],
        text_zh=texts["zh-hans"],
        text_en=texts["en"],
        text_sha256=text_digest(texts["zh-hans"], texts["en"]),
    )
    record_event(
        action="notice.issue",
        actor=by,
        subject=notice,
        filing_id=filing.pk,
        data={"kind": kind, "number": number, "text_sha256": notice.text_sha256},
    )
    # By name, in this transaction: the notice and the request to render it commit together.
    dispatch("reviews.tasks.render_notice_pdf_task", notice.pk)
    hooks.emit("notice.issued", filing=filing, data={"notice": notice.pk, "kind": kind, "number": number})
    return notice


def signing_identity() -> Path | None:
    path = Path(settings.DOSSIER_SIGNING_P12)
    return path if path.is_file() else None


@transaction.atomic
def render_notice_pdf(notice_id: int) -> Notice:
    """Render the stored text to PDF/A-3 (with the text attached), sign it if an identity exists.

    Idempotent: the row is locked and a notice that already has its PDF is left alone.
    """
    from filings.dossier.pdf import Attachment, PdfMetadata, render_pdf

    notice = Notice.objects.select_for_update().select_related("filing").get(pk=notice_id)
    if notice.pdf:
        return notice
    html = render_to_string("reviews/notice_print.html", {"notice": notice})
    pdf = render_pdf(
        html,
        base_url=None,
        attachments=[
            Attachment(
                filename="notice.txt",
                content=(notice.text_zh + "\n\f\n" + notice.text_en).encode(),
                mime_type="text/plain",
                description=notice.number,
                relationship="Source",
            )
        ],
        metadata=PdfMetadata(
            title=f"{notice.title_zh} {notice.number}",
            reference=notice.filing.reference,
            created=notice.issued_at,
            lang="zh-CN",
            subject=notice.title_en,
            keywords=(notice.number, notice.filing.reference),
            authors=("CSRC Filing Desk",),
        ),
    )
    identity = signing_identity()
    if identity is not None:
        from filings.dossier.signing import sign_pdf

        pdf = sign_pdf(
            pdf,
            p12_path=identity,
            passphrase=settings.DOSSIER_SIGNING_PASSPHRASE,
            reason=f"{notice.title_en} {notice.number}",
            location="Beijing",
        )
    notice.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    notice.signed = identity is not None
    notice.rendered_at = timezone.now()
    notice.pdf.save(f"{notice.pk}.pdf", ContentFile(pdf), save=False)
    notice.save(update_fields=["pdf", "pdf_sha256", "signed", "rendered_at"])
    record_event(
        action="notice.render",
        subject=notice,
        filing_id=notice.filing_id,
        data={"number": notice.number, "pdf_sha256": notice.pdf_sha256, "signed": notice.signed},
    )
    return notice


def hand_out_notice_pdf(*, notice: Notice, by: Any) -> Notice:
    """The notice with its signed PDF (rendered now if the after-commit render has not run yet);
    the download is audited. The web page and the API both hand it out through here."""
    if not notice.pdf:
        notice = render_notice_pdf(notice.pk)
    record_event(
        action="notice.download",
        actor=by,
        subject=notice,
        filing_id=notice.filing_id,
        data={"number": notice.number, "pdf_sha256": notice.pdf_sha256},
    )
    return notice
