"""Deficiency rounds: numbered items anchored and cited, answered item by item, carried across rounds."""

from __future__ import annotations

import pytest

from filings.errors import SectionLockedError
from filings.services import update_section
from filings.workflow import FilingState
from reviews import services
from reviews.errors import NotAllowedError, ReviewError
from reviews.models import ItemStatus, OutboxMessage, Ruling
from reviews.notifications import issuer_contacts
from reviews.selectors import issuer_items, item_changes, review_items
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db

QUESTIONS = [
    (
        "请说明特殊目的载体的注册编号并提供注册证书。",
        "structure.spv_registration_no",
        "证监会公告〔2026〕1号·代币发行方案",
    ),
    ("请说明募集资金调回境内的路径及比例。", "offering.repatriation_plan", "银发〔2026〕42号"),
    ("请补充控股股东的统一社会信用代码。", "control_links", "监管规则适用指引—境外发行上市类第2号"),
]


def _three_items(filing, reviewer):
    return [
        services.draft_deficiency_item(
            filing_id=filing.pk, by=reviewer, question=q, anchor_path=path, citation=c
        )
        for q, path, c in QUESTIONS
    ]


def test_a_request_numbers_its_items_reopens_their_sections_and_stops_the_clock(
    under_review, reviewer, signatory, preparer
):
    items = _three_items(under_review, reviewer)
    assert [i.number for i in items] == [None, None, None]  # drafts get numbers when sent

    request = services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    filing = refresh(under_review)
    assert filing.state == FilingState.SUPPLEMENT_REQUESTED
    assert filing.reopened_sections == ["entity", "structure", "offering"]
    assert [(i.number, i.status, i.anchor_section) for i in filing.deficiency_items.order_by("number")] == [
        (1, "open", "structure"),
        (2, "open", "offering"),
        (3, "open", "entity"),
    ]
    notice = request.notice
    assert notice.number == f"证监补正〔{notice.issued_at.year}〕{filing.pk:04d}-1号"
    for number, (question, path, citation) in enumerate(QUESTIONS, start=1):
        assert f"{number}. {question}" in notice.text_en
        assert path in notice.text_en and citation in notice.text_zh
    assert {m.recipient for m in OutboxMessage.objects.filter(event="supplement_requested")} == {
        signatory,
        preparer,
    }


def test_the_issuer_may_edit_only_the_reopened_sections(under_review, reviewer, preparer):
    services.draft_deficiency_item(
        filing_id=under_review.pk,
        by=reviewer,
        question="SPV?",
        citation="G26",
        anchor_path="structure.spv_registration_no",
    )
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    filing = refresh(under_review)

    update_section(
        filing_id=filing.pk,
        section="structure",
        fields={"spv_registration_no": "3210988"},
        rows={},
        expected_version=filing.structure.version,
        by=preparer,
    )
    with pytest.raises(SectionLockedError):
        update_section(
            filing_id=filing.pk,
            section="token",
            fields={"network": "Other"},
            rows={},
            expected_version=filing.token.version,
            by=preparer,
        )

    assert refresh(filing).token.network == "Demo Permissioned Ledger"


def test_the_full_round_trip_carries_item_status_and_shows_what_changed_per_item(
    under_review, reviewer, signatory, preparer
):
    """Three items; the issuer answers two and resubmits; the reviewer accepts them, reopens the third,
    which the issuer answers in a second request."""
    first, second, third = _three_items(under_review, reviewer)
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    filing = refresh(under_review)

    # The issuer fixes the SPV registration number and answers items 1 and 2.
    update_section(
        filing_id=filing.pk,
        section="structure",
        fields={"spv_registration_no": "HK-3210988"},
        rows={},
        expected_version=filing.structure.version,
        by=preparer,
    )
    update_section(
        filing_id=filing.pk,
        section="offering",
        fields={"repatriation_plan": "经 ODI 路径全额调回"},
        rows={},
        expected_version=filing.offering.version,
        by=preparer,
    )
    services.answer_deficiency_item(item_id=first.pk, by=preparer, text="已更正注册编号，见结构部分。")
    services.answer_deficiency_item(item_id=second.pk, by=preparer, text="调回比例 100%。")
    assert issuer_items(filing)["answered"] == 2

    services.resubmit_answers(filing_id=filing.pk, by=signatory)

    filing = refresh(filing)
    assert (filing.state, filing.reopened_sections, filing.snapshots.count()) == (
        FilingState.UNDER_REVIEW,
        [],
        2,
    )
    assert [r.number for r in filing.review_rounds.order_by("number")] == [1, 2]
    request = filing.supplement_requests.get()
    assert (
        request.resubmitted_snapshot.version,
        request.responses.filter(submitted_in__version=2).count(),
    ) == (2, 2)
    assert {m.recipient for m in OutboxMessage.objects.filter(event="resubmitted")} == {reviewer}

    # What changed, per item: only the fields under each anchor.
    assert item_changes(refresh_item(first), request) == [
        ("structure.spv_registration_no", "3210987", "HK-3210988")
    ]
    assert item_changes(refresh_item(second), request) == [
        ("offering.repatriation_plan", "募集资金经 ODI 路径按计划调回境内", "经 ODI 路径全额调回")
    ]
    assert item_changes(refresh_item(third), request) == []
    view = review_items(filing)
    assert {path for path, _a, _b in view["whole_diff"]} >= {
        "structure.spv_registration_no",
        "offering.repatriation_plan",
    }

    services.rule_on_item(item_id=first.pk, by=reviewer, ruling=Ruling.ACCEPTED)
    services.rule_on_item(item_id=second.pk, by=reviewer, ruling=Ruling.ACCEPTED)
    services.rule_on_item(
        item_id=third.pk, by=reviewer, ruling=Ruling.REOPENED, note="仍未提供统一社会信用代码。"
    )
    assert [i.status for i in filing.deficiency_items.order_by("number")] == [
        "accepted",
        "accepted",
        "reopened",
    ]

    second_request = services.send_supplement_request(filing_id=filing.pk, by=reviewer)

    assert [ri.item.number for ri in second_request.request_items.all()] == [3]
    assert second_request.reopened_sections == ["entity"]
    assert "仍未提供统一社会信用代码。" in second_request.notice.text_zh
    services.answer_deficiency_item(item_id=third.pk, by=preparer, text="已补充，见控制链。")
    services.resubmit_answers(filing_id=filing.pk, by=signatory)
    services.rule_on_item(item_id=third.pk, by=reviewer, ruling=Ruling.ACCEPTED)

    assert [i.status for i in refresh(filing).deficiency_items.order_by("number")] == ["accepted"] * 3
    assert [
        (r.request.number, r.ruling) for r in refresh_item(third).responses.order_by("request__number")
    ] == [(2, "accepted")]


def refresh_item(item):
    return type(item).objects.get(pk=item.pk)


def test_a_notice_stays_as_issued_when_the_items_change_later(under_review, reviewer, preparer, signatory):
    [item, *_rest] = _three_items(under_review, reviewer)
    request = services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    text, digest = request.notice.text_zh, request.notice.text_sha256

    services.answer_deficiency_item(item_id=item.pk, by=preparer, text="答复")
    services.resubmit_answers(filing_id=under_review.pk, by=signatory)
    services.rule_on_item(item_id=item.pk, by=reviewer, ruling=Ruling.REOPENED, note="补充说明")

    request.notice.refresh_from_db()
    assert (request.notice.text_zh, request.notice.text_sha256) == (text, digest)


def test_only_the_issuer_answers_and_only_the_signatory_resubmits(
    under_review, reviewer, preparer, other_preparer
):
    [item, *_rest] = _three_items(under_review, reviewer)
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    with pytest.raises(NotAllowedError):
        services.answer_deficiency_item(item_id=item.pk, by=other_preparer, text="x")
    with pytest.raises(NotAllowedError):
        services.answer_deficiency_item(item_id=item.pk, by=reviewer, text="x")
    with pytest.raises(NotAllowedError):
        services.resubmit_answers(filing_id=under_review.pk, by=preparer)

    assert (refresh_item(item).status, refresh(under_review).state) == (
        ItemStatus.OPEN,
        "supplement_requested",
    )
    assert set(issuer_contacts(under_review)) == {
        preparer,
        *type(preparer).objects.filter(username="signatory"),
    }


def test_accepting_needs_an_answer_and_reopening_a_reason(under_review, reviewer, signatory):
    [item, *_rest] = _three_items(under_review, reviewer)
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    services.resubmit_answers(filing_id=under_review.pk, by=signatory)  # nothing answered

    with pytest.raises(ReviewError, match="Only an answered item"):
        services.rule_on_item(item_id=item.pk, by=reviewer, ruling=Ruling.ACCEPTED)
    with pytest.raises(ReviewError, match="Say what is still missing"):
        services.rule_on_item(item_id=item.pk, by=reviewer, ruling=Ruling.REOPENED)

    assert refresh_item(item).status == ItemStatus.OPEN


def test_an_anchor_must_exist_in_the_snapshot(under_review, reviewer):
    with pytest.raises(ReviewError, match="is not a field"):
        services.draft_deficiency_item(
            filing_id=under_review.pk,
            by=reviewer,
            question="?",
            citation="G26",
            anchor_path="structure.no_such_field",
        )

    assert not under_review.deficiency_items.exists()


def test_discarding_a_draft_leaves_no_gap_in_the_numbers(under_review, reviewer):
    first, second, third = _three_items(under_review, reviewer)
    services.discard_draft_item(item_id=second.pk, by=reviewer)

    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    assert [(i.pk, i.number) for i in under_review.deficiency_items.order_by("number")] == [
        (first.pk, 1),
        (third.pk, 2),
    ]


def test_a_resubmission_from_the_filing_page_is_taken_in_as_well(under_review, reviewer, preparer, signatory):
    """The filing page's own resubmit button bypasses the review screens; the next review read (or
    the periodic task) opens the round and tells the reviewers all the same."""
    from filings.services import resubmit_filing

    [item, *_rest] = _three_items(under_review, reviewer)
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    services.answer_deficiency_item(item_id=item.pk, by=preparer, text="答复")
    resubmit_filing(filing_id=under_review.pk, by=signatory)

    assert services.sync_review_rounds() == [under_review.reference]
    assert services.sync_review_rounds() == []
    request = refresh(under_review).supplement_requests.get()
    assert (request.resubmitted_snapshot.version, refresh(under_review).review_rounds.count()) == (2, 2)
    assert {m.recipient for m in OutboxMessage.objects.filter(event="resubmitted")} == {reviewer}
