"""Checklists: versioned, frozen per round, and every answer points at its evidence."""

from __future__ import annotations

import pytest

from audit.models import Event
from reviews import services
from reviews.errors import EvidenceError, NotAllowedError, ReviewError
from reviews.models import (
    ChecklistAnswer,
    ChecklistGroup,
    ChecklistItem,
    ChecklistTemplate,
    TemplateStatus,
    Verdict,
)
from reviews.selectors import applicable_items, checklist_progress, current_template

pytestmark = pytest.mark.django_db


def _item(filing, code):
    return filing.review_rounds.get().template.items.get(code=code)


def test_the_seeded_checklist_covers_the_seven_groups_with_citations():
    template = current_template()
    items = list(template.items.all())

    assert (template.version, template.status) == (1, TemplateStatus.PUBLISHED)
    assert {i.group for i in items} == set(ChecklistGroup.values)
    assert all(i.citation and i.text_zh and i.text_en for i in items)
    assert ChecklistItem.objects.get(template=template, code="B-04").asset_classes == ["toll_income"]


def test_only_items_of_the_filing_s_asset_class_apply(under_review):
    codes = {i.code for i in applicable_items(under_review.review_rounds.get())}

    assert {"B-04", "B-05", "B-08"} <= codes  # toll approvals, toll history, registry search
    assert not codes & {"B-01", "B-06"}  # trade-receivable and lease items


def test_an_answer_links_a_document_page_a_field_and_a_finding(
    settles_in_hkd, under_review, reviewer, opinion_document
):
    finding = settles_in_hkd

    answer = services.answer_checklist_item(
        filing_id=under_review.pk,
        item_id=_item(under_review, "D-01").pk,
        verdict=Verdict.SATISFIED,
        note="真实出售意见结论明确",
        evidence_document_id=opinion_document.pk,
        evidence_page=3,
        evidence_path="structure.spv_orphan",
        evidence_finding=finding,
        by=reviewer,
    )

    assert (
        answer.evidence_document,
        answer.evidence_page,
        answer.evidence_path,
        answer.evidence_finding,
    ) == (opinion_document, 3, "structure.spv_orphan", finding)
    event = Event.objects.get(action="checklist.answer")
    assert (event.data["item"], event.data["verdict"], event.data["page"]) == ("D-01", "satisfied", 3)


REFUSED_EVIDENCE = [
    ({}, "Link the evidence"),
    ({"evidence_path": "structure.no_such_field"}, "is not a field of snapshot 1"),
    ({"evidence_finding": "NO-SUCH-RULE"}, "is not reported in snapshot 1"),
    ({"evidence_path": "structure.spv_name", "evidence_page": 2}, "A page number needs a document"),
]


def test_an_answer_without_real_evidence_is_refused(under_review, reviewer):
    item = _item(under_review, "C-02")
    for evidence, message in REFUSED_EVIDENCE:
        with pytest.raises(EvidenceError, match=message):
            services.answer_checklist_item(
                filing_id=under_review.pk, item_id=item.pk, verdict=Verdict.SATISFIED, by=reviewer, **evidence
            )

    assert not ChecklistAnswer.objects.exists()


def test_not_applicable_needs_a_reason_and_deficient_a_description(under_review, reviewer):
    item = _item(under_review, "C-02")
    for verdict in (Verdict.NOT_APPLICABLE, Verdict.DEFICIENT):
        with pytest.raises(EvidenceError):
            services.answer_checklist_item(
                filing_id=under_review.pk,
                item_id=item.pk,
                verdict=verdict,
                evidence_path="structure.spv_name",
                by=reviewer,
            )

    services.answer_checklist_item(
        filing_id=under_review.pk,
        item_id=item.pk,
        verdict=Verdict.NOT_APPLICABLE,
        note="孤儿结构，不适用",
        by=reviewer,
    )
    assert ChecklistAnswer.objects.get().verdict == Verdict.NOT_APPLICABLE


def test_a_reviewer_not_cleared_on_the_filing_cannot_answer(under_review, second_reviewer):
    with pytest.raises(NotAllowedError):
        services.answer_checklist_item(
            filing_id=under_review.pk,
            item_id=_item(under_review, "C-02").pk,
            verdict=Verdict.SATISFIED,
            evidence_path="structure.spv_name",
            by=second_reviewer,
        )

    assert not ChecklistAnswer.objects.exists()


def test_a_new_version_does_not_change_an_open_round(under_review, admin_user):
    draft = services.create_template_draft(by=admin_user)
    services.save_template_item(
        template_id=draft.pk,
        by=admin_user,
        fields={
            "group": "data",
            "code": "G-03",
            "text_zh": "是否完成数据出境申报？",
            "text_en": "Was the data export declared?",
            "citation": "《数据出境安全评估办法》",
            "asset_classes": [],
            "order": 999,
        },
    )
    services.publish_template(template_id=draft.pk, by=admin_user, note="新增 G-03")

    round_ = under_review.review_rounds.get()
    assert (round_.template.version, current_template().version) == (1, 2)
    assert not round_.template.items.filter(code="G-03").exists()
    assert ChecklistTemplate.objects.get(version=1).status == TemplateStatus.SUPERSEDED


def test_published_versions_cannot_be_edited_and_only_administrators_edit(admin_user, lead):
    with pytest.raises(ReviewError, match="published"):
        services.save_template_item(
            template_id=current_template().pk,
            by=admin_user,
            fields={
                "group": "data",
                "code": "X",
                "text_zh": "x",
                "text_en": "x",
                "citation": "x",
                "asset_classes": [],
                "order": 1,
            },
        )
    with pytest.raises(NotAllowedError):
        services.create_template_draft(by=lead)

    assert ChecklistTemplate.objects.count() == 1


def test_progress_counts_answered_and_deficient_items(under_review, reviewer):
    services.answer_checklist_item(
        filing_id=under_review.pk,
        item_id=_item(under_review, "C-02").pk,
        verdict=Verdict.DEFICIENT,
        note="SPV 注册号缺失",
        evidence_path="structure.spv_registration_no",
        by=reviewer,
    )

    progress = checklist_progress(under_review.review_rounds.get())
    assert (progress["answered"], progress["deficient"], progress["total"]) == (
        1,
        1,
        len(applicable_items(under_review.review_rounds.get())),
    )
