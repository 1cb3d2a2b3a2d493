"""The demo data shows pre-flight at work: one draft passes, one fails for the reasons the issue names."""

from __future__ import annotations

import pytest

from desk.demo import fill_filing, spoil_filing
from filings.compliance import BLOCKING, run_preflight
from filings.models import Filing
from filings.services import create_filing

pytestmark = pytest.mark.django_db


def test_the_complete_demo_filing_passes_preflight(ready_filing):
    assert [
        f.code for f in run_preflight(Filing.objects.get(pk=ready_filing.pk)) if f.severity == BLOCKING
    ] == []


def test_the_spoiled_demo_filing_names_scope_obligor_and_stablecoin(preparer, signatory):
    filing = create_filing(
        organisation=preparer.organisation, title="城投应收账款", asset_class="trade_receivable", by=preparer
    )
    fill_filing(filing, preparer, signatory, name_zh="甲发行人有限公司", code="91330000MA27U0001R")
    assert [f.code for f in run_preflight(Filing.objects.get(pk=filing.pk)) if f.severity == BLOCKING] == []

    spoil_filing(filing, preparer)

    blocking = {f.code for f in run_preflight(Filing.objects.get(pk=filing.pk)) if f.severity == BLOCKING}
    assert blocking == {"N42-SCOPE", "NEG-LGFV", "TOKEN-STABLECOIN"}
