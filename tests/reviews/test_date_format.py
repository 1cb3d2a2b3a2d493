"""One date format per language on every page: 2026年12月6日 in Chinese, 6 Dec 2026 in English."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")
CHINESE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
ENGLISH = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
US_STYLE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b")


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style|template)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def pages(filing) -> list[str]:
    return [
        reverse("filings:detail", args=[filing.reference]),
        reverse("filings:history", args=[filing.reference]),
        reverse("reviews:workspace", args=[filing.reference]),
        reverse("reviews:queue"),
    ]


@pytest.mark.parametrize(
    ("language", "expected", "other"), [("zh-hans", CHINESE, ENGLISH), ("en", ENGLISH, CHINESE)]
)
def test_every_date_on_the_reviewers_pages_reads_one_way(
    client, lead, admin_user, under_review, language, expected, other
):
    client.cookies["filingdesk_language"] = language
    dated = 0
    visits = [(lead, url) for url in pages(under_review)] + [(admin_user, reverse("audit:event_list"))]
    for person, url in visits:
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())

        assert ISO.findall(text) == [], url
        assert other.findall(text) == [], url
        assert US_STYLE.findall(text) == [], url
        dated += len(expected.findall(text))
    assert dated >= 5  # submitted, accepted, due dates and audit times are all on these pages


@pytest.mark.parametrize(
    ("language", "expected", "other"), [("zh-hans", CHINESE, ENGLISH), ("en", ENGLISH, CHINESE)]
)
def test_every_date_on_the_issuers_pages_reads_one_way(
    client, preparer, under_review, language, expected, other
):
    client.force_login(preparer)
    client.cookies["filingdesk_language"] = language
    reference = under_review.reference
    dated = 0
    for url in [
        "/",
        reverse("filings:detail", args=[reference]),
        reverse("filings:section", args=[reference, "entity"]),
        reverse("filings:section", args=[reference, "token"]),
        reverse("filings:documents", args=[reference]),
        reverse("filings:preflight", args=[reference]),
        reverse("filings:pool", args=[reference]),
        reverse("filings:history", args=[reference]),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())

        assert ISO.findall(text) == [], url
        assert other.findall(text) == [], url
        assert US_STYLE.findall(text) == [], url
        dated += len(expected.findall(text))
    assert dated >= 5
