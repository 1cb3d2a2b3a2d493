"""Real processes for the service-backed operations tests: a private redis-server, a fresh
PostgreSQL database, a Celery worker, and the Procfile topology started by scripts/prod."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tests.processes import (  # noqa: F401 — the topology tests' helpers, written once there
    ARTIFACTS,
    ROOT,
    PrivateRedis,
    free_port,
    private_redis,
    stop_group,
    wait,
)

# CI points this at the venv built from requirements.txt alone (scripts/prod-venv).
PROD_VENV = Path(os.environ.get("FILINGDESK_PROD_VENV") or ROOT / ".venv")


def server_params() -> dict[str, Any]:
    from django.db import connection

    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": int(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or None,
    }


def database_url(name: str) -> str:
    p = server_params()
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    return f"postgres://{auth}@{p['host']}:{p['port']}/{name}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **server_params()) as conn:
        conn.execute(sql)


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """An empty database of our own on the shared server, dropped afterwards. Its name carries this
    process's id: two runs of the suite on one server (several checkouts) never drop each other's."""
    name = f"{name}_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get_json(url: str, timeout: float = 5) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except OSError:
        return 0, None


class Topology:
    """scripts/prod (release step, then honcho: gunicorn, two workers, beat) with its own database,
    Redis, media folder and port."""

    def __init__(self, tmp: Path, database_url: str, redis_url: str, venv: Path = PROD_VENV) -> None:
        self.tmp, self.venv = tmp, venv
        self.port = free_port()
        self.log_path = ARTIFACTS / f"topology-{self.port}.log"
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DJANGO_", "PYTEST", "FILINGDESK_TEST"))
            },
            "VENV": str(venv),
            "PATH": f"{venv}/bin:{os.environ['PATH']}",
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "topology-test-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",  # loopback: no TLS proxy in front
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
            "DOSSIER_SIGNING_P12": str(tmp / "signing" / "signer.p12"),
            "BIND": f"127.0.0.1:{self.port}",
            "CELERY_BEAT_SCHEDULE_FILE": str(tmp / "celerybeat-schedule"),
            "WEB_CONCURRENCY": "2",
            "WORKER_CONCURRENCY": "1",
            "WORKER_NAME": f"t{self.port}",
            "OPS_WORKER_SEEN_SECONDS": "15",
        }
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(self.venv / "bin" / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def start(self) -> float:
        """Run the README's one command; return the seconds until /readyz is 200."""
        ARTIFACTS.mkdir(exist_ok=True)
        log = open(self.log_path, "w")  # noqa: SIM115 — the child owns it
        started = time.monotonic()
        self.proc = subprocess.Popen(
            ["scripts/prod"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def ready() -> bool:
            assert self.proc is not None and self.proc.poll() is None, (
                f"scripts/prod exited; see {self.log_path}"
            )
            return get_json(self.base_url + "/readyz")[0] == 200

        wait("the topology turns ready", ready, 600, interval=1)
        return round(time.monotonic() - started, 1)

    def stop(self) -> None:
        if self.proc is not None:
            stop_group(self.proc, timeout=60)
            self.proc = None

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for raw in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            if raw.startswith("{"):
                with suppress(ValueError):
                    lines.append(json.loads(raw))
        return lines


def record_figures(name: str, figures: dict[str, Any]) -> None:
    """Measured recovery figures, quoted in docs/operations.md."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "ops-figures.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = figures
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    print(f"{name}: {figures}")
