"""Uploads cannot exhaust the machine: a workbook that would inflate too far is refused from its zip
directory before anything opens it, and a tape is parsed only by the import job, never in the web
request that receives it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.models import Asset, TapeImport, TapeUpload
from assets.services import run_tape_import
from assets.tape import run_import
from audit.models import Event
from jobs.models import OutboxTask
from tests.assets.fixtures.tapes import receivables, tape_csv
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def zip_bomb(megabytes: int = 64) -> bytes:
    """An .xlsx-shaped zip whose one sheet inflates from ~60 KB to ``megabytes`` MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(chunk)
    return buffer.getvalue()


def plain_workbook(megabytes: int = 3) -> bytes:
    """An .xlsx-shaped zip that inflates about 3 times only (random-looking text), to ``megabytes`` MB."""
    import random

    rng = random.Random(4)
    text = "".join(rng.choice("0123456789ABCDEF<>/=c v") for _ in range(megabytes * 1024 * 1024)).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", text)
    return buffer.getvalue()


def post_upload(client, filing, content: bytes, *, name: str, language: str):
    client.cookies["filingdesk_language"] = language
    data = {"file": SimpleUploadedFile(name, content), "kind": "assets"}
    return client.post(reverse("filings:pool_upload", args=[filing.reference]), data, follow=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "expands 1028 times its compressed size (at most 200 times is accepted)"),
        ("zh-hans", "解压后是压缩大小的 1028 倍"),
    ],
)
def test_a_zip_bomb_is_refused_at_upload_in_the_persons_language(
    client, preparer, receivable_filing, language, expected
):
    client.login(username=preparer.username, password=PASSWORD)
    bomb = zip_bomb()
    assert len(bomb) < 100_000

    page = post_upload(client, receivable_filing, bomb, name="资产清单.xlsx", language=language)

    assert expected in page.content.decode()
    assert not TapeUpload.objects.exists() and not TapeImport.objects.exists()
    assert not Event.objects.filter(action="tape.upload").exists()


def test_a_workbook_inflating_past_the_limit_is_refused(client, preparer, receivable_filing, settings):
    settings.TAPE_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    client.login(username=preparer.username, password=PASSWORD)

    page = post_upload(client, receivable_filing, plain_workbook(3), name="pool.xlsx", language="en")

    assert "The workbook would expand to 3.0 MB when opened; the limit is 2 MB." in page.content.decode()
    assert not TapeUpload.objects.exists()


def test_the_import_refuses_a_bomb_that_got_past_the_upload():
    """A tape stored before the limits were lowered is checked again when the job opens it."""
    result = run_import(zip_bomb(), asset_class="trade_receivable", kind="assets")

    assert not result.ok
    assert [(e.code, e.params["ratio"]) for e in result.errors] == [("zip_ratio", 1028)]


def test_the_web_request_only_queues_the_tape_the_job_parses_it(
    client, preparer, receivable_filing, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: a worker runs the job
    client.login(username=preparer.username, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(
            client, receivable_filing, tape_csv(receivables(30)), name="pool.csv", language="en"
        )

    job = TapeImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "filings:pool_import", args=[receivable_filing.reference, job.pk]
    )
    # The request stored the file and queued the job; not one row was read, validated or stored.
    assert (job.status, job.progress, job.result) == ("queued", {"stage": "queued", "percent": 0}, {})
    assert Asset.objects.count() == 0
    assert list(OutboxTask.objects.values_list("task", "args")) == [
        ("assets.tasks.run_tape_import_task", [job.pk])
    ]

    run_tape_import(job.pk)  # what the worker does with that message

    job.refresh_from_db()
    assert (job.outcome, job.rows_stored, Asset.objects.count()) == ("accepted", 30, 30)
