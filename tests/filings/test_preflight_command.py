"""`manage.py preflight <reference>`: findings, a summary line, and an exit status scripts can use."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from filings.compliance import WARNING
from filings.compliance.registry import Finding

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("preflight", *args, stdout=out)
    except SystemExit as exit_:
        return out.getvalue(), int(exit_.code)
    return out.getvalue(), 0


def test_blocking_findings_are_printed_and_exit_with_one(gapped_filing):
    ready_filing = gapped_filing
    output, status = _run(ready_filing.reference)

    lines = output.splitlines()
    assert status == 1
    assert lines[0].split()[:4] == ["BLOCKING", "RI-TRUE-SALE", "structure", "documents.TRUE-SALE-OPINION"]
    assert "BLOCKING  ASSET-TAPE          assets        assets.tape  No asset tape imported" in output
    assert (
        lines[-1]
        == f"{ready_filing.reference}: {len(lines) - 1} blocking, 0 warning(s) — submission refused."
    )


def test_messages_can_be_printed_in_chinese(gapped_filing):
    output, _status = _run(gapped_filing.reference, "--language", "zh-hans")

    assert "真实出售" in output  # checklist items are named in the reader's language


def test_no_blocking_finding_exits_with_zero(ready_filing, monkeypatch):
    warning = Finding("OFFER-FX", WARNING, "offering", "Explain the FX route.", "offering.fx_route")
    monkeypatch.setattr("filings.management.commands.preflight.run_preflight", lambda filing: [warning])

    output, status = _run(ready_filing.reference)

    assert status == 0
    assert output.splitlines() == [
        "WARNING   OFFER-FX            offering      offering.fx_route  Explain the FX route.",
        f"{ready_filing.reference}: 0 blocking, 1 warning(s) — ready to submit.",
    ]


def test_an_unknown_reference_is_a_clear_error_with_status_two(db):
    with pytest.raises(CommandError) as error:
        call_command("preflight", "FD-2099-99999", stdout=io.StringIO())

    assert (str(error.value), error.value.returncode) == ("No filing has the reference 'FD-2099-99999'.", 2)
