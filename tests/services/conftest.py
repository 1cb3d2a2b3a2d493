"""The service-backed suite: real PostgreSQL, Redis and a Celery worker process (run by .ci/run)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _require_services(request):
    if connection.vendor != "postgresql":
        pytest.fail("the service-backed suite needs DATABASE_URL pointing at PostgreSQL (run it via .ci/run)")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker) -> Iterator[subprocess.Popen]:
    """A real worker process on the test database, consuming every queue the app routes to."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: the worker needs a real broker")
    from config.celery import app

    app.control.purge()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
            db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "FILINGDESK_TEST_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),  # test.py would make its own
    }
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    log = open(ROOT / "test-artifacts" / "celery-worker.log", "w")  # noqa: SIM115 — closed after the session
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default,imports,pdf",
            "-c",
            "2",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(
                f"the Celery worker exited with {worker.returncode}; see test-artifacts/celery-worker.log"
            )
        if app.control.ping(timeout=1.0):
            break
    else:
        worker.terminate()
        pytest.fail("the Celery worker did not answer within 60 s")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll until ``predicate()`` is truthy (the worker commits in its own transaction)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met within the timeout")


def pytest_collection_modifyitems(items):
    """Every transactional test of this suite restores the database it found (serialized
    rollback). A flush without it re-creates the content types through post_migrate, and the next
    serialized test's restore then collides with them (UniqueViolation on django_content_type)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            item.get_closest_marker("services")
            and marker is not None
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            item.add_marker(
                pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False
            )
