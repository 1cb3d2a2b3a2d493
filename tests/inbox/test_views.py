"""What people see: the bell, the notifications page, the hand-off on the filing page, the task
inbox on each dashboard, and provisional due dates on the queue rows."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.services import mark_ready_for_signature
from filings.models import Filing
from inbox.models import Notification
from reviews import services
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["filingdesk_language"] = "en"  # the desk's default is zh-hans; tests that want it say so


def _assigned_note(submitted, reviewer, lead) -> Notification:
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    return Notification.objects.get(recipient=reviewer)


def test_the_bell_counts_unread_notifications_on_every_page(client, submitted, reviewer, lead):
    _assigned_note(submitted, reviewer, lead)
    client.force_login(reviewer)

    html = client.get("/review/").content.decode()

    assert 'data-testid="bell-count">1</span>' in html
    assert "Notifications: 1 unread" in html


def test_the_notifications_page_lists_labels_never_codes_and_links_to_the_target(
    client, submitted, reviewer, lead
):
    note = _assigned_note(submitted, reviewer, lead)
    client.force_login(reviewer)

    html = client.get("/notifications/").content.decode()

    assert f"You were assigned to review {submitted.reference}: declare any conflict of interest" in html
    assert f'href="{note.target}"' in html and ">Review assigned<" in html
    assert ">review_assigned<" not in html
    client.cookies["filingdesk_language"] = "zh-hans"
    chinese = client.get("/notifications/").content.decode()
    assert f"您被指派审核 {submitted.reference}：请申报利益冲突" in chinese


def test_mark_read_in_place_swaps_the_row_and_the_bell(client, submitted, reviewer, lead):
    note = _assigned_note(submitted, reviewer, lead)
    client.force_login(reviewer)

    response = client.post(f"/notifications/{note.pk}/read/", **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{note.pk}"' in html and 'data-testid="notification-read"' in html
    assert 'id="bell" data-testid="bell" hx-swap-oob="true"' in html  # the bell, swapped in place
    assert 'data-testid="bell-count"' not in html
    assert refresh_note(note).read_at is not None


def refresh_note(note: Notification) -> Notification:
    note.refresh_from_db()
    return note


def test_mark_all_read_without_javascript_returns_to_the_page(client, submitted, reviewer, lead):
    _assigned_note(submitted, reviewer, lead)
    client.force_login(reviewer)

    response = client.post("/notifications/read-all/", {"next": "/notifications/?show=unread"}, follow=True)

    assert response.redirect_chain == [("/notifications/?show=unread", 302)]
    html = response.content.decode()
    assert "1 notification marked read." in html and "No unread notifications." in html


def test_another_persons_notification_is_not_found_and_stays_unread(client, submitted, reviewer, lead):
    note = _assigned_note(submitted, reviewer, lead)
    client.force_login(lead)

    assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    assert client.get("/notifications/").content.decode().count('data-testid="notification"') == 0
    assert refresh_note(note).read_at is None


def test_mark_read_is_post_only(client, submitted, reviewer, lead):
    note = _assigned_note(submitted, reviewer, lead)
    client.force_login(reviewer)

    assert client.get(f"/notifications/{note.pk}/read/").status_code == 405
    assert refresh_note(note).read_at is None


def test_the_preparer_hands_over_from_the_filing_page_and_the_signatory_sees_it(
    client, ready_filing, preparer, signatory
):
    client.force_login(preparer)
    page = client.get(f"/filings/{ready_filing.reference}/").content.decode()
    assert 'data-testid="mark-ready"' in page and "Not yet handed to the signatories." in page

    response = client.post(
        f"/filings/{ready_filing.reference}/ready-for-signature/", {"note": "请签署"}, follow=True
    )

    html = response.content.decode()
    assert "The filing is marked ready for signature; its signatories have been told." in html
    assert 'data-testid="ready-for-signature"' in html and 'data-testid="mark-ready"' not in html
    client.force_login(signatory)
    dashboard = client.get("/").content.decode()
    assert 'data-testid="task-ready_for_signature"' in dashboard
    assert f"{ready_filing.reference} — {ready_filing.title}: sign and submit" in dashboard
    assert 'data-testid="bell-count">1</span>' in dashboard


def test_the_signatory_sees_the_state_but_no_hand_off_button(client, ready_filing, signatory):
    client.force_login(signatory)

    page = client.get(f"/filings/{ready_filing.reference}/").content.decode()

    assert "Not yet handed to the signatories." in page and 'data-testid="mark-ready"' not in page


def test_another_organisation_cannot_hand_over_a_filing(client, ready_filing, other_preparer):
    client.force_login(other_preparer)

    assert client.post(f"/filings/{ready_filing.reference}/ready-for-signature/").status_code == 404
    assert refresh(ready_filing).ready_for_signature_at is None


def test_a_gapped_filing_is_refused_with_a_translated_message(client, ready_filing, preparer):
    ready_filing.documents.filter(requirement__code="TRUE-SALE-OPINION").update(is_current=False)
    client.force_login(preparer)
    client.cookies["filingdesk_language"] = "zh-hans"

    url = f"/filings/{ready_filing.reference}/ready-for-signature/"
    html = client.post(url, follow=True).content.decode()

    assert "个阻断性问题：请打开预检查看并修正。" in html
    assert refresh(ready_filing).ready_for_signature_at is None


def test_each_dashboard_shows_its_task_inbox(client, under_review, reviewer, lead, admin_user, preparer):
    services.draft_deficiency_item(
        filing_id=under_review.pk,
        by=reviewer,
        question="请补充。",
        anchor_path="structure.spv_registration_no",
        citation="证监会公告〔2026〕1号",
    )
    request = services.send_supplement_request(filing_id=under_review.pk, by=reviewer)
    client.force_login(preparer)
    html = client.get("/").content.decode()
    assert f"{under_review.reference} — supplement request 1: 1 items to answer" in html
    assert 'data-testid="task-count-items_to_answer">1<' in html
    assert request.reply_due_date.strftime("%Y") in html

    client.force_login(admin_user)
    assert client.get("/").status_code == 200
    client.force_login(lead)
    assert 'data-testid="task-inbox"' in client.get("/").content.decode()


def test_a_reviewer_dashboard_lists_the_declaration_to_make(client, submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    client.force_login(reviewer)

    html = client.get("/").content.decode()

    assert f'href="/review/declarations/{assignment.pk}/" data-testid="declare-{submitted.reference}"' in html
    assert 'data-testid="task-count-declarations">1<' in html


@pytest.mark.parametrize(("year", "provisional"), [(2099, True), (2025, False)])
def test_queue_rows_mark_a_due_date_in_a_year_without_a_holiday_schedule(
    client, under_review, lead, year, provisional
):
    Filing.objects.filter(pk=under_review.pk).update(clock_due_date=dt.date(year, 3, 2))
    client.force_login(lead)

    html = client.get("/review/").content.decode()

    assert ('data-testid="due-provisional"' in html) is provisional


def test_the_admin_is_asked_to_load_a_missing_holiday_schedule(client, admin_user):
    from filings.deadlines import calendar_warning

    client.force_login(admin_user)
    html = client.get("/").content.decode()

    year = calendar_warning()
    if year is None:  # every year the desk needs is loaded: nothing to ask
        assert 'data-testid="task-calendar"' not in html
    else:
        assert f"Load the State Council holiday schedule for {year}" in html


def test_mark_ready_service_is_what_the_view_calls(ready_filing, preparer):
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer)
    assert refresh(ready_filing).ready_for_signature_by == preparer


def test_the_outbox_names_each_email_by_its_label(client, submitted, reviewer, lead):
    _assigned_note(submitted, reviewer, lead)
    client.force_login(reviewer)

    html = client.get("/review/outbox/").content.decode()

    assert "Review assigned" in html and "review_assigned" not in html


def test_the_lead_dashboard_marks_a_provisional_due_date_until_the_schedule_is_loaded(
    client, submitted, lead, admin_user
):
    from django.utils import timezone

    from filings.deadlines import provisional_years
    from filings.services import load_calendar_year

    next_year = timezone.localdate().year + 1
    Filing.objects.filter(pk=submitted.pk).update(clock_due_date=dt.date(next_year, 3, 2))
    client.force_login(lead)
    unassigned = 'data-testid="due-provisional"'

    unpublished = next_year in provisional_years({next_year})  # unless the package already has it
    before = client.get("/").content.decode()
    load_calendar_year(year=next_year, holidays=[dt.date(next_year, 1, 1)], working_days=[], by=admin_user)
    after = client.get("/").content.decode()

    assert (unassigned in before) is unpublished
    assert unassigned not in after
