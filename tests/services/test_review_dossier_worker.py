"""End to end on real services: a filing with a really imported pool passes the real pre-flight
check, is reviewed and filed, and the reviewer copy of its dossier (with the decision) is rendered
by a real Celery worker and downloaded over HTTP."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from audit.models import Event
from audit.selectors import events_for_filing
from audit.services import verify_chain
from filings.dossier.pdf import extract_attachments, extract_text
from filings.models import DossierRender, Filing
from filings.services import request_dossier
from reviews import services as review_services
from reviews.checklists import ensure_checklist_in_force
from tests.filings import dossier_support as support
from tests.reviews.helpers import answer_everything, clear
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def reseed_checklists(transactional_db) -> None:
    """An earlier transactional test flushed what the migrations seed; put the checklists back."""
    from importlib import import_module

    from django.apps import apps

    import_module("filings.migrations.0002_materials_checklist").seed(apps, None)
    ensure_checklist_in_force()


def test_the_reviewer_copy_is_rendered_by_a_worker_after_the_decision_and_downloaded(
    celery_worker, client, preparer, signatory, reviewer, lead
):
    filing = support.filing_with_imported_pool(preparer, signatory)
    snapshot = support.submit(filing, signatory)  # the real blocking-findings check runs
    clear(filing, reviewer, lead)
    review_services.accept_filing(filing_id=filing.pk, by=lead)
    answer_everything(Filing.objects.get(pk=filing.pk), reviewer)
    draft = review_services.draft_decision(filing_id=filing.pk, by=reviewer, kind="file")
    review_services.confirm_decision(decision_id=draft.pk, by=lead)
    assert Filing.objects.get(pk=filing.pk).state == "filed"

    job = request_dossier(snapshot_id=snapshot.pk, language="en", copy="reviewer", by=lead)
    rendered = wait_for(
        lambda: DossierRender.objects.filter(pk=job.pk, status__in=["succeeded", "failed"]).first(),
        timeout=240,
    )
    assert (rendered.status, rendered.error, rendered.attempts) == ("succeeded", "", 1)
    # The worker logs the render just after it marks the job done, in its own transaction.
    logged = Event.objects.filter(filing_id=filing.pk, action="dossier.render", subject_id=rendered.pk)
    wait_for(logged.exists, timeout=30)

    client.force_login(lead)
    response = client.get(reverse("filings:dossier_download", args=[filing.reference, rendered.pk]))
    pdf = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert hashlib.sha256(pdf).hexdigest() == rendered.sha256
    text = " ".join(extract_text(pdf).split())
    assert "Review history" in text and "Reviewer copy" in text
    assert str(lead) in text and str(reviewer) in text  # who drafted and who confirmed the decision
    files = extract_attachments(pdf)
    pool = snapshot.data["pool"]
    embedded = {hashlib.sha256(content).hexdigest() for name, content in files.items() if "-tape" in name}
    assert embedded == {tape["sha256"] for tape in pool["tapes"]}  # every imported table, byte for byte
    actions = [event.action for event in events_for_filing(filing.pk)]
    assert logged.get().data["copy"] == "reviewer" and actions[-1] == "dossier.download"
    assert verify_chain().ok
