"""Tasks dispatched through Redis run on a real Celery worker process."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from filings.models import Filing
from filings.services import submit_filing, transition_filing
from filings.tasks import lapse_filings_task
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_lapse_task_runs_on_the_worker(celery_worker, ready_filing, signatory, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    transition_filing(
        filing_id=ready_filing.pk, name="decide_file", by=lead, at=timezone.now() - dt.timedelta(days=400)
    )

    lapse_filings_task.delay()

    wait_for(lambda: Filing.objects.get(pk=ready_filing.pk).state == "lapsed")
