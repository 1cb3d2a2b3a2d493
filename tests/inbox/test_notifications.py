"""In-app notifications: written with every email, counted by the bell, read one by one or all at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import formats, translation

from inbox.models import Notification
from inbox.selectors import unread_count
from inbox.services import mark_all_read, mark_read
from reviews import services
from reviews.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_assigning_a_reviewer_writes_a_notification_beside_the_email(submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    note = Notification.objects.get(recipient=reviewer)
    assert OutboxMessage.objects.filter(recipient=reviewer, event="review_assigned").count() == 1
    assert (note.kind, note.filing_id, note.read_at) == ("review_assigned", submitted.pk, None)
    assert note.target == f"/review/declarations/{assignment.pk}/"
    with translation.override("en"):
        assert note.label == (
            f"You were assigned to review {submitted.reference}: declare any conflict of interest"
        )
    with translation.override("zh-hans"):
        assert note.label == f"您被指派审核 {submitted.reference}：请申报利益冲突"


def test_a_person_without_an_email_address_still_gets_the_notification(submitted, reviewer, lead):
    reviewer.email = ""
    reviewer.save(update_fields=["email"])

    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    assert not OutboxMessage.objects.filter(recipient=reviewer).exists()
    assert Notification.objects.filter(recipient=reviewer, kind="review_assigned").count() == 1


def test_a_supplement_request_tells_the_issuer_the_reply_due_date(
    under_review, reviewer, preparer, signatory
):
    services.draft_deficiency_item(
        filing_id=under_review.pk,
        by=reviewer,
        question="请补充。",
        anchor_path="structure.spv_registration_no",
        citation="证监会公告〔2026〕1号",
    )
    request = services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    notes = Notification.objects.filter(kind="supplement_requested").order_by("recipient__username")
    assert [n.recipient for n in notes] == [preparer, signatory]
    assert notes[0].params["due"] == request.reply_due_date.isoformat()
    assert notes[0].target == f"/review/{under_review.reference}/supplement/"
    with translation.override("en"):
        due = formats.date_format(request.reply_due_date, "DATE_FORMAT")
        assert notes[0].label == f"Supplement request on {under_review.reference}: answer by {due}"


def test_mark_read_and_mark_all_read_change_the_bell_count(submitted, reviewer, lead):
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    extra = Notification.objects.create(
        recipient=reviewer,
        kind="clock_reminder",
        filing=submitted,
        params={"reference": submitted.reference, "due": "2027-01-04"},
    )
    assert unread_count(reviewer) == 2

    mark_read(notification_id=extra.pk, by=reviewer)
    mark_read(notification_id=extra.pk, by=reviewer)  # again: nothing changes
    assert unread_count(reviewer) == 1

    assert mark_all_read(by=reviewer) == 1
    assert (unread_count(reviewer), mark_all_read(by=reviewer)) == (0, 0)


def test_nobody_marks_another_persons_notification(submitted, reviewer, second_reviewer, lead):
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    note = Notification.objects.get(recipient=reviewer)

    with pytest.raises(Notification.DoesNotExist):
        mark_read(notification_id=note.pk, by=second_reviewer)

    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_kind_has_a_label_in_both_languages_and_no_code_shows(language):
    from inbox.labels import IN_APP_ONLY, KIND_LABELS, KIND_NAMES, kind_name, notification_label
    from reviews.notifications import EVENTS

    assert set(KIND_LABELS) == set(KIND_NAMES) == EVENTS | IN_APP_ONLY
    assert not EVENTS & IN_APP_ONLY
    with translation.override(language):
        for kind in KIND_LABELS:
            text = notification_label(
                kind, {"reference": "ABST-2026-00001", "due": dt.date(2027, 1, 4).isoformat()}
            )
            assert "ABST-2026-00001" in text and kind not in text and "%(" not in text
            assert kind_name(kind) and "_" not in kind_name(kind)
