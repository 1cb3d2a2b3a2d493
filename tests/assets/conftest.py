"""Filings with pools for the asset-pool tests, and small tapes to import into them."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.assets.fixtures.tapes import receivables, tape_csv


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def make_filing(preparer, asset_class: str, title: str = "测试应收账款 2026-1"):
    from filings.pool_views import pool_of
    from filings.services import create_filing

    filing = create_filing(
        organisation=preparer.organisation, title=title, asset_class=asset_class, by=preparer
    )
    pool_of(filing)
    filing.refresh_from_db()
    return filing


@pytest.fixture
def receivable_filing(preparer):
    return make_filing(preparer, "trade_receivable")


@pytest.fixture
def good_tape() -> bytes:
    """Twelve valid receivables, canonical English headers, cut-off 2025-12-31."""
    return tape_csv(receivables(12))
