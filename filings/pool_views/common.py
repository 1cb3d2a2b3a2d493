"""What every pool screen shares: the filing in the user's scope, whether they may change its pool, the
import start and the redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthedRequest
from assets import selectors as pool_selectors
from assets.errors import DuplicateTapeError, TapeImportError
from assets.models import AssetPool, TapeImport, TapeKind, TapeUpload
from assets.tape import (
    ColumnMapping,
    kinds_for,
)

from .. import pools, selectors
from ..models import Filing
from ..rules import can_import_tapes, can_see_pool

ERRORS_PER_PAGE = 50

ASSETS_PER_PAGE = 50

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pool_of(filing: Filing) -> AssetPool:
    """The filing's pool, created on first use."""
    return pools.ensure_pool(filing)


legal_final_maturity = pools.legal_final_maturity

criteria_of = pools.criteria_of


def scoped_filing(request: AuthedRequest, reference: str) -> Filing:
    """The filing if the user may see it and its pool (an agent only with the tapes scope); else 404."""
    try:
        filing = selectors.filing_for_user(request.user, reference)
    except Filing.DoesNotExist as error:
        raise Http404 from error
    if not can_see_pool(request.user, filing):
        raise Http404
    return filing


def can_change_pool(request: AuthedRequest, filing: Filing) -> bool:
    return bool(can_import_tapes(request.user, filing) and filing.section_is_editable("assets"))


def pool_url(filing: Filing) -> str:
    return reverse("filings:pool", args=[filing.reference])


def import_url(filing: Filing, job: TapeImport) -> str:
    return reverse("filings:pool_import", args=[filing.reference, job.pk])


def job_of(filing: Filing, pk: int) -> TapeImport:
    if filing.pool_id is None:
        raise Http404
    try:
        return pool_selectors.import_for_pool(filing.pool, pk)  # type: ignore[arg-type]
    except TapeImport.DoesNotExist as error:
        raise Http404 from error


def start_import(
    request: AuthedRequest, filing: Filing, upload: TapeUpload, mapping: ColumnMapping | dict[str, Any] | None
) -> HttpResponse:
    try:
        job = pools.start_filing_import(filing=filing, upload=upload, mapping=mapping, by=request.user)
    except DuplicateTapeError as error:
        messages.info(request, error.user_message)
        return redirect(import_url(filing, error.existing))
    except TapeImportError as error:
        messages.error(request, error.user_message)
        return redirect(pool_url(filing))
    messages.success(request, _("%(name)s is being imported.") % {"name": upload.file_name})
    return redirect(import_url(filing, job))


def tape_templates(asset_class: str) -> list[dict[str, Any]]:
    labels = dict(TapeKind.choices)
    return [{"kind": kind, "label": labels[kind]} for kind in kinds_for(asset_class)]


def upload_of(filing: Filing, pk: int) -> TapeUpload:
    if filing.pool_id is None:
        raise Http404
    try:
        return pool_selectors.upload_for_pool(filing.pool, pk)  # type: ignore[arg-type]
    except TapeUpload.DoesNotExist as error:
        raise Http404 from error
