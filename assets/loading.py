"""Writing a tape's canonical rows to the database in batches: COPY on PostgreSQL, a prepared INSERT
executed over the batch elsewhere (SQLite).

Rows are staged under their TapeImport (not yet current), one batch per transaction, so the job can
commit its progress between batches and memory holds one batch at a time. A refused or broken import
deletes what it staged; readers only ever see the rows of a current tape.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from django.db import connection, models, transaction

from assets.analytics.report import PoolReport
from assets.tape.perf import gc_paused

from .models import Asset, PeriodRow, TapeImport

Row = dict[str, Any]
# numeric(18, 2) holds amounts below 10^16; a larger one stays in the row's data only.
_AMOUNT_LIMIT: Final = Decimal(10) ** 16
# The canonical row is stored as the engine produced it, blanks as null: dropping them first would cost
# more time than the bytes it saves. Its only values JSON lacks are Decimal and date, whose str() is the
# stored form ("1234.50", "2025-12-31"); str as the fallback is called from C, at no Python frame's cost.
_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=str, check_circular=False
)


class RowWriter:
    """Inserts tuples in column order into one model's table."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = tuple(columns)
        self.use_copy = connection.vendor == "postgresql"
        self.json: Callable[[Any], Any] = _ENCODER.encode
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(name) for name in self.columns)
        self._sql = f"COPY {table} ({names}) FROM STDIN"
        self._insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(self.columns))})"

    def write(self, records: list[tuple[Any, ...]]) -> None:
        if not records:
            return
        if self.use_copy:
            with transaction.atomic(), connection.cursor() as cursor:
                # Staged rows are not current: if the server stops before they reach the disk, the retry
                # stages them again, so the batch need not wait for its WAL flush.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                raw = cursor.cursor  # psycopg 3's own cursor: Django's wrapper has no copy()
                with raw.copy(self._sql) as copy:
                    for record in records:
                        copy.write_row(record)
            return
        # One prepared INSERT run over the whole batch: bulk_create would build a model instance and
        # compile every value of every row (13 s of a 100 000-row tape, against 3 s this way).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self._insert, records)


ASSET_COLUMNS: Final = (
    "pool_id",
    "tape_id",
    "source_row",
    "asset_id",
    "obligor_group_id",
    "outstanding_amount",
    "original_amount",
    "maturity_date",
    "days_past_due",
    "eligible",
    "reasons",
    "data",
)
PERIOD_COLUMNS: Final = ("pool_id", "tape_id", "kind", "period", "source_row", "data")


def _amount(value: Any) -> Decimal | None:
    if value is None or not isinstance(value, Decimal) or abs(value) >= _AMOUNT_LIMIT:
        return None
    return value


class Stager:
    """The sink handed to run_import: stages each valid batch and, for pools, feeds it to the analytics.

    ``analytics`` (a PoolReport) accumulates the pool's figures batch by batch, so no batch is kept once
    staged. ``halted`` is set once the import has found an error: the tape will be refused, so later
    batches are neither written nor analysed.
    """

    def __init__(
        self,
        job: TapeImport,
        *,
        analytics: PoolReport | None = None,
        eligibility: Callable[[list[Row]], Mapping[int, list[str]]] | None = None,
    ) -> None:
        self.job = job
        self.eligibility = eligibility
        self.kind = job.kind
        self.stored = 0
        self.halted = False
        self.analytics = analytics
        if job.kind in ("assets",):
            self.writer = RowWriter(Asset, ASSET_COLUMNS)
        else:
            self.writer = RowWriter(PeriodRow, PERIOD_COLUMNS)
        self._no_reasons = self.writer.json([])

    @gc_paused()
    def __call__(self, rows: list[Row]) -> None:
        if self.halted or not rows:
            return
        pool_id, tape_id, encode = self.job.pool_id, self.job.pk, self.writer.json
        records: list[tuple[Any, ...]]
        if self.kind == "assets":
            # Each asset's eligibility is written with it, so no row is updated afterwards; the pool's
            # analytics evaluate it as they take the batch, with the pool's cut-off date.
            entries = self.analytics.add(rows) if self.analytics is not None else None
            failing: Mapping[int, list[str]]
            if entries is not None:
                failing = {entry["source_row"]: entry["reasons"] for entry in entries}
            else:
                failing = self.eligibility(rows) if self.eligibility is not None else {}
            none = self._no_reasons
            records = []
            for row in rows:
                reasons = failing.get(row["source_row"])
                records.append(
                    (
                        pool_id,
                        tape_id,
                        row["source_row"],
                        str(row.get("asset_id") or "")[:64],
                        str(row.get("obligor_group_id") or row.get("obligor_id") or "")[:64],
                        _amount(row.get("outstanding_amount")),
                        _amount(row.get("original_amount")),
                        row.get("maturity_date"),
                        row.get("days_past_due"),
                        reasons is None,
                        none if reasons is None else encode(reasons),
                        encode(row),
                    )
                )
        else:
            records = [
                (
                    pool_id,
                    tape_id,
                    self.kind,
                    _period(row),
                    row["source_row"],
                    encode(row),
                )
                for row in rows
            ]
        self.writer.write(records)
        self.stored += len(rows)


def _period(row: Mapping[str, Any]) -> str:
    value = row.get("period") or row.get("payment_date")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")[:10]


def discard_staged(job: TapeImport) -> None:
    """Delete every row the job staged (a refused tape, a broken run, or a retry starting over)."""
    Asset.objects.filter(tape_id=job.pk).delete()
    PeriodRow.objects.filter(tape_id=job.pk).delete()
