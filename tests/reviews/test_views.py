"""The review screens through the test client: thin views over the services, scoped by selector."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from filings.models import RegulatorySetting
from filings.services import load_calendar_year, submit_filing
from filings.workflow import FilingState
from reviews import services
from reviews.models import Assignment, ChecklistAnswer, ChecklistTemplate, DeficiencyItem, TemplateStatus
from tests.reviews.helpers import answer_everything, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The assertions read English text; the Chinese catalogue is filled separately."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def test_the_reviewer_declares_from_the_queue_before_the_filing_opens(client, submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    client.force_login(reviewer)

    queue = client.get(url("queue")).content.decode()
    assert url("declaration", assignment.pk) in queue
    assert client.get(submitted.get_absolute_url()).status_code == 404
    declaration = client.get(url("declaration", assignment.pk)).content.decode()
    assert "Demo Trustee (HK) Limited" in declaration

    response = client.post(url("declaration", assignment.pk), {"conflict": "no"})

    assert response.url == url("workspace", submitted.reference)
    assert client.get(submitted.get_absolute_url()).status_code == 200


def test_a_conflict_declared_in_the_browser_closes_the_filing(client, submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    client.force_login(reviewer)

    client.post(url("declaration", assignment.pk), {"conflict": "yes", "note": "曾为受托人提供咨询"})

    assert Assignment.objects.get(pk=assignment.pk).conflict_declared
    assert client.get(url("workspace", submitted.reference)).status_code == 404
    client.force_login(lead)
    assert "曾为受托人提供咨询" in client.get(url("workspace", submitted.reference)).content.decode()


def test_the_lead_assigns_and_accepts_from_the_workspace(client, submitted, reviewer, lead):
    client.force_login(lead)

    client.post(url("assign", submitted.reference), {"reviewer": reviewer.pk})
    client.post(url("accept", submitted.reference))

    assert Assignment.objects.get().reviewer == reviewer
    assert refresh(submitted).state == FilingState.UNDER_REVIEW


def test_the_checklist_saves_an_answer_with_its_evidence(client, under_review, reviewer):
    client.force_login(reviewer)
    item = under_review.review_rounds.get().template.items.get(code="C-02")

    page = client.get(url("checklist", under_review.reference)).content.decode()
    assert "C-02" in page and "snapshot-paths" in page
    response = client.post(
        url("checklist", under_review.reference),
        {
            "item": item.pk,
            "verdict": "satisfied",
            "note": "SPV 已识别",
            "evidence_path": "structure.spv_name",
        },
    )

    assert response.status_code == 302
    answer = ChecklistAnswer.objects.get()
    assert (answer.item, answer.evidence_path) == (item, "structure.spv_name")
    assert "structure.spv_name" in client.get(url("checklist", under_review.reference)).content.decode()


def test_refused_evidence_becomes_a_message_not_an_error(client, under_review, reviewer):
    client.force_login(reviewer)
    item = under_review.review_rounds.get().template.items.get(code="C-02")

    response = client.post(
        url("checklist", under_review.reference),
        {"item": item.pk, "verdict": "satisfied", "evidence_path": "nope.nothing"},
        follow=True,
    )

    assert "is not a field of snapshot 1" in response.content.decode()
    assert not ChecklistAnswer.objects.exists()


def test_items_are_drafted_sent_answered_and_resubmitted_through_the_screens(
    client, under_review, reviewer, preparer, signatory
):
    client.force_login(reviewer)
    client.post(
        url("item_create", under_review.reference),
        {
            "question": "请提供 SPV 注册证书。",
            "anchor_path": "structure.spv_registration_no",
            "citation": "G26",
        },
    )
    item = DeficiencyItem.objects.get()
    response = client.post(url("request_send", under_review.reference), {"items": [item.pk]}, follow=True)
    assert "证监补正" in response.content.decode()

    client.force_login(preparer)
    assert (
        url("supplement", under_review.reference)
        in client.get(under_review.get_absolute_url()).content.decode()
    )
    assert "请提供 SPV 注册证书。" in client.get(url("supplement", under_review.reference)).content.decode()
    client.post(
        url("supplement_answer", under_review.reference, item.pk), {f"item{item.pk}-text": "已提供。"}
    )
    client.force_login(signatory)
    response = client.post(url("supplement_resubmit", under_review.reference))

    assert response.url == under_review.get_absolute_url()
    assert refresh(under_review).state == FilingState.UNDER_REVIEW
    client.force_login(reviewer)
    page = client.get(url("items", under_review.reference)).content.decode()
    assert "Answers to request 1" in page and "已提供。" in page


def test_the_lead_confirms_and_the_issuer_downloads_the_filing_notice(
    client, under_review, reviewer, lead, preparer, django_capture_on_commit_callbacks
):
    answer_everything(under_review, reviewer)
    client.force_login(reviewer)
    client.post(url("decision_draft", under_review.reference), {"kind": "file"})
    decision = under_review.decisions.get()
    client.force_login(lead)
    assert "confirm" in client.get(url("decision", under_review.reference)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("decision_act", under_review.reference, decision.pk, "confirm"))

    notice = refresh(under_review).notices.get(kind="filing")
    client.force_login(preparer)
    assert (
        url("notice_pdf", under_review.reference, notice.pk)
        in client.get(under_review.get_absolute_url()).content.decode()
    )
    response = client.get(url("notice_pdf", under_review.reference, notice.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_notice_of_another_issuer_does_not_exist(client, under_review, reviewer, lead, other_preparer):
    answer_everything(under_review, reviewer)
    decision = services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")
    notice = services.confirm_decision(decision_id=decision.pk, by=lead).notice
    client.force_login(other_preparer)

    assert client.get(url("notice", under_review.reference, notice.pk)).status_code == 404
    assert client.get(url("notice_pdf", under_review.reference, notice.pk)).status_code == 404


@pytest.mark.parametrize("who", ["preparer", "admin_user"])
def test_issuers_and_administrators_have_no_queue(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("queue")).status_code == 404


def test_the_lead_queue_filters_and_marks_unassigned(client, submitted, lead):
    client.force_login(lead)

    page = client.get(url("queue"), {"assignee": "none", "sort": "left"}).content.decode()

    assert submitted.reference in page and "Unassigned" in page
    assert submitted.reference not in client.get(url("queue"), {"state": "under_review"}).content.decode()


def test_the_outbox_page_shows_the_administrator_every_email(client, submitted, reviewer, lead, admin_user):
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    client.force_login(admin_user)
    assert "<td>Review assigned<br>" in client.get(url("outbox")).content.decode()  # its label, not its code
    client.force_login(lead)
    assert "<td>Review assigned<br>" not in client.get(url("outbox")).content.decode()


def test_an_administrator_edits_and_publishes_a_new_checklist_version(client, admin_user):
    client.force_login(admin_user)

    client.post(url("template_new"))
    draft = ChecklistTemplate.objects.get(status=TemplateStatus.DRAFT)
    client.post(
        url("template_detail", draft.pk),
        {
            "group": "data",
            "code": "G-03",
            "text_zh": "数据出境申报？",
            "text_en": "Data export declared?",
            "citation": "《数据出境安全评估办法》",
            "order": 999,
        },
    )
    client.post(url("template_publish", draft.pk), {"note": "新增 G-03"})

    draft.refresh_from_db()
    assert (draft.status, draft.items.filter(code="G-03").exists()) == (TemplateStatus.PUBLISHED, True)
    assert "G-03" in client.get(url("template_detail", draft.pk)).content.decode()


def test_reviewers_cannot_edit_checklists(client, reviewer):
    client.force_login(reviewer)

    assert client.get(url("template_list")).status_code == 404
    assert client.post(url("template_new")).status_code == 404


def test_every_review_page_renders_for_the_lead(client, under_review, lead, reviewer):
    services.draft_deficiency_item(
        filing_id=under_review.pk, by=reviewer, question="?", citation="G26", anchor_section="token"
    )
    client.force_login(lead)

    for name in ("workspace", "checklist", "items", "decision", "waivers"):
        assert client.get(url(name, under_review.reference)).status_code == 200, name
    assert client.get(under_review.get_absolute_url()).status_code == 200


def test_the_notice_page_shows_the_stored_text_in_both_languages(client, under_review, reviewer, preparer):
    services.draft_deficiency_item(
        filing_id=under_review.pk,
        by=reviewer,
        question="请补充智能合约审计报告。",
        citation="SFC 23EC52",
        anchor_section="documents",
    )
    notice = services.send_supplement_request(filing_id=under_review.pk, by=reviewer).notice
    client.force_login(preparer)

    page = client.get(url("notice", under_review.reference, notice.pk)).content.decode()

    assert notice.number in page and "1. 请补充智能合约审计报告。" in page
    assert 'data-testid="notice-text-zh"' in page and 'data-testid="notice-text-en"' in page


def test_a_lead_queue_row_names_each_reviewer_and_the_clock_that_runs(
    client, submitted, reviewer, second_reviewer, lead
):
    conflicted = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    services.declare_conflicts(assignment_id=conflicted.pk, by=reviewer, conflict=True, note="曾任顾问")
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=second_reviewer.pk, by=lead)
    client.force_login(lead)

    page = client.get(url("queue")).content.decode()

    row = page.split(f'data-reference="{submitted.reference}"')[1].split("</tr>")[0]
    reviewers, clocks = re.findall(r"<td>(.*?)</td>", row, re.S)[4:6]
    assert reviewers == (
        f'<s>{reviewer}</s> <span class="badge bad">conflict</span><br>'
        f'{second_reviewer} <span class="badge warn">declaration due</span><br>'
    )
    assert clocks == (
        '<span data-clock="completeness">Completeness check: 0 / 5</span>\n'
        '<span class="badge ok">5 working days left</span>'
    )


def test_a_queue_row_marks_a_due_date_in_a_year_without_a_holiday_schedule(
    client, ready_filing, signatory, lead, admin_user
):
    RegulatorySetting.objects.create(key="clock.completeness_working_days", value=30)  # into 2027
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    client.force_login(lead)

    def due_cell() -> str:
        page = client.get(url("queue")).content.decode()
        row = page.split(f'data-reference="{ready_filing.reference}"')[1].split("</tr>")[0]
        return re.findall(r"<td>(.*?)</td>", row, re.S)[6]

    before = due_cell()
    load_calendar_year(year=2027, holidays=[dt.date(2027, 1, 1)], working_days=[], by=admin_user)
    load_calendar_year(year=2028, holidays=[dt.date(2028, 1, 1)], working_days=[], by=admin_user)

    assert 'data-testid="due-provisional"' in before
    assert 'data-testid="due-provisional"' not in due_cell()
