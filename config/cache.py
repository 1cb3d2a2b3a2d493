"""The Redis cache, tolerant of Redis being away: a cache outage degrades what the cache counts,
it never fails a request.

What we keep in the cache are limits (the API's per-token rate, the refusal audit's dedupe and
flood control); losing them for a while is better than answering 500. So while Redis does not
answer, every operation behaves as on an empty cache that keeps nothing: ``get`` gives the default
(the throttle sees no history and lets the request through), ``add`` succeeds (whatever dedupes
with it does the work once more instead of skipping it: a refusal is audited twice rather than
not at all), ``incr`` starts a new count. It fails fast: short socket timeouts, no retries, and
after a failure Redis is left alone for ``RETRY_AFTER`` seconds (one log line, not one per call).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
FAST = {"socket_connect_timeout": 0.3, "socket_timeout": 0.5}


class TolerantRedisCache(RedisCache):
    """Django's Redis cache whose outage reads as an empty cache (see the module docstring)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        for name, value in FAST.items():
            options.setdefault(name, value)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        """Whether Redis failed within the last RETRY_AFTER seconds (no call tries it meanwhile)."""
        return time.monotonic() < self._down_until

    def _tolerant(self, call: Callable[[], T], fallback: T) -> T:
        if self.is_down:
            return fallback
        try:
            return call()
        except RedisError as error:
            with self._lock:
                first = not self.is_down
                self._down_until = time.monotonic() + RETRY_AFTER
            if first:
                logger.warning("Cache unavailable (%s); limits not counted for %.0f s", error, RETRY_AFTER)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._tolerant(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._tolerant(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._tolerant(lambda: RedisCache.has_key(self, key, version), False)

    def add(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> bool:
        return self._tolerant(lambda: RedisCache.add(self, key, value, timeout, version), True)

    def set(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> None:
        self._tolerant(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def set_many(self, data: dict[str, Any], timeout: Any = 300, version: int | None = None) -> list[Any]:
        return self._tolerant(lambda: RedisCache.set_many(self, data, timeout, version), [])

    def touch(self, key: Any, timeout: Any = 300, version: int | None = None) -> bool:
        return self._tolerant(lambda: RedisCache.touch(self, key, timeout, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._tolerant(lambda: RedisCache.incr(self, key, delta, version), delta)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._tolerant(lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._tolerant(lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self) -> None:
        self._tolerant(lambda: RedisCache.clear(self), None)
