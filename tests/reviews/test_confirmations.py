"""A summary page before every irreversible step; it works without JavaScript and changes nothing
until its own button is pressed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from filings.workflow import FilingState
from reviews import services
from reviews.models import DeficiencyItem, SupplementRequest
from tests.reviews.helpers import answer_everything, refresh

pytestmark = pytest.mark.django_db
REVIEW = {"_review": "1"}


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["filingdesk_language"] = "en"


def url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def _confirm_form(body):
    form = re.search(r'<form method="post" action="([^"]+)" class="actions">(.*?)</form>', body, re.S)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    hidden.pop("csrfmiddlewaretoken", None)
    return form.group(1), hidden


def test_accepting_shows_a_summary_first_and_acts_only_from_it(client, assigned, lead, reviewer):
    client.force_login(lead)

    page = client.post(url("accept", assigned.reference), REVIEW)

    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="confirm-page"' in body
    assert f"Accept {assigned.reference} as complete" in body
    assert "review clock of 20 working days starts" in body
    assert f"{reviewer} · no conflict declared" in body
    assert 'data-testid="confirm-go" autofocus' in body and 'data-testid="confirm-cancel"' in body
    assert refresh(assigned).state == FilingState.SUBMITTED

    action, fields = _confirm_form(body)
    client.post(action, fields)

    assert refresh(assigned).state == FilingState.UNDER_REVIEW


def test_the_summary_reads_in_chinese(client, assigned, lead):
    client.cookies["filingdesk_language"] = "zh-hans"
    client.force_login(lead)

    body = client.post(url("accept", assigned.reference), REVIEW).content.decode()

    assert "此步骤无法撤销。" in body and "受理：材料齐备" in body


def test_sending_a_request_lists_its_items_and_the_sections_it_reopens(client, under_review, reviewer):
    client.force_login(reviewer)
    item = services.draft_deficiency_item(
        filing_id=under_review.pk,
        by=reviewer,
        question="请提供 SPV 注册证书。",
        anchor_path="structure.spv_registration_no",
        citation="G26",
    )

    body = client.post(
        url("request_send", under_review.reference),
        {"items": [item.pk], "message": "请于期限内答复", **REVIEW},
    ).content.decode()

    assert "请提供 SPV 注册证书。 — structure.spv_registration_no (G26)" in body
    assert "Transaction structure" in body and "请于期限内答复" in body
    assert not SupplementRequest.objects.exists()
    action, fields = _confirm_form(body)
    assert fields == {"items": str(item.pk), "message": "请于期限内答复", "_confirmed": "1"}

    client.post(action, fields)

    assert refresh(under_review).state == FilingState.SUPPLEMENT_REQUESTED
    assert DeficiencyItem.objects.get().number == 1


def test_drafting_and_confirming_a_decision_each_show_their_summary(client, under_review, reviewer, lead):
    answer_everything(under_review, reviewer)
    client.force_login(reviewer)

    body = client.post(
        url("decision_draft", under_review.reference), {"kind": "file", **REVIEW}
    ).content.decode()

    assert "Send this decision to the lead reviewer?" in body and "File (issue the filing notice)" in body
    assert not under_review.decisions.exists()
    action, fields = _confirm_form(body)
    client.post(action, fields)
    decision = under_review.decisions.get()

    client.force_login(lead)
    body = client.post(
        url("decision_act", under_review.reference, decision.pk, "confirm"), REVIEW
    ).content.decode()

    assert f"Confirm the decision on {under_review.reference}?" in body and str(reviewer) in body
    assert refresh(under_review).state == FilingState.UNDER_REVIEW


def test_sign_and_submit_lists_the_open_warnings(client, ready_filing, signatory, settles_in_hkd):
    client.force_login(signatory)

    page = client.post(reverse("filings:transition", args=[ready_filing.reference, "submit"]), REVIEW)

    body = page.content.decode()
    assert f"Sign and submit {ready_filing.reference}" in body
    assert re.search(r'<ul data-testid="confirm-list"><li>CONS-CURRENCY: ', body)
    assert refresh(ready_filing).state == FilingState.DRAFT
    action, fields = _confirm_form(body)
    client.post(action, fields)
    assert refresh(ready_filing).state == FilingState.SUBMITTED
