"""Reminders before a clock runs out: to whoever must act, once per clock per day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from filings.deadlines import filing_clocks, working_calendar
from reviews import services
from reviews.models import OutboxMessage, Reminder
from reviews.tasks import send_clock_reminders_task

pytestmark = pytest.mark.django_db


def _working_days_later(n: int) -> dt.datetime:
    day = working_calendar().add_working_days(timezone.localdate(), n)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_a_nearly_due_review_clock_reminds_the_assigned_reviewer_once_a_day(under_review, reviewer):
    now = _working_days_later(18)  # 2 of 20 working days left
    assert filing_clocks(under_review, now=now).review.nearly_due

    first = services.send_clock_reminders(now=now)
    second = services.send_clock_reminders(now=now)

    assert (first, second) == ([(under_review.reference, "review")], [])
    [message] = OutboxMessage.objects.filter(event="clock_reminder")
    assert message.recipient == reviewer
    assert Reminder.objects.get().day == now.date()


def test_the_next_day_brings_the_next_reminder(under_review):
    services.send_clock_reminders(now=_working_days_later(18))
    services.send_clock_reminders(now=_working_days_later(19))

    assert OutboxMessage.objects.filter(event="clock_reminder").count() == 2


def test_an_unassigned_completeness_check_reminds_the_lead(submitted, lead):
    services.send_clock_reminders(now=_working_days_later(4))

    assert [m.recipient for m in OutboxMessage.objects.filter(event="clock_reminder")] == [lead]


def test_the_issuer_is_reminded_before_the_reply_deadline(under_review, reviewer, signatory, preparer):
    services.draft_deficiency_item(
        filing_id=under_review.pk, by=reviewer, question="?", citation="G26", anchor_section="token"
    )
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    services.send_clock_reminders(now=_working_days_later(29))

    assert {m.recipient for m in OutboxMessage.objects.filter(event="clock_reminder")} == {
        signatory,
        preparer,
    }


def test_nothing_is_sent_while_clocks_have_time(under_review):
    assert send_clock_reminders_task.apply().get() == []
    assert not OutboxMessage.objects.filter(event="clock_reminder").exists()
