"""Real processes for the fault drills (the Redis and worker helpers live in tests/processes.py):
the app's own code run in a separate process (as a web request would run it), and a
private PostgreSQL cluster. Nothing here touches the machine's Redis (6379) or PostgreSQL (5432)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.processes import (  # noqa: F401 — the drills' helpers, written once there
    ARTIFACTS,
    ROOT,
    PrivateRedis,
    Worker,
    app_env,
    free_port,
    port_open,
    wait_until,
)


def run_app_code(redis_url: str, action: str, **arguments: Any) -> dict[str, Any]:
    """Run one of tests/services/fault_actions.py's actions in a process of its own (as a web
    request's process would: its own connections, its own broker client); its JSON answer."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.services.fault_actions", action, json.dumps(arguments)],
        cwd=ROOT,
        env=app_env(redis_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A PostgreSQL 15 cluster of our own in a temporary folder on a free loopback port, run as the
    ``postgres`` OS user (initdb refuses root). Never the machine's cluster on 5432."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fd-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"
        )

    def _as_postgres(self, *command: object) -> None:
        run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*run_as, *map(str, command)], check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/filingdesk"

    def _ctl(self, *action: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", *action)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        """Terminates every session (those mid-query get an error), then starts again."""
        self._ctl("restart", "-m", "fast")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class WebServer:
    """The app served over HTTP by Django's server on a free port, against ``database_url``."""

    def __init__(self, database_url: str, redis_url: str = "") -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.port = free_port()
        self.log = open(ARTIFACTS / "fault-web.log", "w")  # noqa: SIM115 — closed in stop
        env = app_env(redis_url, DATABASE_URL=database_url)
        if not redis_url:
            env.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--nothreading",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: port_open(self.port), 60, what="web server up")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def manage(database_url: str, *arguments: str, stdin: str | None = None) -> str:
    """``manage.py`` against another database (migrate, shell)."""
    env = app_env("", DATABASE_URL=database_url)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout
