"""Pre-flight on a real worker: a large pool's run is queued by the page, checked by the worker and
stored with exactly the findings the synchronous check gives; a run whose worker died is swept."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.selectors import events_for_filing
from filings import compliance
from filings.compliance.jobs import sweep_preflight_runs
from filings.models import PreflightRun
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_worker_runs_a_large_pools_preflight_asked_for_on_the_page(
    celery_worker, client, gapped_filing, preparer, settings
):
    settings.PREFLIGHT_INLINE_MAX_ASSETS = -1  # even a pool without a tape is "large": a worker checks
    expected = [finding.as_dict() for finding in compliance.run_preflight(gapped_filing)]
    client.force_login(preparer)

    client.post(reverse("filings:preflight", args=[gapped_filing.reference]))
    run = wait_for(
        lambda: PreflightRun.objects.filter(filing=gapped_filing, status="succeeded").first(), timeout=120
    )

    assert (run.attempts, run.error, run.percent) == (1, "", 100)
    assert not run.claimed_by.endswith(f":{os.getpid()}")  # a worker process took it, not this one
    assert run.findings == expected
    page = client.get(reverse("filings:preflight", args=[gapped_filing.reference])).content.decode()
    assert all(finding["code"] in page for finding in expected)
    assert 'data-testid="preflight-report-time"' in page and 'data-testid="preflight-outdated"' not in page
    actions = [event.action for event in events_for_filing(gapped_filing.pk)]
    assert actions[-2:] == ["preflight.request", "preflight.run"]


def test_a_run_whose_worker_died_is_swept_and_checked_once(celery_worker, gapped_filing, preparer):
    lost = PreflightRun.objects.create(
        filing=gapped_filing,
        requested_by=preparer,
        status="running",
        attempts=1,
        claimed_by="dead-worker:1",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
        progress={"done": 8, "total": 40, "percent": 20},
    )

    # The worker's own watchdog sweeps every few seconds and may have handed it on already.
    assert sweep_preflight_runs() in ([lost.pk], [])

    run = wait_for(lambda: PreflightRun.objects.filter(pk=lost.pk, status="succeeded").first(), timeout=120)
    assert run.attempts == 2 and run.claimed_by != "dead-worker:1"
    assert [e.action for e in events_for_filing(gapped_filing.pk)].count("preflight.run") == 1
