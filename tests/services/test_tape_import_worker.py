"""Tape imports on a real Celery worker and PostgreSQL: progress is visible while the rows stream in
(COPY, batch by batch), and the tape switches to current only once the whole file is valid."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from assets import services
from assets.models import Asset, AssetPool, TapeImport
from filings.pool_views import pool_of
from filings.services import create_filing
from tests.assets.fixtures.tapes import receivables, tape_csv
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 60_000


def big_tape(count: int, **overrides: str) -> bytes:
    return tape_csv(
        [{**row, "obligor_id": f"OB{i % 500:04d}"} for i, row in enumerate(receivables(count, **overrides))]
    )


def test_a_large_tape_streams_into_postgresql_with_live_progress(celery_worker, preparer):
    assert connection.vendor == "postgresql"
    filing = create_filing(
        organisation=preparer.organisation, title="大文件导入", asset_class="trade_receivable", by=preparer
    )
    pool = pool_of(filing)

    job = services.start_tape_import(
        pool_id=pool.pk, upload=io.BytesIO(big_tape(ROWS)), kind="assets", mapping=None, by=preparer
    )
    seen: list[tuple[str, int, int]] = []

    def finished() -> bool:
        row = TapeImport.objects.get(pk=job.pk)
        progress = row.progress or {}
        seen.append((progress.get("stage", ""), progress.get("rows_read", 0), progress.get("rows_stored", 0)))
        return row.is_done

    wait_for(finished, timeout=180, interval=0.05)

    job.refresh_from_db()
    assert (job.outcome, job.is_current, job.rows_stored, job.attempts) == ("accepted", True, ROWS, 1)
    assert Asset.objects.filter(tape=job).count() == ROWS
    # Progress was committed while the import ran, outside the rows it was staging.
    partial = [stored for stage, _read, stored in seen if stage == "reading" and 0 < stored < ROWS]
    assert partial, seen[:20]
    assert AssetPool.objects.get(pk=pool.pk).analytics["overview"]["asset_count"] == ROWS


def test_a_refused_tape_on_the_worker_leaves_the_current_one_in_force(celery_worker, preparer):
    filing = create_filing(
        organisation=preparer.organisation, title="拒绝导入", asset_class="trade_receivable", by=preparer
    )
    pool = pool_of(filing)
    good = services.start_tape_import(
        pool_id=pool.pk, upload=io.BytesIO(big_tape(1_000)), kind="assets", mapping=None, by=preparer
    )
    wait_for(lambda: TapeImport.objects.get(pk=good.pk).is_done, timeout=60)
    rows = receivables(20_000)
    rows[-1]["maturity_date"] = "1980-01-01"  # the very last row is wrong: every earlier batch was staged

    bad = services.start_tape_import(
        pool_id=pool.pk, upload=io.BytesIO(tape_csv(rows)), kind="assets", mapping=None, by=preparer
    )
    wait_for(lambda: TapeImport.objects.get(pk=bad.pk).is_done, timeout=120)

    bad.refresh_from_db()
    assert bad.outcome == "refused"
    assert [(e["row"], e["column"]) for e in bad.result["errors"]][:1] == [(20_001, "maturity_date")]
    assert Asset.objects.filter(tape=bad).count() == 0
    assert list(TapeImport.objects.filter(pool=pool, is_current=True)) == [TapeImport.objects.get(pk=good.pk)]
    assert Asset.objects.filter(pool=pool).count() == 1_000
