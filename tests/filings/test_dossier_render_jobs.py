"""Dossier renders as jobs: requesting one, claiming, progress, storing, sweeping lost ones, and the
Dossier tab: progress fragment, permission-checked and recorded downloads."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from audit.selectors import events_for_filing
from filings import services
from filings.dossier import jobs
from filings.dossier.render import RenderedDossier
from filings.errors import TransitionRefusedError
from filings.models import DossierRender
from jobs.runner import claim
from tests.filings import dossier_support as support

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsealed(settings, tmp_path: Path) -> None:
    settings.DOSSIER_SIGNING_P12 = tmp_path / "no-key-here.p12"


@pytest.fixture
def snapshot(draft_filing, signatory):
    return support.minimal_snapshot(draft_filing, signatory)


@pytest.fixture
def enqueued():
    with mock.patch.object(jobs, "enqueue_render") as enqueue:
        yield enqueue


def actions(filing) -> list[str]:
    return [event.action for event in events_for_filing(filing.pk)]


def finished(snapshot, *, copy: str = "issuer", pdf: bytes = b"%PDF-1.7 fake dossier") -> DossierRender:
    """A render as the worker leaves it, without spending seconds in WeasyPrint."""
    dossier = DossierRender.objects.create(
        snapshot=snapshot,
        language="zh-hans",
        copy=copy,
        status="succeeded",
        progress={"stage": "stored", "percent": 100},
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=12,
    )
    dossier.pdf.save("dossier.pdf", ContentFile(pdf))
    return dossier


# Requesting ------------------------------------------------------------------------------------------


def test_submission_queues_the_issuer_copy_in_both_languages(
    ready_filing, signatory, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = support.submit(ready_filing, signatory)

    queued = DossierRender.objects.filter(snapshot=snapshot).order_by("language")
    assert [(d.language, d.copy, d.status, d.requested_by) for d in queued] == [
        ("en", "issuer", "queued", signatory),
        ("zh-hans", "issuer", "queued", signatory),
    ]
    assert sorted(call.args[0] for call in enqueued.call_args_list) == sorted(d.pk for d in queued)
    assert actions(ready_filing)[-3:] == ["filing.submit", "dossier.request", "dossier.request"]


def test_request_is_enqueued_in_its_transaction_and_reuses_a_render_under_way(snapshot, signatory, enqueued):
    # Enqueued inside the request's transaction (jobs.runner.dispatch writes the outbox row there
    # and sends it on commit: tests/jobs covers that part).
    first = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)
    again = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)

    enqueued.assert_called_once_with(first.pk)
    assert again.pk == first.pk
    assert first.progress == {"stage": "queued", "percent": 0}


def test_issuer_cannot_have_the_reviewer_copy_rendered(snapshot, signatory, enqueued):
    with pytest.raises(TransitionRefusedError):
        services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="reviewer", by=signatory)

    assert not DossierRender.objects.exists()


def test_other_issuer_cannot_request_a_dossier(snapshot, other_preparer, enqueued):
    with pytest.raises(TransitionRefusedError):
        services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=other_preparer)

    assert not DossierRender.objects.exists()


def test_lead_reviewer_may_have_the_reviewer_copy_rendered(snapshot, lead, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="zh-hans", copy="reviewer", by=lead)

    assert (dossier.copy, dossier.status) == ("reviewer", "queued")


# Running ---------------------------------------------------------------------------------------------


def test_two_claims_on_one_job_one_wins(snapshot, signatory, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)

    first, second = claim(DossierRender, dossier.pk), claim(DossierRender, dossier.pk)

    assert first is not None and second is None
    assert DossierRender.objects.get(pk=dossier.pk).attempts == 1


def test_worker_renders_stores_and_records_the_dossier(snapshot, signatory, enqueued, unsealed):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)
    seen: list[dict] = []
    heartbeat = jobs.runner.heartbeat

    def spy(job, progress=None, **kwargs):
        seen.append(dict(progress or {}))
        heartbeat(job, progress, **kwargs)

    with mock.patch.object(jobs.runner, "heartbeat", spy):
        jobs.run_render_job(dossier.pk)

    dossier.refresh_from_db()
    pdf = dossier.pdf.read()
    assert [p["stage"] for p in seen] == ["gathering", "rendering"]
    assert (dossier.status, dossier.progress["stage"], dossier.progress["percent"]) == (
        "succeeded",
        "stored",
        100,
    )
    assert dossier.sha256 == hashlib.sha256(pdf).hexdigest() == dossier.content_sha256
    assert (dossier.size, dossier.signed, dossier.lease_expires_at) == (len(pdf), False, None)
    assert dossier.page_count > 5 and len(dossier.text_sha256) == 64
    assert [a["filename"] for a in dossier.attachments] == [f"{snapshot.filing.reference}-v1-snapshot.json"]
    assert set(dossier.progress["timings"]) >= {"gathering", "templating", "weasyprint", "total"}
    assert actions(snapshot.filing)[-1] == "dossier.render"


def test_job_held_by_a_live_worker_is_left_alone(snapshot, signatory, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)
    DossierRender.objects.filter(pk=dossier.pk).update(
        status="running", claimed_by="other-host:1", lease_expires_at=timezone.now() + timedelta(minutes=5)
    )

    with mock.patch("filings.dossier.render.render_dossier") as render:
        assert jobs.run_render_job(dossier.pk) is None

    render.assert_not_called()
    assert DossierRender.objects.get(pk=dossier.pk).claimed_by == "other-host:1"


def test_lost_job_is_swept_and_picked_up_again(snapshot, signatory, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)
    DossierRender.objects.filter(pk=dossier.pk).update(
        status="running",
        attempts=1,
        claimed_by="dead-host:1",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert jobs.sweep_render_jobs() == [dossier.pk]
    enqueued.assert_called_with(dossier.pk)
    taken = claim(DossierRender, dossier.pk)
    assert taken is not None and taken.attempts == 2 and taken.claimed_by != "dead-host:1"


def test_result_of_a_worker_that_lost_its_claim_is_discarded(snapshot, signatory, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)
    fake = RenderedDossier(b"%PDF late", "a" * 64, "a" * 64, "b" * 64, 1, [], False, "", None, {"total": 1.0})

    def slow_render(snapshot, *, on_stage, **kwargs):
        on_stage("rendering")
        # Meanwhile the lease lapsed and the sweeper handed the job to another worker.
        DossierRender.objects.filter(pk=dossier.pk).update(claimed_by="other-host:2")
        return fake

    with mock.patch("filings.dossier.render.render_dossier", slow_render):
        assert jobs.run_render_job(dossier.pk) is None

    dossier.refresh_from_db()
    assert (dossier.status, dossier.claimed_by, dossier.sha256, dossier.pdf.name) == (
        "running",
        "other-host:2",
        "",
        "",
    )


def test_failed_render_is_reported_on_the_row(snapshot, signatory, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=signatory)

    with mock.patch("filings.dossier.render.render_dossier", side_effect=RuntimeError("font missing")):
        jobs.run_render_job(dossier.pk)

    dossier.refresh_from_db()
    assert (dossier.status, dossier.error) == ("failed", "RuntimeError: font missing")


def test_tasks_claim_and_run(snapshot, signatory, enqueued):
    from filings.tasks import render_dossier_task, sweep_jobs_task

    with mock.patch("filings.dossier.jobs.run_render_job") as run:
        render_dossier_task(41)
    with mock.patch("filings.dossier.jobs.sweep_render_jobs", return_value=[7]) as sweep:
        assert sweep_jobs_task() == [7]

    run.assert_called_once_with(41)
    sweep.assert_called_once_with()


# The Dossier tab ------------------------------------------------------------------------------------


def test_dossier_tab_lists_renders_and_offers_only_the_issuer_copy_to_issuers(client, preparer, snapshot):
    finished(snapshot)
    client.force_login(preparer)

    page = client.get(reverse("filings:dossier", args=[snapshot.filing.reference])).content.decode()

    assert 'value="issuer"' in page and 'value="reviewer"' not in page
    assert "Download PDF" in page or "下载" in page


def test_request_view_queues_a_render(client, preparer, snapshot, enqueued):
    client.force_login(preparer)

    response = client.post(
        reverse("filings:dossier_request", args=[snapshot.filing.reference]),
        {"snapshot": "1", "language": "en", "copy": "issuer"},
    )

    assert response.status_code == 302
    assert DossierRender.objects.get().requested_by == preparer


def test_status_fragment_polls_until_the_render_is_done(client, preparer, snapshot, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=preparer)
    client.force_login(preparer)
    url = reverse("filings:dossier_status", args=[snapshot.filing.reference, dossier.pk])
    DossierRender.objects.filter(pk=dossier.pk).update(
        status="running", progress={"stage": "rendering", "percent": 30}
    )

    running = client.get(url).content.decode()
    done_fields = {
        "progress": {"stage": "stored", "percent": 100},
        "page_count": 3,
        "size": 100,
        "sha256": "c" * 64,
    }
    DossierRender.objects.filter(pk=dossier.pk).update(status="succeeded", **done_fields)
    done = client.get(url).content.decode()

    assert 'hx-trigger="every 2s"' in running and 'value="30"' in running
    assert "hx-trigger" not in done and "dossier_download" not in done
    assert reverse("filings:dossier_download", args=[snapshot.filing.reference, dossier.pk]) in done
    assert 'data-testid="dossier-unsigned"' in done


def test_issuer_downloads_the_issuer_copy_and_the_download_is_recorded(client, preparer, snapshot):
    dossier = finished(snapshot)
    client.force_login(preparer)

    response = client.get(reverse("filings:dossier_download", args=[snapshot.filing.reference, dossier.pk]))

    assert b"".join(response.streaming_content) == b"%PDF-1.7 fake dossier"
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{snapshot.filing.reference}-v1-zh-hans.pdf" in response["Content-Disposition"]
    assert actions(snapshot.filing)[-1] == "dossier.download"


def test_other_issuer_gets_404_and_nothing_is_recorded_as_downloaded(client, other_preparer, snapshot):
    dossier = finished(snapshot)
    client.force_login(other_preparer)

    response = client.get(reverse("filings:dossier_download", args=[snapshot.filing.reference, dossier.pk]))

    assert response.status_code == 404
    assert "dossier.download" not in actions(snapshot.filing)


def test_issuer_cannot_get_the_reviewer_copy(client, signatory, snapshot):
    dossier = finished(snapshot, copy="reviewer")
    client.force_login(signatory)

    download = client.get(reverse("filings:dossier_download", args=[snapshot.filing.reference, dossier.pk]))
    status = client.get(reverse("filings:dossier_status", args=[snapshot.filing.reference, dossier.pk]))

    assert (download.status_code, status.status_code) == (404, 404)
    assert "dossier.download" not in actions(snapshot.filing)


def test_lead_reviewer_downloads_the_reviewer_copy(client, lead, snapshot):
    dossier = finished(snapshot, copy="reviewer")
    client.force_login(lead)

    response = client.get(reverse("filings:dossier_download", args=[snapshot.filing.reference, dossier.pk]))

    assert response.status_code == 200
    assert f"{snapshot.filing.reference}-v1-zh-hans-reviewer.pdf" in response["Content-Disposition"]


def test_unfinished_render_cannot_be_downloaded(client, preparer, snapshot, enqueued):
    dossier = services.request_dossier(snapshot_id=snapshot.pk, language="en", copy="issuer", by=preparer)
    client.force_login(preparer)

    response = client.get(reverse("filings:dossier_download", args=[snapshot.filing.reference, dossier.pk]))

    assert response.status_code == 404


def test_overview_card_shows_the_latest_snapshots_dossiers(client, preparer, snapshot):
    finished(snapshot)
    client.force_login(preparer)

    detail = client.get(reverse("filings:detail", args=[snapshot.filing.reference])).content.decode()
    card = client.get(reverse("filings:dossier_card", args=[snapshot.filing.reference])).content.decode()

    assert reverse("filings:dossier_card", args=[snapshot.filing.reference]) in detail
    assert reverse("filings:dossier", args=[snapshot.filing.reference]) in detail
    assert "dossier-download-" in card
