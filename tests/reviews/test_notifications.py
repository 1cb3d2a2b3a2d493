"""Emails: in the recipient's language, written to the outbox with the change, sent after commit."""

from __future__ import annotations

import pytest
from django.core import mail

from reviews import services
from reviews.models import OutboxMessage, OutboxStatus
from reviews.notifications import send_outbox

pytestmark = pytest.mark.django_db


def test_the_email_is_sent_only_after_the_change_commits(
    submitted, reviewer, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    message = OutboxMessage.objects.get()
    assert (message.status, mail.outbox) == (OutboxStatus.QUEUED, [])
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert (message.status, len(mail.outbox), mail.outbox[0].to) == (OutboxStatus.SENT, 1, [reviewer.email])
    assert message.sent_at is not None


def test_each_recipient_reads_it_in_their_own_language(submitted, reviewer, second_reviewer, lead):
    reviewer.language, second_reviewer.language = "en", "zh-hans"
    reviewer.save(update_fields=["language"])
    second_reviewer.save(update_fields=["language"])

    for who in (reviewer, second_reviewer):
        services.assign_reviewer(filing_id=submitted.pk, reviewer_id=who.pk, by=lead)

    english = OutboxMessage.objects.get(recipient=reviewer)
    chinese = OutboxMessage.objects.get(recipient=second_reviewer)
    assert english.language == "en" and english.subject.startswith("Action required: declare conflicts")
    assert chinese.language == "zh-hans"
    assert "/review/declarations/" in english.body and submitted.reference in chinese.subject


def test_sending_twice_sends_once(submitted, reviewer, lead):
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    ids = list(OutboxMessage.objects.values_list("pk", flat=True))

    assert (send_outbox(ids), send_outbox(ids), len(mail.outbox)) == (1, 0, 1)
