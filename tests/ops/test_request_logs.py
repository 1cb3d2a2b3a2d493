"""One JSON line per request, with the request id that the tasks it caused log too; Sentry only
with a DSN."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.urls import reverse

from assets.models import TapeImport
from ops.logging import JsonFormatter, RequestIdFilter
from tests.assets.fixtures.tapes import receivables, tape_csv
from tests.factories import PASSWORD


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The production handler (JSON formatter, request-id filter) on the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root, ops = logging.getLogger(), logging.getLogger("ops")
    old_level = ops.level
    root.addHandler(handler)
    ops.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    ops.setLevel(old_level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_each_request_logs_one_json_line_and_echoes_its_generated_request_id(client, preparer, json_log):
    client.login(username=preparer.username, password=PASSWORD)

    response = client.get("/filings/")

    rid = response["X-Request-ID"]
    requests = [line for line in lines(json_log) if line["logger"] == "ops.request"]
    assert len(rid) == 32 and response.status_code == 200
    assert len(requests) == 1
    line = requests[0]
    assert {k: line[k] for k in ("request_id", "user_id", "method", "path", "status", "level")} == {
        "request_id": rid,
        "user_id": preparer.pk,
        "method": "GET",
        "path": "/filings/",
        "status": 200,
        "level": "INFO",
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


@pytest.mark.django_db
def test_an_anonymous_request_logs_no_user_and_keeps_the_callers_request_id(client, json_log):
    response = client.get("/filings/", HTTP_X_REQUEST_ID="lb-7f3a-0001")

    (line,) = [line for line in lines(json_log) if line["logger"] == "ops.request"]
    assert response["X-Request-ID"] == "lb-7f3a-0001"
    assert (line["request_id"], line["user_id"], line["status"]) == ("lb-7f3a-0001", None, 302)


def test_a_malformed_incoming_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert response["X-Request-ID"] != "bad id\nwith newline" and len(response["X-Request-ID"]) == 32


@pytest.mark.django_db(transaction=True)
def test_the_tape_import_a_request_started_logs_that_request_id(client, preparer, json_log):
    from tests.assets.conftest import make_filing

    filing = make_filing(preparer, "trade_receivable")
    client.login(username=preparer.username, password=PASSWORD)

    response = client.post(
        reverse("filings:pool_upload", args=[filing.reference]),
        {
            "file": io.BytesIO(tape_csv(receivables(3))),
            "kind": "assets",
            "cutoff_date": "2025-12-31",
        },
        HTTP_X_REQUEST_ID="upload-42",
    )

    job = TapeImport.objects.get()
    assert response.status_code == 302 and job.outcome == "accepted"
    task_lines = [line for line in lines(json_log) if line["logger"] == "ops.task"]
    assert [(line["message"], line["request_id"]) for line in task_lines] == [
        ("task started assets.tasks.run_tape_import_task", "upload-42"),
        ("task finished assets.tasks.run_tape_import_task SUCCESS", "upload-42"),
    ]
    upload_line = [line for line in lines(json_log) if line["logger"] == "ops.request"][-1]
    assert (upload_line["request_id"], upload_line["path"]) == ("upload-42", response.request["PATH_INFO"])


def test_sentry_is_off_without_a_dsn_and_on_with_django_and_celery_integrations_with_one(monkeypatch):
    import sentry_sdk

    from ops.sentry import init_sentry

    monkeypatch.delenv("SENTRY_DSN", raising=False)
    assert init_sentry() is False
    assert not sentry_sdk.get_client().is_active()

    monkeypatch.setenv("SENTRY_DSN", "https://public@sentry.example.invalid/1")
    try:
        assert init_sentry() is True
        client = sentry_sdk.get_client()
        integrations = set(client.integrations)
        assert client.is_active() and {"django", "celery"} <= integrations
        collected = client.options["data_collection"]
        assert (
            collected["user_info"],
            collected["http_bodies"],
            collected["stack_frame_variables"],
            collected["database_query_data"],
        ) == (False, [], False, False)
    finally:
        sentry_sdk.init()  # back to the inactive client


@pytest.mark.django_db(transaction=True)
def test_a_task_run_in_the_embedded_background_thread_logs_the_request_id(
    client, preparer, json_log, settings
):
    import time

    from tests.assets.conftest import make_filing

    settings.JOBS_RUN_INLINE = False  # as without REDIS_URL outside tests: a background thread
    filing = make_filing(preparer, "trade_receivable")
    client.login(username=preparer.username, password=PASSWORD)

    response = client.post(
        reverse("filings:pool_upload", args=[filing.reference]),
        {"file": io.BytesIO(tape_csv(receivables(3))), "kind": "assets", "cutoff_date": "2025-12-31"},
        HTTP_X_REQUEST_ID="thread-7",
    )

    assert response.status_code == 302
    task_lines: list[dict] = []
    for _ in range(300):  # the thread finishes after the response
        task_lines = [line for line in lines(json_log) if line["logger"] == "ops.task"]
        if len(task_lines) == 2:
            break
        time.sleep(0.1)
    assert [(line["message"], line["request_id"]) for line in task_lines] == [
        ("task started assets.tasks.run_tape_import_task", "thread-7"),
        ("task finished assets.tasks.run_tape_import_task SUCCESS", "thread-7"),
    ]
    assert TapeImport.objects.get().outcome == "accepted"
