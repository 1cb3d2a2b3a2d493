"""Helpers the review views share: scoped lookups, role gates and running one service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404

from accounts.http import AuthedRequest
from filings.errors import BlockingFindingsError, FilingError
from filings.models import Filing
from filings.selectors import filing_for_user

from .. import selectors, services


def scoped_filing(request: AuthedRequest, reference: str) -> Filing:
    """The filing if the user may see it; otherwise a 404 (logged by desk.refusals, like every refusal)."""
    try:
        return filing_for_user(request.user, reference)
    except Filing.DoesNotExist as error:
        raise Http404 from error


def regulator_filing(request: AuthedRequest, reference: str) -> Filing:
    """A filing for the regulator's review screens (reviewers, leads; administrators read only)."""
    if not getattr(request.user, "is_regulator_staff", False):
        raise Http404
    filing = scoped_filing(request, reference)
    if selectors.needs_round_sync(filing):
        # A resubmission made from the filing page: open its round before anyone reads stale data.
        services.sync_review_round(filing_id=filing.pk)
        filing.refresh_from_db()
    return filing


def run(request: AuthedRequest, action: Callable[[], Any], success: str) -> Any:
    """Call one service; its refusal becomes a message on the next page, never a 500."""
    try:
        result = action()
    except BlockingFindingsError as error:
        messages.error(request, error.user_message)
        for finding in error.findings[:20]:
            messages.error(request, f"{finding.code}: {finding.message}")
        return None
    except FilingError as error:
        messages.error(request, error.user_message)
        return None
    messages.success(request, success)
    return result if result is not None else True


def form_errors(request: AuthedRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
