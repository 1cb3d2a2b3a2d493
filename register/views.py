"""Public pages of the register: the list, its CSV, the Atom feed and the public copy of each notice.

No view here needs a signed-in user, and none reads anything but ``register.selectors``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy

from .selectors import RegisterEntry, public_register_entries, public_register_entry

PER_PAGE = 25
FEED_SIZE = 50
CSV_COLUMNS = [
    "notice_number",
    "filed_on",
    "issuer_zh",
    "issuer_en",
    "asset_class",
    "amount",
    "currency",
    "venue",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_register_entries(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "register/list.html", {"page": page})


def _cell(value: Any) -> str:
    """Issuer text must stay text in a spreadsheet: a leading = + - @ would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def register_csv(request: HttpRequest) -> HttpResponse:
    """The whole register, UTF-8 with a byte-order mark so Excel reads the Chinese names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in public_register_entries():
        writer.writerow(
            [
                _cell(value)
                for value in (
                    entry.notice_number,
                    entry.filed_on.isoformat(),
                    entry.issuer_zh,
                    entry.issuer_en,
                    entry.asset_class,
                    "" if entry.amount is None else f"{entry.amount:.2f}",
                    entry.currency,
                    entry.venue_text,
                )
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="filing-register.csv"'
    return response


def notice_url(entry: RegisterEntry) -> str:
    return reverse("register:notice", args=[entry.notice_number])


def _entry_or_404(number: str) -> RegisterEntry:
    entry = public_register_entry(number)
    if entry is None:
        raise Http404
    return entry


def notice(request: HttpRequest, number: str) -> HttpResponse:
    """The public copy of the filing notice: public fields only (no receipt number, no snapshot)."""
    return render(request, "register/notice.html", {"entry": _entry_or_404(number)})


def notice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The public copy as PDF, both languages. Cached: an anonymous URL must not cost a render each hit."""
    entry = _entry_or_404(number)
    key = f"register:notice-pdf:{entry.notice_number}:{entry.filed_at.isoformat()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = _render_notice_pdf(entry)
        cache.set(key, pdf, 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="filing-notice-public.pdf"'
    return response


def _render_notice_pdf(entry: RegisterEntry) -> bytes:
    from filings.dossier.pdf import PdfMetadata, render_pdf

    sections = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            sections.append(
                render_to_string("register/_notice_body.html", {"entry": entry, "language": language})
            )
    html = render_to_string("register/notice_print.html", {"entry": entry, "sections": sections})
    return render_pdf(
        html,
        base_url=None,
        attachments=[],
        metadata=PdfMetadata(
            title=entry.notice_number,
            reference=entry.notice_number,
            created=entry.filed_at,
            subject="Filing notice (public copy)",
            keywords=(entry.notice_number,),
            authors=("CSRC Filing Desk",),
        ),
    )


class RegisterFeed(Feed):
    """Atom feed of the newest filings, in the reader's language."""

    feed_type = Atom1Feed
    title = gettext_lazy("Public register of filed ABS-token issuances")
    subtitle = gettext_lazy("Offshore asset-backed security token issuances filed with the CSRC.")

    def link(self) -> str:
        return reverse("register:list")

    def items(self) -> list[RegisterEntry]:
        return public_register_entries()[:FEED_SIZE]

    def item_title(self, item: RegisterEntry) -> str:
        return (
            f"{item.notice_number} {item.issuer_zh if _is_chinese() else (item.issuer_en or item.issuer_zh)}"
        )

    def item_description(self, item: RegisterEntry) -> str:
        return render_to_string("register/_feed_item.txt", {"entry": item}).strip()

    def item_link(self, item: RegisterEntry) -> str:
        return notice_url(item)

    def item_pubdate(self, item: RegisterEntry) -> dt.datetime:
        return timezone.localtime(item.filed_at)  # Beijing time, as the notice is dated

    def item_updateddate(self, item: RegisterEntry) -> dt.datetime:
        return timezone.localtime(item.filed_at)


def _is_chinese() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")
