"""Review work is sent to the workers through the outbox, by task name, with the change that asked
for it (nothing of it is kept if the change fails)."""

from __future__ import annotations

import pytest
from django.db import transaction

from filings.workflow import FilingState
from jobs.models import OutboxTask
from reviews import services
from reviews.models import Notice, OutboxMessage
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with REDIS_URL set: tasks go through the outbox


@pytest.mark.usefixtures("with_broker")
def test_a_notice_and_its_mail_are_requested_in_the_transaction_that_issues_them(submitted, lead):
    services.not_accept_filing(filing_id=submitted.pk, by=lead, reason_code="incomplete", reason="缺件。")

    notice = Notice.objects.get(filing=submitted)
    mails = sorted(OutboxMessage.objects.filter(event="not_accepted").values_list("pk", flat=True))
    review_tasks = OutboxTask.objects.filter(task__startswith="reviews.")
    assert sorted((m.task, m.args) for m in review_tasks) == [
        ("reviews.tasks.render_notice_pdf_task", [notice.pk]),
        ("reviews.tasks.send_outbox_task", [mails]),
    ]
    assert not OutboxTask.objects.filter(sent_at__isnull=False).exists()  # sent only on commit


@pytest.mark.usefixtures("with_broker")
def test_a_change_that_fails_leaves_no_task_behind(submitted, lead):
    before = OutboxTask.objects.count()  # the submission's dossier renders
    with pytest.raises(RuntimeError), transaction.atomic():
        services.not_accept_filing(filing_id=submitted.pk, by=lead, reason_code="incomplete", reason="缺件。")
        raise RuntimeError("the step fails after the notice was written")

    assert refresh(submitted).state == FilingState.SUBMITTED
    assert not Notice.objects.exists() and not OutboxMessage.objects.exists()
    assert OutboxTask.objects.count() == before
