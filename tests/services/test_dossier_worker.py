"""The dossier on a real worker: submitting queues both languages, the worker renders them, the issuer
downloads one; a render whose worker died is swept and rendered by another."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.selectors import events_for_filing
from filings.dossier.jobs import sweep_render_jobs
from filings.dossier.pdf import extract_attachments
from filings.models import DossierRender
from filings.snapshot import canonical_bytes
from tests.filings import dossier_support as support
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_renders_the_dossier_after_submission(celery_worker, client, ready_filing, signatory):
    snapshot = support.submit(ready_filing, signatory)

    def done() -> list[DossierRender]:
        renders = list(DossierRender.objects.filter(snapshot=snapshot).order_by("language"))
        return renders if len(renders) == 2 and all(r.is_done for r in renders) else []

    renders = wait_for(done, timeout=180)
    assert [(r.language, r.copy, r.status, r.error) for r in renders] == [
        ("en", "issuer", "succeeded", ""),
        ("zh-hans", "issuer", "succeeded", ""),
    ]
    assert all(r.progress["stage"] == "stored" and r.attempts == 1 for r in renders)

    client.force_login(signatory)
    zh = renders[1]
    status = client.get(
        reverse("filings:dossier_status", args=[ready_filing.reference, zh.pk])
    ).content.decode()
    response = client.get(reverse("filings:dossier_download", args=[ready_filing.reference, zh.pk]))
    pdf = b"".join(response.streaming_content)

    assert reverse("filings:dossier_download", args=[ready_filing.reference, zh.pk]) in status
    assert hashlib.sha256(pdf).hexdigest() == zh.sha256
    snapshot.refresh_from_db()
    assert extract_attachments(pdf)[f"{ready_filing.reference}-v1-snapshot.json"] == canonical_bytes(
        snapshot.data
    )
    actions = [event.action for event in events_for_filing(ready_filing.pk)]
    assert actions.count("dossier.render") == 2 and actions[-1] == "dossier.download"


def test_a_render_whose_worker_died_is_swept_and_rendered_once(celery_worker, draft_filing, signatory):
    snapshot = support.minimal_snapshot(draft_filing, signatory)
    lost = DossierRender.objects.create(
        snapshot=snapshot,
        language="en",
        copy="issuer",
        status="running",
        attempts=1,
        claimed_by="dead-worker:1",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
        progress={"stage": "rendering", "percent": 30},
    )

    # The worker's own watchdog sweeps every few seconds and may have handed it on already.
    assert sweep_render_jobs() in ([lost.pk], [])

    rendered = wait_for(
        lambda: DossierRender.objects.filter(pk=lost.pk, status="succeeded").first(), timeout=120
    )
    assert rendered.attempts == 2 and rendered.claimed_by != "dead-worker:1"
    assert [e.action for e in events_for_filing(draft_filing.pk)].count("dossier.render") == 1
