"""The overview's pre-flight findings are stored with the version of the data they were computed on
and recomputed only when that data changes."""

from __future__ import annotations

import pytest

from filings import services
from filings.compliance import run_preflight
from filings.compliance.cache import current_findings, data_version
from filings.models import Filing

pytestmark = pytest.mark.django_db


def _codes(findings):
    return sorted((f.code, f.field) for f in findings)


def test_findings_come_from_the_store_until_a_section_changes(draft_filing, preparer):
    first = current_findings(draft_filing)
    stored = Filing.objects.get(pk=draft_filing.pk).preflight_cache
    assert stored["version"] == data_version(draft_filing)
    assert _codes(first) == _codes(run_preflight(draft_filing))

    again = current_findings(Filing.objects.get(pk=draft_filing.pk))
    assert _codes(again) == _codes(first)
    assert Filing.objects.get(pk=draft_filing.pk).preflight_cache == stored

    token = draft_filing.token
    services.update_section(
        filing_id=draft_filing.pk,
        section="token",
        by=preparer,
        expected_version=token.version,
        fields={"network": "Ethereum"},
        rows={},
    )
    changed = Filing.objects.get(pk=draft_filing.pk)
    assert data_version(changed) != stored["version"]
    assert _codes(current_findings(changed)) == _codes(run_preflight(changed))
    assert Filing.objects.get(pk=draft_filing.pk).preflight_cache["version"] == data_version(changed)
