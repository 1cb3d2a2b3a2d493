"""The pre-flight page, its CSV download, the waiver request form and the rule catalogue page."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from filings import services
from filings.models import Filing, Waiver
from filings.waivers import request_waiver

pytestmark = pytest.mark.django_db

RULE, FIELD = "CONS-CURRENCY", "token.settlement_currency"


@pytest.fixture
def warned_filing(gapped_filing, preparer):
    ready_filing = gapped_filing
    services.update_section(
        filing_id=ready_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=ready_filing.token.version,
        by=preparer,
    )
    return Filing.objects.get(pk=ready_filing.pk)


def test_the_page_groups_findings_by_section_with_citation_and_a_link_to_the_field(
    client, preparer, warned_filing
):
    client.force_login(preparer)

    body = client.get(reverse("filings:preflight", args=[warned_filing.reference])).content.decode()

    assert (
        body.index('id="preflight-structure"')
        < body.index('id="preflight-documents"')
        < body.index('id="preflight-assets"')
    )  # the gaps: a true-sale opinion missing (structure, documents) and no tape in force (assets)
    documents = reverse("filings:documents", args=[warned_filing.reference])
    assert f'href="{documents}#documents.TRUE-SALE-OPINION"' in body
    token = reverse("filings:section", args=[warned_filing.reference, "token"])
    assert f'href="{token}#field-settlement_currency"' in body  # the id the section page carries
    assert f"{reverse('filings:rule_catalogue')}#rule-ASSET-TAPE" in body
    assert "证监会公告〔2026〕1号" in body  # ASSET-TAPE's basis
    assert reverse("filings:preflight_csv", args=[warned_filing.reference]) in body


def test_only_the_signatory_sees_the_waiver_form_and_only_next_to_warnings(
    client, preparer, signatory, warned_filing
):
    url = reverse("filings:preflight", args=[warned_filing.reference])
    client.force_login(preparer)
    assert 'name="justification"' not in client.get(url).content.decode()

    client.force_login(signatory)
    body = client.get(url).content.decode()

    assert body.count('name="justification"') == 1
    assert f'data-testid="request-waiver-{RULE}"' in body


def test_the_signatory_requests_a_waiver_from_the_page(client, signatory, warned_filing):
    client.force_login(signatory)

    response = client.post(
        reverse("filings:waiver_request", args=[warned_filing.reference]),
        {"rule_code": RULE, "field": FIELD, "justification": "汇率风险由发起机构承担。"},
        follow=True,
    )

    waiver = Waiver.objects.get()
    assert (waiver.rule_code, waiver.field, waiver.status) == (RULE, FIELD, "pending")
    assert response.redirect_chain[-1][0].endswith(f"/preflight/#{FIELD}")
    body = response.content.decode()
    assert f'data-testid="waiver-{RULE}"' in body and f'data-testid="withdraw-{RULE}"' in body
    assert 'name="justification"' not in body  # pending: no second request


def test_a_refused_request_shows_why(client, signatory, warned_filing):
    client.force_login(signatory)
    client.cookies["filingdesk_language"] = "en"

    response = client.post(
        reverse("filings:waiver_request", args=[warned_filing.reference]),
        {"rule_code": "ASSET-TAPE", "field": "assets.tape", "justification": "x"},
        follow=True,
    )

    assert not Waiver.objects.exists()
    assert [str(m) for m in response.context["messages"]] == [
        "Blocking findings cannot be waived: fix the filing instead."
    ]


def test_the_signatory_withdraws_from_the_page(client, signatory, warned_filing, other_preparer):
    waiver = request_waiver(
        filing_id=warned_filing.pk, rule_code=RULE, field=FIELD, justification="j", by=signatory
    )
    url = reverse("filings:waiver_request", args=[warned_filing.reference])
    client.force_login(other_preparer)
    assert client.post(url, {"action": "withdraw", "waiver": waiver.pk}).status_code == 404

    client.force_login(signatory)
    client.post(url, {"action": "withdraw", "waiver": waiver.pk})

    assert not Waiver.objects.exists()


def test_the_csv_download_has_one_row_per_finding_in_both_languages(client, signatory, warned_filing):
    request_waiver(filing_id=warned_filing.pk, rule_code=RULE, field=FIELD, justification="j", by=signatory)
    client.force_login(signatory)

    response = client.get(reverse("filings:preflight_csv", args=[warned_filing.reference]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="{warned_filing.reference}-preflight.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    warning = next(r for r in rows if r["code"] == RULE)
    assert (warning["severity"], warning["field"], warning["waiver_status"], warning["confirmed"]) == (
        "warning",
        FIELD,
        "pending",
        "desk policy",  # CONS-CURRENCY cites the desk's own consistency check
    )
    assert warning["message_en"] == (
        "The token settles in HKD but the offering is in USD: explain the conversion "
        "and who bears the exchange risk."
    )
    assert {r["code"] for r in rows} >= {"ASSET-TAPE", "DOC-CHECKLIST", "RI-TRUE-SALE", RULE}


def test_the_csv_is_as_private_as_the_filing(client, other_preparer, warned_filing):
    client.force_login(other_preparer)

    assert client.get(reverse("filings:preflight_csv", args=[warned_filing.reference])).status_code == 404


def test_the_rule_catalogue_lists_each_rule_with_thresholds_and_citation(client, preparer):
    client.force_login(preparer)

    body = client.get(reverse("filings:rule_catalogue")).content.decode()

    assert (
        'id="rule-CONC-SINGLE"' in body and 'id="rule-G26-3"' in body and 'id="rule-TOKEN-STABLECOIN"' in body
    )
    assert "<code>pool.max_single_obligor_share</code> = 0.5" in body
    assert "<code>income_right.min_toll_months_after_legal_final</code> = 12" in body
    row = body[body.index('id="rule-TOKEN-STABLECOIN"') :]
    row = row[: row.index("</tr>")]
    assert "银发〔2026〕42号" in row and 'class="badge ok"' in row  # marked confirmed
    row = body[body.index('id="rule-TOKEN-LEDGER"') :]
    assert 'class="badge policy"' in row[: row.index("</tr>")]  # the desk's own policy, not "assumed"
    row = body[body.index('id="rule-G26-3"') :]
    row = row[: row.index("</tr>")]
    assert 'class="badge warn"' in row or 'class="badge ok"' in row
