"""The pool's tables: one current tape per table, and what an import's outcome means."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from assets.models import AssetPool, TapeImport

pytestmark = pytest.mark.django_db


def tape(pool, **fields):
    return TapeImport.objects.create(
        pool=pool, kind="assets", file_name="t.csv", sha256="a" * 64, size=1, **fields
    )


def test_a_pool_has_at_most_one_current_tape_per_table(issuer_org):
    pool = AssetPool.objects.create(organisation=issuer_org, asset_class="toll_income")
    tape(pool, is_current=True)
    TapeImport.objects.create(
        pool=pool, kind="history", file_name="h.csv", sha256="b" * 64, size=1, is_current=True
    )
    tape(pool, is_current=False)

    with pytest.raises(IntegrityError):
        tape(pool, is_current=True)


@pytest.mark.parametrize(
    ("status", "ok", "outcome"),
    [
        ("queued", None, "queued"),
        ("running", None, "running"),
        ("succeeded", True, "accepted"),
        ("succeeded", False, "refused"),
        ("failed", None, "failed"),
    ],
)
def test_outcome_tells_a_refused_tape_from_a_failed_job(issuer_org, status, ok, outcome):
    pool = AssetPool.objects.create(organisation=issuer_org, asset_class="trade_receivable")

    job = tape(pool, status=status, result={} if ok is None else {"ok": ok})

    assert job.outcome == outcome


def test_deleting_a_tape_or_its_pool_deletes_its_rows_without_a_database_constraint(issuer_org):
    from assets.models import Asset, PeriodRow

    pool = AssetPool.objects.create(organisation=issuer_org, asset_class="toll_income")
    kept_pool = AssetPool.objects.create(organisation=issuer_org, asset_class="toll_income")
    first, second, other = tape(pool), tape(pool), tape(kept_pool)
    for owner in (first, second, other):
        Asset.objects.create(pool=owner.pool, tape=owner, source_row=2, asset_id="T1")
        PeriodRow.objects.create(pool=owner.pool, tape=owner, kind="history", period="2025-01", source_row=2)

    first.delete()
    assert list(Asset.objects.values_list("tape_id", flat=True).order_by("tape_id")) == [second.pk, other.pk]
    assert PeriodRow.objects.filter(tape_id=first.pk).count() == 0

    pool.delete()
    assert list(Asset.objects.values_list("tape_id", flat=True)) == [other.pk]
    assert list(PeriodRow.objects.values_list("tape_id", flat=True)) == [other.pk]
