"""The public register: a filed filing is listed for anyone, signed out, in both languages, as CSV and
Atom; drafts and withdrawn filings never are, and nothing but public fields is ever printed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from filings.services import create_filing, submit_filing, transition_filing
from filings.workflow import FilingState
from register.selectors import PUBLISHED_FIELDS, public_register_entries, public_register_entry

NUMBER = "证监备〔2026〕0042号"
FILED_AT = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
# What the filed filing holds but the public may not see (confidential, personal, or internal).
SECRETS = (
    "陈某",  # legal representative and director: personal information
    "补充营运资金",  # use of proceeds
    "ODI-2026-0001",  # FX approval reference
    "Demo ABS Token Issuer Limited",  # SPV
    "某省国有资本运营有限公司",  # controlling shareholder
    "Demo Securities (HK) Ltd",  # intermediary
    "FD-",  # receipt number
    "3/5 多签",  # token admin keys
)


@pytest.fixture
def filed_filing(ready_filing, signatory, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    transition_filing(
        filing_id=ready_filing.pk, name="decide_file", by=lead, data={"notice_number": NUMBER}, at=FILED_AT
    )
    ready_filing.refresh_from_db()
    return ready_filing


@pytest.fixture
def unlisted(preparer, signatory):
    """A draft and a withdrawn filing, with issuer names that must never show."""
    draft = create_filing(
        organisation=preparer.organisation, title="草稿项目", asset_class="toll_income", by=preparer
    )
    withdrawn = create_filing(
        organisation=preparer.organisation, title="撤回项目", asset_class="trade_receivable", by=preparer
    )
    transition_filing(
        filing_id=withdrawn.pk, name="withdraw", by=signatory, reason_code="plan_changed", reason="计划调整"
    )
    return draft, withdrawn


def test_register_reads_only_fields_classed_public():
    from filings.classification import is_public

    assert all(is_public(path) for path in PUBLISHED_FIELDS)
    assert not is_public("entity.legal_representative")
    assert not is_public("offering.use_of_proceeds")
    assert not is_public("a.field.nobody.classed")  # default deny


def test_selector_lists_filed_not_draft_or_withdrawn(filed_filing, unlisted):
    entries = public_register_entries()

    assert [(e.notice_number, e.issuer_zh, e.issuer_en, e.asset_class) for e in entries] == [
        (NUMBER, "甲发行人有限公司", "Issuer A Ltd", "toll_income")
    ]
    assert entries[0].filed_on == dt.date(2026, 11, 20)
    assert entries[0].venue_text == "HK: Demo Digital Exchange (HK)"


def test_signed_out_visitor_sees_filed_filing_in_chinese(client, filed_filing, unlisted):
    client.cookies["filingdesk_language"] = "zh-hans"
    response = client.get("/register/")

    assert response.status_code == 200
    page = response.content.decode()
    assert NUMBER in page
    assert "甲发行人有限公司" in page
    assert "收费公路收费收益权" in page  # the asset class, in Chinese
    assert "USD 100,000,000.00" in page
    assert "HK: Demo Digital Exchange (HK)" in page
    assert "2026年11月20日" in page  # the one date format of Chinese pages
    assert "草稿项目" not in page and "撤回项目" not in page
    for secret in SECRETS:
        assert secret not in page, secret


def test_language_switch_works_signed_out(client, filed_filing):
    client.cookies["filingdesk_language"] = "zh-hans"
    assert "公开登记" in client.get("/register/").content.decode()

    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/register/"})
    assert response.status_code == 302
    assert response["Location"] == "/register/"

    page = client.get("/register/").content.decode()

    assert "Public register of filed ABS-token issuances" in page
    assert "Issuer A Ltd" in page
    assert "Toll-road income rights" in page


def test_register_is_paginated(client, filed_filing):
    page = client.get("/register/?page=2").content.decode()  # past the end: the last page

    assert NUMBER in page


def test_csv_is_exact(client, filed_filing, unlisted):
    response = client.get("/register/register.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8") == (
        "\ufeffnotice_number,filed_on,issuer_zh,issuer_en,asset_class,amount,currency,venue\r\n"
        f"{NUMBER},2026-11-20,甲发行人有限公司,Issuer A Ltd,toll_income,100000000.00,USD,"
        "HK: Demo Digital Exchange (HK)\r\n"
    )


def test_atom_feed_is_exact(client, filed_filing, unlisted):
    client.cookies["filingdesk_language"] = "en"
    response = client.get("/register/feed.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.content)
    assert feed.findtext("a:title", namespaces=ns) == "Public register of filed ABS-token issuances"
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 1
    entry = entries[0]
    link = "http://testserver" + reverse("register:notice", args=[NUMBER])
    assert entry.findtext("a:title", namespaces=ns) == f"{NUMBER} Issuer A Ltd"
    assert entry.find("a:link", ns).get("href") == link
    assert entry.findtext("a:id", namespaces=ns) == link
    assert entry.findtext("a:updated", namespaces=ns) == "2026-11-20T10:00:00+08:00"
    assert entry.findtext("a:summary", namespaces=ns) == (
        "Issuer: Issuer A Ltd\n"
        "Asset class: Toll-road income rights\n"
        "Amount: USD 100000000.00\n"
        "Venue: HK: Demo Digital Exchange (HK)\n"
        "Date of filing: 20 Nov 2026"
    )
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, secret


def test_public_notice_prints_public_fields_only(client, filed_filing):
    url = reverse("register:notice", args=[NUMBER])
    page = client.get(url).content.decode()

    assert NUMBER in page and "甲发行人有限公司" in page and "2026年11月20日" in page
    assert filed_filing.receipt_number not in page
    assert filed_filing.snapshots.get().sha256 not in page
    for secret in SECRETS:
        assert secret not in page, secret


def test_public_notice_pdf_prints_public_fields_only(client, filed_filing):
    from filings.dossier.pdf import extract_text

    response = client.get(reverse("register:notice_pdf", args=[NUMBER]))

    assert response.status_code == 200
    text = extract_text(response.content)
    assert NUMBER in text and "Issuer A Ltd" in text
    assert "2026年11月20日" in text and "20 Nov 2026" in text  # each language's section, its date format
    assert filed_filing.receipt_number not in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_draft_and_withdrawn_have_no_public_notice(client, unlisted, filed_filing):
    draft, withdrawn = unlisted
    assert client.get(reverse("register:notice", args=["证监备〔2026〕9999号"])).status_code == 404
    for filing in (draft, withdrawn):
        assert filing.notice_number == ""


def test_lapsed_filing_leaves_the_register(client, filed_filing, lead):
    transition_filing(filing_id=filed_filing.pk, name="lapse", by=lead)

    assert public_register_entries() == []
    assert client.get(reverse("register:notice", args=[NUMBER])).status_code == 404


def test_every_page_links_to_the_register(client):
    page = client.get(reverse("accounts:login")).content.decode()

    assert 'href="/register/"' in page


def test_a_suspended_filing_is_not_listed(client, ready_filing, signatory, lead):
    from filings.pauses import pause_clock

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    pause_clock(
        filing_id=ready_filing.pk,
        kind="suspension",
        reason="涉嫌违法违规，暂停备案程序",
        started_on=dt.date.today(),
        by=lead,
    )
    ready_filing.refresh_from_db()
    assert ready_filing.state == "suspended"

    assert public_register_entries() == []
    assert "甲发行人有限公司" not in client.get("/register/").content.decode()
    assert "甲发行人有限公司" not in client.get("/register/register.csv").content.decode("utf-8")


def test_a_refiled_filing_and_its_new_draft_are_not_listed(client, filed_filing, signatory, lead):
    from filings.refiling import refile_filing

    transition_filing(filing_id=filed_filing.pk, name="lapse", by=lead)
    new = refile_filing(filing_id=filed_filing.pk, by=signatory)
    filed_filing.refresh_from_db()
    assert (filed_filing.state, filed_filing.notice_number, new.state) == ("refiled", NUMBER, "draft")

    assert public_register_entries() == []
    assert NUMBER not in client.get("/register/").content.decode()
    assert client.get(reverse("register:notice", args=[NUMBER])).status_code == 404
    assert NUMBER not in client.get("/register/feed.atom").content.decode()


# Every state but the three in which a filing stands: the register lists none of them, even if the
# filing carries a notice number (a refiled, lapsed or terminated one does).
UNLISTED_STATES = [state for state in FilingState.values if state not in ("filed", "issued", "closed")]


@pytest.mark.parametrize("state", UNLISTED_STATES)
def test_no_state_but_filed_issued_closed_is_listed_even_with_a_notice_number(client, filed_filing, state):
    from filings.models import Filing

    Filing.objects.filter(pk=filed_filing.pk).update(state=state)  # as if it had got there, number and all

    assert public_register_entries() == []
    assert public_register_entry(NUMBER) is None
    assert NUMBER not in client.get("/register/register.csv").content.decode("utf-8")
