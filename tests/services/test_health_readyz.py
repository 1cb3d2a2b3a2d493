"""/readyz for the load balancer, against real processes: red when the only worker stops (cleanly
or killed) or when Redis goes down, green again when they come back. The Redis here is a private
redis-server on a free port; the machine's is never touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.ops.topology import (
    ARTIFACTS,
    ROOT,
    PrivateRedis,
    database_url,
    private_redis,
    record_figures,
    stop_group,
    wait,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db]

SEEN_SECONDS = 8  # the worker heartbeat's time-to-live in this test (production default: 30 s)


def start_worker(redis_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "REDIS_URL": redis_url,
        "FILINGDESK_TEST_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "OPS_WORKER_SEEN_SECONDS": str(SEEN_SECONDS),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "readyz-worker.log", "a")  # noqa: SIM115 — the child owns it
    return subprocess.Popen(
        [
            *(
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,imports,pdf",
                "-c",
                "1",
            ),
            *("--without-gossip", "--without-mingle", "-n", f"readyz-{os.getpid()}@%h"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


def test_readyz_follows_the_worker_and_redis(client, settings, redis_server):
    settings.REDIS_URL = redis_server.url

    def readyz() -> tuple[int, list[str]]:
        response = client.get("/readyz")
        return response.status_code, response.json()["failed"]

    figures: dict[str, float] = {}
    assert readyz() == (503, ["workers"])  # Redis up, no worker yet

    worker = start_worker(redis_server.url)
    try:
        figures["worker_start_to_green_s"] = wait("green with a worker", lambda: readyz() == (200, []), 120)

        stop_group(worker)  # warm shutdown: the worker clears its marks
        figures["worker_stopped_to_red_s"] = wait(
            "red without a worker", lambda: readyz() == (503, ["workers"]), 30
        )

        worker = start_worker(redis_server.url)
        figures["worker_restart_to_green_s"] = wait("green again", lambda: readyz() == (200, []), 120)

        stop_group(worker, signal.SIGKILL)  # killed: its marks expire
        figures["worker_killed_to_red_s"] = wait(
            "red after the worker is killed", lambda: readyz() == (503, ["workers"]), SEEN_SECONDS + 10
        )

        worker = start_worker(redis_server.url)
        wait("green with the new worker", lambda: readyz() == (200, []), 120)

        redis_server.stop()
        figures["redis_stopped_to_red_s"] = wait(
            "red without Redis", lambda: readyz() == (503, ["redis", "workers"]), 30
        )
        redis_server.start()  # same port: the worker reconnects by itself
        figures["redis_back_to_green_s"] = wait(
            "green when Redis is back", lambda: readyz() == (200, []), 120
        )
    finally:
        stop_group(worker)
    record_figures("readyz", {"worker_seen_seconds": SEEN_SECONDS, **figures})
