"""The worker's broker consumer, reconnecting every few seconds instead of backing off to 30 s.

Celery's consumer retries a lost broker connection after 2, 4, 6 … up to 30 s, so a worker could
sit idle for half a minute after Redis is back. Work queued during the outage (the outbox relay
sends it at once) should start within seconds: retry every 1–3 s instead. A retry is one TCP
connect to the broker: cheap.
"""

from __future__ import annotations

import functools
from typing import Any

from celery.worker.consumer import Consumer as CeleryConsumer


class Consumer(CeleryConsumer):  # type: ignore[misc]
    def ensure_connected(self, conn: Any) -> Any:
        conn.ensure_connection = functools.partial(
            conn.ensure_connection, interval_start=1, interval_step=1, interval_max=3
        )
        return super().ensure_connected(conn)
