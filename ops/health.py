"""/healthz (the process answers) and /readyz (it can serve: PostgreSQL, Redis, a worker per
queue seen recently, private storage writable, no unapplied migration), JSON for load balancers.

/readyz runs django-health-check's checks plus ours; 200 when every check passes, 503 naming the
ones that failed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from .celery_hooks import seen_key

QUEUES = ("default", "imports", "pdf")


@dataclasses.dataclass
class WorkersSeen(HealthCheck):
    """At least one worker per queue marked itself alive in Redis within OPS_WORKER_SEEN_SECONDS."""

    queues: tuple[str, ...] = QUEUES

    def run(self) -> None:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            missing = [
                q for q in self.queues if not next(client.scan_iter(match=seen_key(q), count=1000), None)
            ]
        except redis.RedisError as error:
            raise ServiceUnavailable("Redis unreachable: cannot tell which workers are alive") from error
        finally:
            client.close()
        if missing:
            raise ServiceUnavailable(f"no worker seen recently for queue(s): {', '.join(missing)}")


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration the code ships is applied to the database (a release step ran)."""

    alias: str = "default"

    def run(self) -> None:
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:
            raise ServiceUnavailable("cannot read the migration state") from error
        finally:
            if not connection.in_atomic_block:  # a probe thread's own connection: give it back
                connection.close()
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            raise ServiceUnavailable(f"{len(plan)} unapplied migration(s): {names}")


def _redis_client() -> Any:
    from redis.asyncio import Redis as AsyncRedis

    return AsyncRedis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def readiness_checks() -> list[tuple[str, HealthCheck]]:
    checks: list[tuple[str, HealthCheck]] = [
        ("database", Database()),
        ("migrations", Migrations()),
        ("private_storage", Storage(alias="default")),
    ]
    if settings.REDIS_URL:  # without it tasks run in-process: there is no Redis or worker to wait for
        checks += [("redis", Redis(client_factory=_redis_client)), ("workers", WorkersSeen())]
    return checks


class ReadyzView(HealthCheckView):
    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        named = readiness_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for _name, check in named))
        report = {
            name: "ok" if result.error is None else str(result.error)
            for (name, _check), result in zip(named, results, strict=True)
        }
        failed = sorted(name for name, value in report.items() if value != "ok")
        return JsonResponse(
            {"status": "ok" if not failed else "unavailable", "failed": failed, "checks": report},
            status=200 if not failed else 503,
        )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches neither the database nor Redis."""
    return JsonResponse({"status": "ok"})
