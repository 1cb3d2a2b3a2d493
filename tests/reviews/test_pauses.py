"""Pauses of the clock during review (meetings, consultations) and suspension, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.labels import action_label
from audit.selectors import events_for_filing
from filings.calendar import local_date
from filings.deadlines import CLOCK_FIELDS, clock_columns, clocks_for_filings
from filings.errors import TransitionRefusedError
from filings.models import ClockPause, Filing
from filings.pauses import end_pause, pause_clock
from filings.services import transition_filing
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db


def _stored_matches_log(filing: Filing) -> bool:
    now = timezone.now()
    derived = clock_columns(clocks_for_filings([filing], now=now)[filing.pk], local_date(now))
    return {name: getattr(filing, name) for name in CLOCK_FIELDS} == derived


def test_an_assigned_reviewer_pauses_the_review_for_a_consultation(under_review, reviewer):
    today = timezone.localdate()

    pause = pause_clock(
        filing_id=under_review.pk,
        kind="consultation",
        reason="征求国家发展改革委意见",
        started_on=today,
        by=reviewer,
    )

    filing = refresh(under_review)
    assert filing.state == "review_paused"
    assert (filing.clock_phase, filing.clock_status, filing.clock_paused) == ("review", "paused", True)
    assert _stored_matches_log(filing)
    assert (pause.kind, pause.return_state, pause.ended_at) == ("consultation", "under_review", None)
    event = events_for_filing(filing.pk).order_by("-sequence").first()
    assert event.action == "filing.pause_review"
    assert event.data["reason"] == "征求国家发展改革委意见"
    assert action_label(event.action) == "Filing: review paused"


def test_resuming_returns_to_review_and_closes_the_pause(under_review, reviewer):
    today = timezone.localdate()
    pause_clock(filing_id=under_review.pk, kind="meeting", reason="沟通会", started_on=today, by=reviewer)

    pause = end_pause(filing_id=under_review.pk, ended_on=today, by=reviewer, note="会议结束")

    filing = refresh(under_review)
    assert filing.state == "under_review"
    assert (filing.clock_status, filing.clock_paused) == ("running", False)
    assert _stored_matches_log(filing)
    assert (pause.outcome, pause.ended_by, pause.ended_at is not None) == ("resumed", reviewer, True)


def test_a_reviewer_not_assigned_and_the_issuer_cannot_pause(under_review, second_reviewer, signatory):
    today = timezone.localdate()
    for person in (second_reviewer, signatory):
        with pytest.raises(TransitionRefusedError):
            pause_clock(filing_id=under_review.pk, kind="meeting", reason="x", started_on=today, by=person)

    assert refresh(under_review).state == "under_review"
    assert not ClockPause.objects.exists()


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        (1, "x", "The start date cannot be in the future."),
        (-1, "x", "cannot be before"),
        (0, "  ", "Give the reason for the pause."),
    ],
)
def test_a_pause_needs_a_reason_and_a_day_inside_the_current_state(under_review, lead, days, reason, message):
    day = timezone.localdate() + dt.timedelta(days=days)

    with pytest.raises(TransitionRefusedError) as error:
        pause_clock(filing_id=under_review.pk, kind="meeting", reason=reason, started_on=day, by=lead)

    assert message in str(error.value.user_message)
    assert refresh(under_review).state == "under_review"


def test_only_the_lead_suspends_and_a_suspension_ends_with_termination(under_review, reviewer, lead):
    today = timezone.localdate()
    with pytest.raises(TransitionRefusedError):
        pause_clock(
            filing_id=under_review.pk, kind="suspension", reason="立案调查", started_on=today, by=reviewer
        )

    pause_clock(filing_id=under_review.pk, kind="suspension", reason="立案调查", started_on=today, by=lead)
    assert refresh(under_review).state == "suspended"
    transition_filing(filing_id=under_review.pk, name="terminate", by=lead, reason_code="investigation")

    pause = ClockPause.objects.get(filing=under_review)
    assert refresh(under_review).state == "terminated"
    assert (pause.kind, pause.outcome, pause.ended_by) == ("suspension", "terminated", lead)


def test_a_lifted_suspension_resumes_where_it_stood(submitted, lead):
    today = timezone.localdate()
    pause_clock(
        filing_id=submitted.pk, kind="suspension", reason="中介机构被暂停业务", started_on=today, by=lead
    )
    assert refresh(submitted).clock_status == "paused"

    end_pause(filing_id=submitted.pk, ended_on=today, by=lead)

    filing = refresh(submitted)
    assert (filing.state, filing.clock_phase, filing.clock_status) == ("submitted", "completeness", "running")


def test_the_pause_page_records_a_pause_and_the_filing_page_shows_it(client, under_review, reviewer):
    from django.urls import reverse

    client.force_login(reviewer)
    url = reverse("filings:pauses", args=[under_review.reference])
    response = client.post(
        url,
        {
            "action": "start",
            "kind": "meeting",
            "reason": "就补充材料要求召开沟通会",
            "started_on": timezone.localdate().isoformat(),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302

    page = client.get(reverse("filings:detail", args=[under_review.reference]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Pauses of the clock" in html and "就补充材料要求召开沟通会" in html
    assert "still paused" in html
    own = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Resume the review" in own and "Suspension" not in own.split("start-pause")[-1]


def test_a_bad_start_date_is_a_clear_error_not_a_500(client, under_review, lead):
    from django.urls import reverse

    client.force_login(lead)
    response = client.post(
        reverse("filings:pauses", args=[under_review.reference]),
        {"action": "start", "kind": "meeting", "reason": "x", "started_on": "2999-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert response.status_code == 200
    assert "The start date cannot be in the future." in response.content.decode()
    assert refresh(under_review).state == "under_review"


def test_the_reviewer_copy_of_the_dossier_lists_the_pauses(under_review, reviewer):
    from filings.dossier.render import build_html

    pause_clock(
        filing_id=under_review.pk,
        kind="consultation",
        reason="征求国家网信办意见",
        started_on=timezone.localdate(),
        by=reviewer,
    )
    snapshot = under_review.snapshots.get(version=1)

    reviewer_html, _ = build_html(snapshot, language="en", copy="reviewer")
    issuer_html, _ = build_html(snapshot, language="en", copy="issuer")

    assert "Pauses of the regulatory clock" in reviewer_html and "征求国家网信办意见" in reviewer_html
    assert "征求国家网信办意见" not in issuer_html  # frozen at submission, before the pause
