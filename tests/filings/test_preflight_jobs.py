"""Pre-flight as a job for large pools: the run, its progress, its freshness, the sweeper and the page."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from filings import compliance, services
from filings.compliance import RULES
from filings.compliance.jobs import (
    is_outdated,
    pool_size,
    request_preflight,
    run_preflight_job,
    runs_as_job,
    sweep_preflight_runs,
)
from filings.models import Filing, PreflightRun
from jobs import runner
from jobs.models import JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_pools(settings):
    """Every pool counts as large: the page checks through a job."""
    settings.PREFLIGHT_INLINE_MAX_ASSETS = 0


@pytest.fixture
def warned_filing(gapped_filing, preparer):
    services.update_section(
        filing_id=gapped_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=gapped_filing.token.version,
        by=preparer,
    )
    return Filing.objects.get(pk=gapped_filing.pk)


def run_now(filing, by, capture):
    with capture(execute=True):
        run = request_preflight(filing_id=filing.pk, by=by)
    run.refresh_from_db()
    return run


def test_a_run_stores_exactly_the_findings_computed_at_once_with_full_progress(
    warned_filing, preparer, django_capture_on_commit_callbacks
):
    expected = [finding.as_dict() for finding in compliance.run_preflight(warned_filing)]

    run = run_now(warned_filing, preparer, django_capture_on_commit_callbacks)

    assert run.status == JobStatus.SUCCEEDED
    assert run.findings == expected
    assert (run.blocking_count, run.warning_count) == (
        sum(1 for f in expected if f["severity"] == "blocking"),
        sum(1 for f in expected if f["severity"] == "warning"),
    )
    assert run.blocking_count >= 2 and run.warning_count >= 1  # the gaps and the HKD settlement
    assert run.progress == {"done": len(RULES), "total": len(RULES), "percent": 100}
    assert [e.action for e in Event.objects.filter(filing_id=warned_filing.pk).order_by("pk")][-2:] == [
        "preflight.request",
        "preflight.run",
    ]
    assert not is_outdated(run, warned_filing)


def test_a_second_request_while_one_waits_returns_the_same_run(
    warned_filing, preparer, signatory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = request_preflight(filing_id=warned_filing.pk, by=preparer)
        second = request_preflight(filing_id=warned_filing.pk, by=signatory)

    assert second.pk == first.pk
    assert PreflightRun.objects.filter(filing=warned_filing).count() == 1
    assert first.status == JobStatus.QUEUED


def test_a_report_is_outdated_once_the_filing_changes(
    warned_filing, preparer, django_capture_on_commit_callbacks
):
    run = run_now(warned_filing, preparer, django_capture_on_commit_callbacks)
    filing = Filing.objects.get(pk=warned_filing.pk)
    services.update_section(
        filing_id=filing.pk,
        section="token",
        fields={"settlement_currency": "USD"},
        rows={},
        expected_version=filing.token.version,
        by=preparer,
    )

    assert is_outdated(run, Filing.objects.get(pk=filing.pk))


def test_the_sweeper_hands_a_run_whose_worker_died_to_another(
    warned_filing, preparer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = request_preflight(filing_id=warned_filing.pk, by=preparer)
    assert runner.claim(PreflightRun, run.pk) is not None  # a worker took it, then vanished
    PreflightRun.objects.filter(pk=run.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):  # sent once the sweep's work commits
        assert sweep_preflight_runs() == [run.pk]

    run.refresh_from_db()
    assert (run.status, run.attempts) == (JobStatus.SUCCEEDED, 2)
    assert run.findings == [f.as_dict() for f in compliance.run_preflight(warned_filing)]


def test_small_pools_are_checked_at_once_and_large_ones_by_a_job(large_filing, settings):
    size = pool_size(large_filing)
    assert size > 0
    settings.PREFLIGHT_INLINE_MAX_ASSETS = size
    assert not runs_as_job(large_filing)
    settings.PREFLIGHT_INLINE_MAX_ASSETS = size - 1
    assert runs_as_job(large_filing)


def test_the_small_pool_page_creates_no_run(client, preparer, warned_filing):
    client.force_login(preparer)
    body = client.get(reverse("filings:preflight", args=[warned_filing.reference])).content.decode()

    assert 'data-testid="finding-CONS-CURRENCY"' in body
    assert 'data-testid="run-preflight"' not in body
    assert not PreflightRun.objects.exists()


@pytest.fixture
def large_filing(warned_filing, large_pools):
    from assets.models import TapeImport

    # The toll master stays out of force in the gapped filing; put one asset table in force.
    tape = TapeImport.objects.filter(pool=warned_filing.pool, kind="assets").first()
    if tape is not None:
        TapeImport.objects.filter(pk=tape.pk).update(is_current=True)
    return Filing.objects.get(pk=warned_filing.pk)


def test_the_large_pool_page_runs_the_check_as_a_job_and_shows_its_report(
    client, preparer, large_filing, django_capture_on_commit_callbacks
):
    url = reverse("filings:preflight", args=[large_filing.reference])
    client.force_login(preparer)

    before = client.get(url).content.decode()
    assert 'data-testid="run-preflight"' in before
    assert 'data-testid="preflight-no-report"' in before
    assert 'data-testid="finding-CONS-CURRENCY"' not in before
    assert client.get(url + "?format=json").status_code == 302  # no report to download yet

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    run = PreflightRun.objects.get(filing=large_filing)
    assert run.status == JobStatus.SUCCEEDED

    after = client.get(url).content.decode()
    assert 'data-testid="finding-CONS-CURRENCY"' in after
    assert 'data-testid="preflight-report-time"' in after
    assert 'data-testid="preflight-outdated"' not in after
    downloaded = json.loads(client.get(url + "?format=json").content)
    assert downloaded == run.findings
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("filings:preflight_csv", args=[large_filing.reference])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert len(rows) == 1 + len(run.findings)


def test_the_status_fragment_reloads_the_page_when_the_run_is_done(
    client, preparer, large_filing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = request_preflight(filing_id=large_filing.pk, by=preparer)
    status = reverse("filings:preflight_status", args=[large_filing.reference, run.pk])
    client.force_login(preparer)

    waiting = client.get(status, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in waiting
    assert 'data-status="queued"' in waiting.content.decode()
    assert (
        'data-testid="run-preflight"'
        not in client.get(reverse("filings:preflight", args=[large_filing.reference])).content.decode()
    )

    run_preflight_job(run.pk)
    done = client.get(status, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_another_organisation_sees_neither_the_page_nor_the_run(
    client, preparer, other_preparer, lead, large_filing, django_capture_on_commit_callbacks
):
    run = run_now(large_filing, preparer, django_capture_on_commit_callbacks)
    client.force_login(other_preparer)
    assert client.get(reverse("filings:preflight", args=[large_filing.reference])).status_code == 404
    assert (
        client.get(reverse("filings:preflight_status", args=[large_filing.reference, run.pk])).status_code
        == 404
    )
    assert client.post(reverse("filings:preflight", args=[large_filing.reference])).status_code == 404

    client.force_login(lead)  # a draft is the issuer's alone until it is submitted
    assert client.post(reverse("filings:preflight", args=[large_filing.reference])).status_code == 404
    assert PreflightRun.objects.filter(filing=large_filing).count() == 1
