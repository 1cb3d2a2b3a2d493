"""Waiver rulings from the review screens: the filings waiver service, behind the conflict check."""

from __future__ import annotations

from typing import Any

from filings.models import Waiver
from filings.waivers import rule_on_waiver

from ..errors import ConflictOfInterestError
from ..permissions import has_declared_conflict


def rule_on_waiver_request(*, waiver_id: int, grant: bool, note: str, by: Any) -> Waiver:
    """Grant or refuse a pending waiver; someone who declared a conflict on the filing may not."""
    filing_id = Waiver.objects.filter(pk=waiver_id).values_list("filing_id", flat=True).first()
    if filing_id is not None and has_declared_conflict(by, filing_id):
        raise ConflictOfInterestError()
    return rule_on_waiver(waiver_id=waiver_id, grant=grant, note=note, by=by)
