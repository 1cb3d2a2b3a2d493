"""The PostgreSQL side of staging a tape: COPY text built by us and sent by a writer thread on its own
connection while the job reads on. What goes in must come back exactly, and a failure in the thread
must reach the job instead of vanishing with it."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection

from assets import services
from assets.loading import ASSET_COLUMNS, RowWriter, encode_json
from assets.models import Asset, TapeImport
from filings.pool_views import pool_of
from filings.services import create_filing
from tests.assets.fixtures.tapes import receivables, tape_csv

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 12_000  # three batches of 5 000: the thread has queued work while the job reads on

AWKWARD = {
    2: {"asset_id": "A\\x\tb", "obligor_name": "名\n称 \\N 行\r尾"},
    3: {"asset_id": "B\\\\N", "obligor_name": 'C:\\路径\\"引号"\\u0041'},
    12_001: {"asset_id": "LAST\tONE", "obligor_name": "最后一行\\"},
}


def test_awkward_text_survives_the_copy_exactly_and_every_batch_is_committed(preparer):
    filing = create_filing(
        organisation=preparer.organisation, title="转义测试", asset_class="trade_receivable", by=preparer
    )
    pool = pool_of(filing)
    rows = receivables(ROWS)
    for source_row, cells in AWKWARD.items():
        rows[source_row - 2].update(cells)
    job = services.start_tape_import(
        pool_id=pool.pk,
        upload=io.BytesIO(tape_csv(rows)),
        kind="assets",
        mapping=None,
        by=preparer,
        enqueue=False,
    )

    services.run_tape_import(job.pk)  # outside any transaction, as a worker runs it

    job.refresh_from_db()
    assert (job.outcome, job.is_current, job.rows_stored) == ("accepted", True, ROWS)
    assert Asset.objects.filter(tape=job).count() == ROWS
    for source_row, cells in AWKWARD.items():
        asset = Asset.objects.get(tape=job, source_row=source_row)
        assert asset.asset_id == cells["asset_id"]
        assert asset.data["asset_id"] == cells["asset_id"]
        assert asset.data["obligor_name"] == cells["obligor_name"]
    plain = Asset.objects.get(tape=job, source_row=4)
    amount = Decimal(rows[2]["outstanding_amount"])
    assert (plain.asset_id, plain.outstanding_amount, plain.eligible, plain.reasons) == (
        "A0003",
        amount,
        True,
        [],
    )
    assert plain.data["outstanding_amount"] == str(amount)


def test_a_failure_in_the_writer_thread_is_raised_to_the_job(preparer):
    filing = create_filing(
        organisation=preparer.organisation, title="写入失败", asset_class="trade_receivable", by=preparer
    )
    pool = pool_of(filing)
    tape = TapeImport.objects.create(pool=pool, kind="assets", file_name="x.csv", sha256="0" * 64, size=1)
    # A tape row number below zero breaks the table's check constraint when the thread's COPY runs.
    record = (pool.pk, tape.pk, -1, "A1", "G1", None, None, None, None, True, "[]", encode_json({}))
    assert not connection.in_atomic_block
    writer = RowWriter(Asset, ASSET_COLUMNS)

    writer.write([record])  # queued: the check fails in the thread, not here

    with pytest.raises(IntegrityError):
        writer.close()
    with pytest.raises(IntegrityError):  # and nothing more is accepted after it
        writer.write([record])
    assert writer.stored == 0
    assert not Asset.objects.filter(tape=tape).exists()
