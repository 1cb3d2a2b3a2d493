"""The service-backed suite: real PostgreSQL, Redis and a Celery worker process (run by .ci/run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import Worker, wait_until


@pytest.fixture(autouse=True)
def _require_services(request):
    if connection.vendor != "postgresql":
        pytest.fail("the service-backed suite needs DATABASE_URL pointing at PostgreSQL (run it via .ci/run)")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker) -> Iterator[Worker]:
    """A real worker process on the test database, consuming every queue the app routes to."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: the worker needs a real broker")
    from config.celery import app

    app.control.purge()
    # Without its watchdog: it lives for the whole session on the test database, and its relay
    # would send the fault drills' unsent outbox rows (meant for their private, stopped Redis)
    # through this broker and run them here, while a drill asserts they wait.
    worker = Worker(settings.REDIS_URL, "test", log_name="celery-worker", JOBS_WATCHDOG_SECONDS="0")
    try:
        worker.wait_ready()
    except AssertionError as error:
        worker.stop()
        pytest.fail(f"the Celery worker did not start: {error}")
    yield worker
    worker.stop()


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll until ``predicate()`` is truthy (the worker commits in its own transaction)."""
    return wait_until(predicate, timeout, interval)


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
