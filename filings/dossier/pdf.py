"""Render dossier HTML to a tagged, deterministic PDF/A-3a with embedded files (WeasyPrint 70); read it back.

Determinism. Rendering the same HTML, attachments and metadata twice gives byte-identical PDFs, also
across processes with different PYTHONHASHSEED values. What that took in WeasyPrint 70.0:

- Document dates: WeasyPrint writes /CreationDate, /ModDate and xmp:CreateDate/ModifyDate only from
  ``<meta name=dcterms.created|modified>``; we overwrite them from ``PdfMetadata.created`` (the
  snapshot's submission time), so the template need not carry them.
- Embedded-file dates: ``weasyprint.Attachment`` defaults its /CreationDate and /ModDate to
  ``datetime.now()`` and formats them with a literal "Z", so we pass ``created`` converted to UTC.
- File identifier: PDF/A variants set ``pdf_identifier=True``, which pydyf derives from an MD5 of all
  object data, so it is already a pure function of the content. ``PdfMetadata.identifier`` replaces
  the first half (e.g. the dossier UUID, so a corrected dossier can be linked to the one it replaces).
- Nothing else in WeasyPrint reads the clock or a random source for PDF/A (font subset tags are MD5s
  of the font description; only the PDF/X-4 variant puts a uuid4 in the XMP).

A finisher then corrects WeasyPrint's object tree: each attachment gets our MIME type (WeasyPrint
guesses from the file name) and /AFRelationship (WeasyPrint maps them by content MD5, which mixes up
two attachments with equal bytes); /AF loses WeasyPrint's duplicate entries; and the Info /Producer
goes, so that signing (signing.py) leaves Info and XMP agreeing, as PDF/A requires.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import pypdf
import weasyprint
from weasyprint.urls import URLFetcher

PRINT_CSS_PATH = Path(__file__).with_name("print.css")

AFRelationship = Literal[
    "Source", "Data", "Alternative", "Supplement", "EncryptedPayload", "FormData", "Schema", "Unspecified"
]

# PDF/A-1 drops every embedded file and PDF/A-2 every non-PDF one, silently (weasyprint/pdf/pdfa.py).
_VARIANTS_WITHOUT_ATTACHMENTS = ("pdf/a-1", "pdf/a-2")

# PDF/A-3 level A: WeasyPrint writes the structure tree (/StructTreeRoot, /MarkInfo /Marked true) so a
# screen reader follows headings, tables and lists; level 3 still allows the embedded files.
TAGGED_VARIANT = "pdf/a-3a"


class DossierRenderError(Exception):
    """The dossier could not be rendered as asked."""


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the dossier, e.g. the full asset tape or the snapshot JSON."""

    filename: str
    content: bytes = field(repr=False)
    mime_type: str
    description: str = ""
    relationship: AFRelationship = "Data"


@dataclass(frozen=True)
class PdfMetadata:
    """Document information; ``created`` fixes every date in the file so that renders repeat exactly."""

    title: str
    reference: str  # filing reference, printed in the running header of every page but the cover
    created: datetime  # timezone-aware; the snapshot's submission time
    lang: str = "zh-CN"  # BCP 47; "zh…" gives "第 N 页 / 共 M 页", anything else "Page N of M"
    authors: tuple[str, ...] = ()
    subject: str = ""
    keywords: tuple[str, ...] = ()
    creator: str = "Filing Desk"
    modified: datetime | None = None  # defaults to created
    identifier: str | None = None  # first half of the trailer /ID; defaults to a hash of the content

    def __post_init__(self) -> None:
        for name in ("created", "modified"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"PdfMetadata.{name} must be timezone-aware")


def render_pdf(
    html: str,
    *,
    base_url: str | None,
    attachments: Sequence[Attachment],
    metadata: PdfMetadata,
    pdf_variant: str | None = TAGGED_VARIANT,
) -> bytes:
    """Render dossier HTML with the base print stylesheet and embed the attachments.

    ``base_url`` resolves relative links (images, extra stylesheets). Only ``file:`` URLs below it and
    ``data:`` URLs are fetched; the network never is, and without a base URL only ``data:`` works.
    """
    _check_attachments(attachments, pdf_variant)
    fetcher = LocalURLFetcher(base_url)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[
            weasyprint.CSS(filename=str(PRINT_CSS_PATH), url_fetcher=fetcher),
            weasyprint.CSS(string=page_margin_css(metadata), url_fetcher=fetcher),
        ],
        pdf_variant=pdf_variant,
    )
    _apply_metadata(document.metadata, metadata)
    document.metadata.attachments = [
        weasyprint.Attachment(
            string=attachment.content,
            name=attachment.filename,
            description=attachment.description,
            relationship=attachment.relationship,
            created=_utc_naive(metadata.created),
            modified=_utc_naive(metadata.modified or metadata.created),
        )
        for attachment in attachments
    ]
    options: dict[str, Any] = {"pdf_variant": pdf_variant}
    if metadata.identifier is not None:
        options["pdf_identifier"] = metadata.identifier.encode()
    elif pdf_variant is None:
        options["pdf_identifier"] = True
    pdf: bytes = document.write_pdf(finisher=_Finisher(attachments), **options)
    return pdf


def page_margin_css(metadata: PdfMetadata) -> str:
    """The per-dossier part of the page style: filing reference in the header, localised page numbers."""
    if metadata.lang.lower().startswith("zh"):
        footer = '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
    else:
        footer = '"Page " counter(page) " of " counter(pages)'
    return (
        "@page {\n"
        f"  @top-left {{ content: {css_string(metadata.reference)}; }}\n"
        f"  @bottom-center {{ content: {footer}; }}\n"
        "}\n"
    )


def css_string(value: str) -> str:
    """Quote text as a CSS string literal; anything but plain printable characters is hex-escaped.

    CSS swallows one whitespace character after a hex escape, so each escape ends with a space.
    """
    escaped = "".join(
        char if char.isprintable() and char not in '"\\' else f"\\{ord(char):x} " for char in value
    )
    return f'"{escaped}"'


def extract_attachments(pdf_bytes: bytes) -> dict[str, bytes]:
    """Embedded files by name, exactly as stored (after stream decoding)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    files: dict[str, bytes] = {}
    for name, contents in reader.attachments.items():
        if len(contents) != 1:
            raise DossierRenderError(f"{len(contents)} embedded files are named {name!r}")
        files[name] = contents[0]
    return files


def extract_text(pdf_bytes: bytes) -> str:
    """The text of every page, pages separated by form feeds."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return "\f".join(page.extract_text() for page in reader.pages)


class LocalURLFetcher(URLFetcher):
    """Fetch ``data:`` URLs and files below the base URL's directory; refuse everything else.

    The default fetcher follows any URL, network included, with a 10 s timeout: a snapshot that
    slipped an ``<img src="http://…">`` past the template would stall or leak from the worker.
    """

    def __init__(self, base_url: str | None) -> None:
        super().__init__(allowed_protocols={"file", "data"}, timeout=5)
        self._root: Path | None = None
        if base_url is not None:
            parts = urlsplit(base_url)
            if parts.scheme not in ("", "file"):
                raise ValueError(f"base_url must be a local path or file: URL, not {base_url!r}")
            path = Path(url2pathname(parts.path) if parts.scheme == "file" else base_url)
            self._root = (path if base_url.endswith("/") or path.is_dir() else path.parent).resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if self._root is None or not path.is_relative_to(self._root):
                raise ValueError(f"Refusing to read {url}: outside the dossier's base directory")
        return super().fetch(url, headers)


def _check_attachments(attachments: Sequence[Attachment], pdf_variant: str | None) -> None:
    names = [attachment.filename for attachment in attachments]
    if len(set(names)) != len(names):
        raise DossierRenderError(f"Attachment file names must be unique: {names}")
    if attachments and pdf_variant and pdf_variant.startswith(_VARIANTS_WITHOUT_ATTACHMENTS):
        raise DossierRenderError(f"{pdf_variant} cannot carry the attachments; use a pdf/a-3 variant")


def _apply_metadata(target: Any, metadata: PdfMetadata) -> None:
    target.title = metadata.title
    target.authors = list(metadata.authors)
    target.description = metadata.subject or None
    target.keywords = list(metadata.keywords)
    target.generator = metadata.creator
    target.lang = metadata.lang
    target.created = _w3c_date(metadata.created)
    target.modified = _w3c_date(metadata.modified or metadata.created)


def _w3c_date(value: datetime) -> str:
    # The XMP and the Info dictionary both get this string; PDF/A requires them to agree.
    return value.replace(microsecond=0).isoformat()


def _utc_naive(value: datetime) -> datetime:
    # WeasyPrint formats embedded-file dates with strftime("...%SZ"), so they must already be UTC.
    return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)


class _Finisher:
    """Last touches on WeasyPrint's object tree before it is serialised (``write_pdf(finisher=…)``)."""

    def __init__(self, attachments: Sequence[Attachment]) -> None:
        self._by_name = {attachment.filename: attachment for attachment in attachments}

    def __call__(self, document: Any, pdf: Any) -> None:
        for pdf_object in pdf.objects:
            if isinstance(pdf_object, dict) and pdf_object.get("Type") == "/Filespec":
                self._describe_attachment(pdf, pdf_object)
        if "AF" in pdf.catalog:
            # WeasyPrint 70 lists every attachment twice in /AF (once from the name tree, once per
            # Filespec object).
            pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
        # pyHanko's signing update sets XMP pdf:Producer to "pyHanko x.y" but appends "; pyHanko x.y"
        # to an existing Info /Producer, and PDF/A wants the two equal. Without an Info /Producer it
        # writes the same value to both; the XMP still names WeasyPrint until then.
        pdf.info.pop("Producer", None)

    def _describe_attachment(self, pdf: Any, filespec: Any) -> None:
        attachment = self._by_name.get(filespec["UF"].string)
        if attachment is None or "EF" not in filespec:
            return
        # WeasyPrint writes /F as UTF-8 bytes, which readers decode as PDFDocEncoding; /UF is exact.
        filespec["F"] = pydyf.String(attachment.filename.encode("ascii", "replace").decode())
        filespec["AFRelationship"] = f"/{attachment.relationship}"
        stream = pdf.objects[int(filespec["EF"]["F"].split()[0])]
        stream.extra["Subtype"] = _pdf_name(attachment.mime_type)


def _pdf_name(value: str) -> str:
    # PDF names escape delimiters and anything outside printable ASCII as #xx (ISO 32000-1, 7.3.5).
    return "/" + re.sub(rb"[^!-~]|[#()<>\[\]{}/%]", lambda m: b"#%02x" % m[0][0], value.encode()).decode()
