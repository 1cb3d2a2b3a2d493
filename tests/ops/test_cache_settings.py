"""The cache limits are counted in: Redis (shared by every process) with REDIS_URL, else memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; django.setup(); from django.core.cache import caches; "
    "from django.conf import settings; c = settings.CACHES['default']; "
    "print(json.dumps([type(caches['default']).__name__, c.get('LOCATION'), c.get('KEY_PREFIX')]))"
)


def cache_in_effect(module: str, **env: str) -> list:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_REDIS_URL", "CACHE_KEY_PREFIX"}
    }
    run = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_production_with_redis_counts_limits_in_redis_apart_from_celerys_keys():
    assert cache_in_effect("config.settings.prod", REDIS_URL="redis://127.0.0.1:6379/3") == [
        "TolerantRedisCache",
        "redis://127.0.0.1:6379/3",
        "filingdesk-cache",
    ]


def test_a_separate_cache_redis_can_be_named():
    assert cache_in_effect(
        "config.settings.prod",
        REDIS_URL="redis://127.0.0.1:6379/3",
        CACHE_REDIS_URL="redis://127.0.0.1:6379/4",
    )[:2] == ["TolerantRedisCache", "redis://127.0.0.1:6379/4"]


def test_without_redis_the_cache_is_the_processs_memory():
    assert cache_in_effect("config.settings.prod")[0] == "LocMemCache"
    assert cache_in_effect("config.settings.dev")[0] == "LocMemCache"
