"""Real processes for the service-backed tests, written once: free ports, waiting, a private
redis-server, a Celery worker process group, and the environment a process of the app runs in.

Used by the fault drills (tests/services/faults.py), the suite's worker (tests/services/conftest.py)
and the production topology (tests/ops/topology.py). Nothing here touches the machine's Redis."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
NO_DISK = ("--save", "", "--appendonly", "no", "--dir")
CELERY_WORKER = (sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default,imports,pdf")
CELERY_WORKER += ("-c", "2", "--loglevel", "INFO", "--without-gossip", "--without-mingle")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate: Callable[[], Any], timeout: float, interval: float = 0.2, what: str = "") -> Any:
    """Poll until ``predicate()`` is truthy; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not within {timeout:g} s: {what or 'condition'}")


def wait(what: str, probe: Callable[[], Any], timeout: float, interval: float = 0.25) -> float:
    """Poll until probe() is truthy; the seconds it took."""
    started = time.monotonic()
    wait_until(probe, timeout, interval, what)
    return round(time.monotonic() - started, 1)


def stop_group(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Signal the process group the child leads (started with start_new_session=True)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


class PrivateRedis:
    """A redis-server of our own on a free loopback port, without persistence (a restart is empty):
    drills stop this one, never the machine's."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="fd-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *NO_DISK,
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.ping, 20, what="private redis up")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, timeout=10)
        self.process = None
        wait_until(lambda: not port_open(self.port), 10, what="private redis down")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.close()


def current_database_url() -> str:
    """The URL of the database this test process uses (for the processes it starts)."""
    from django.db import connection

    db = connection.settings_dict
    return "postgres://{}@{}:{}/{}".format(
        db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
    )


def app_env(redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a process running the app against the test database and ``redis_url``."""
    from django.conf import settings

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": current_database_url(),
        "REDIS_URL": redis_url,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "FILINGDESK_TEST_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),  # test.py would make its own
        **extra,
    }


class Worker:
    """A Celery worker process group (prefork, two children, every queue the app routes to) on the
    test database; it can be stopped, or SIGKILLed as a whole."""

    def __init__(self, redis_url: str, name: str, *, log_name: str | None = None, **env: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{log_name or 'fault-' + name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 — closed in stop/kill
        self.process = subprocess.Popen(
            [*CELERY_WORKER, "-n", f"{name}-{os.getpid()}@%h"],
            cwd=ROOT,
            env=app_env(redis_url, **env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL takes the children too
        )

    def wait_ready(self, timeout: float = 60) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}; see {self.log_path}")
            return " ready." in self.log_path.read_text(errors="replace")

        wait_until(ready, timeout, what=f"worker ready ({self.log_path})")

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and children): no ack, no cleanup, as a machine dies."""
        stop_group(self.process, signal.SIGKILL, timeout=10)
        self.log.close()

    def stop(self) -> None:
        stop_group(self.process, timeout=20)
        if not self.log.closed:
            self.log.close()
