"""Pre-flight on a real worker: the issuer of a large pool asks for the check through the page, a
Celery worker evaluates the catalogue, and the page shows the stored report."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from filings import compliance
from filings.models import PreflightRun
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_worker_runs_the_pre_flight_of_a_large_pool(
    celery_worker, client, settings, ready_filing, preparer
):
    settings.PREFLIGHT_INLINE_MAX_ASSETS = (
        0  # this pool counts as large: the page hands the check to a worker
    )
    url = reverse("filings:preflight", args=[ready_filing.reference])
    client.force_login(preparer)

    assert client.post(url).status_code == 302

    def finished() -> PreflightRun | None:
        run = PreflightRun.objects.filter(filing=ready_filing).first()
        return run if run is not None and run.is_done else None

    run = wait_for(finished, timeout=60)
    assert (run.status, run.error, run.attempts, run.progress["percent"]) == ("succeeded", "", 1, 100)
    assert not run.claimed_by.endswith(f":{os.getpid()}")  # a worker process took it, not this one
    assert run.findings == [finding.as_dict() for finding in compliance.run_preflight(ready_filing)]
    body = client.get(url).content.decode()
    assert 'data-testid="preflight-summary"' in body and 'data-testid="preflight-outdated"' not in body
