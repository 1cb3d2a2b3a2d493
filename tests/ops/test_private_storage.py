"""Private media goes through Django's storage API only, so a second web node or S3-compatible
storage (PRIVATE_STORAGE=s3) sees every file: here the storage is Django's InMemoryStorage and
the local media folder must stay empty while documents and tapes are uploaded, imported, previewed
and downloaded."""

from __future__ import annotations

import pytest
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.models import TapeImport
from tests.assets.fixtures.tapes import receivables, tape_csv
from tests.factories import PASSWORD
from tests.filings.test_views import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings, tmp_path):
    local = tmp_path / "private"
    local.mkdir()
    settings.PRIVATE_MEDIA_ROOT = local
    settings.MEDIA_ROOT = local
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield local
    assert [p for p in local.rglob("*")] == []  # nothing was written to the local folder


def test_documents_and_tapes_round_trip_through_a_non_filesystem_storage(
    client, preparer, draft_filing, memory_storage, django_capture_on_commit_callbacks
):
    from tests.assets.conftest import make_filing

    client.login(username=preparer.username, password=PASSWORD)
    client.post(
        reverse("filings:documents", args=[draft_filing.reference]),
        {
            "requirement": "FILING-REPORT",
            "language": "zh-hans",
            "file": SimpleUploadedFile("备案报告.pdf", PDF),
        },
    )
    document = draft_filing.documents.get()
    document_download = client.get(
        reverse("filings:document_download", args=[draft_filing.reference, document.pk])
    )

    receivable_filing = make_filing(preparer, "trade_receivable", title="应收账款 2026-2")
    tape = tape_csv(receivables(4))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("filings:pool_upload", args=[receivable_filing.reference]),
            {"file": SimpleUploadedFile("tape.csv", tape), "kind": "assets", "cutoff_date": "2025-12-31"},
        )
    job = TapeImport.objects.get()
    tape_download = client.get(reverse("filings:pool_tape_file", args=[receivable_filing.reference, job.pk]))

    assert isinstance(storages["default"], InMemoryStorage)
    assert b"".join(document_download.streaming_content) == PDF
    assert default_storage.exists(document.file.name)
    assert (job.outcome, job.rows_stored) == ("accepted", 4)
    assert b"".join(tape_download.streaming_content) == tape
