"""The checklist as one page: answers saved in place, errors beside the item, nothing typed lost,
requirements shown up front, an evidence picker of the snapshot's real contents, bulk answers, and
the checklist following an accepted deficiency answer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import ChecklistAnswer, Ruling, Verdict

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["filingdesk_language"] = "en"


def _url(name, filing):
    return reverse(f"reviews:{name}", args=[filing.reference])


def _item(filing, code):
    return filing.review_rounds.get().template.items.get(code=code)


def test_an_answer_saved_with_htmx_returns_only_its_row_and_the_progress(client, under_review, reviewer):
    client.force_login(reviewer)
    item = _item(under_review, "C-02")

    response = client.post(
        _url("checklist", under_review),
        {
            "item": item.pk,
            "verdict": "satisfied",
            "note": "SPV 已识别",
            "evidence_path": "structure.spv_name",
        },
        **HX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert 'data-testid="saved-C-02"' in body
    assert 'id="checklist-progress"' in body and 'hx-swap-oob="true"' in body
    assert ChecklistAnswer.objects.get().evidence_path == "structure.spv_name"


def test_a_refused_answer_comes_back_beside_its_item_with_everything_typed(client, under_review, reviewer):
    client.force_login(reviewer)
    item = _item(under_review, "C-02")
    typed = {
        "item": item.pk,
        "verdict": "satisfied",
        "note": "我写了很长的说明",
        "evidence_path": "nope.nothing",
    }

    htmx = client.post(_url("checklist", under_review), typed, **HX).content.decode()
    plain = client.post(_url("checklist", under_review), typed)

    for body in (htmx, plain.content.decode()):
        row = re.search(rf'<tr id="item-{item.pk}".*?</tr>', body, re.S).group(0)
        assert 'data-testid="error-C-02"' in row and "is not a field of snapshot 1" in row
        assert "我写了很长的说明" in row
        assert 'value="nope.nothing"' in row
        assert 'value="satisfied" required checked' in row
        assert "<details open>" in row
    assert plain.status_code == 400
    assert not ChecklistAnswer.objects.exists()


def test_what_each_verdict_needs_is_shown_before_anything_is_missing(client, under_review, reviewer):
    client.force_login(reviewer)

    page = client.get(_url("checklist", under_review)).content.decode()

    assert 'data-testid="needs-satisfied">(needs evidence)' in page
    assert 'data-testid="needs-deficient">(needs evidence and a note)' in page
    assert 'data-testid="needs-not_applicable">(needs a note)' in page


def test_the_evidence_picker_offers_the_snapshots_fields_documents_and_findings(
    client, under_review, reviewer
):
    from reviews.forms import finding_choices
    from reviews.selectors import snapshot_documents

    client.force_login(reviewer)
    snapshot = under_review.review_rounds.get().snapshot
    spv_name = snapshot.data["structure"]["spv_name"]

    page = client.get(_url("checklist", under_review)).content.decode()

    assert f'<option value="structure.spv_name" label="{spv_name}">' in page
    documents = snapshot_documents(under_review, snapshot)
    assert documents
    for document in documents:
        assert f'<option value="{document.pk}">{document.requirement.code} · ' in page
    findings = [
        {"code": "R-1", "field": "entity.uscc"},
        {"code": "R-1", "field": "structure.accounts"},
        {"code": "R-2", "field": ""},
    ]
    assert finding_choices(findings) == [
        ("", "—"),
        ("R-1", "R-1 (2) · entity.uscc, structure.accounts"),
        ("R-2", "R-2"),
    ]


def test_several_items_are_marked_satisfied_on_shared_evidence(client, under_review, reviewer):
    client.force_login(reviewer)
    items = [_item(under_review, code) for code in ("C-01", "C-02", "C-03")]

    response = client.post(
        _url("checklist_bulk", under_review),
        {"items": [i.pk for i in items], "note": "同一份材料", "evidence_path": "structure.spv_name"},
        **HX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="bulk-done"' in body
    for item in items:
        assert f'<tr id="item-{item.pk}" data-code="{item.code}" hx-swap-oob="true">' in body
    answers = ChecklistAnswer.objects.order_by("item__code")
    assert [(a.item.code, a.verdict, a.evidence_path, a.note) for a in answers] == [
        (i.code, Verdict.SATISFIED, "structure.spv_name", "同一份材料") for i in items
    ]


def test_a_bulk_answer_one_item_cannot_take_changes_nothing_and_keeps_the_input(
    client, under_review, reviewer
):
    client.force_login(reviewer)
    items = [_item(under_review, code) for code in ("C-01", "C-02")]

    response = client.post(
        _url("checklist_bulk", under_review),
        {"items": [i.pk for i in items], "note": "共用说明", "evidence_path": "nope"},
        **HX,
    )

    body = response.content.decode()
    assert 'data-testid="bulk-error"' in body and "共用说明" in body and 'value="nope"' in body
    assert not ChecklistAnswer.objects.exists()


def test_accepting_a_deficiency_answer_satisfies_the_checklist_item_it_came_from(
    under_review, reviewer, preparer, signatory
):
    from filings.services import update_section
    from tests.reviews.helpers import refresh

    item = _item(under_review, "C-02")
    services.answer_checklist_item(
        filing_id=under_review.pk,
        item_id=item.pk,
        verdict=Verdict.DEFICIENT,
        note="注册编号缺失",
        evidence_path="structure.spv_name",
        by=reviewer,
    )
    deficiency = services.draft_deficiency_item(
        filing_id=under_review.pk,
        by=reviewer,
        question="请说明特殊目的载体的注册编号。",
        anchor_path="structure.spv_registration_no",
        citation="证监会公告〔2026〕1号",
        checklist_item_id=item.pk,
    )
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    filing = refresh(under_review)
    update_section(
        filing_id=filing.pk,
        section="structure",
        fields={"spv_registration_no": "HK-1234567"},
        rows={},
        expected_version=filing.structure.version,
        by=preparer,
    )
    services.answer_deficiency_item(item_id=deficiency.pk, by=preparer, text="已补充注册编号。")
    services.resubmit_answers(filing_id=filing.pk, by=signatory)

    services.rule_on_item(item_id=deficiency.pk, by=reviewer, ruling=Ruling.ACCEPTED)

    round_2 = refresh(filing).review_rounds.get(number=2)
    answer = round_2.answers.get(item__code="C-02")
    assert (answer.verdict, answer.evidence_path, answer.carried_from) == (
        Verdict.SATISFIED,
        "structure.spv_registration_no",
        None,
    )
    assert "1" in answer.note and answer.answered_by == reviewer
