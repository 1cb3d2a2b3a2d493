"""The assets of the tape in force, page by page, the ineligible ones with their reasons."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from assets import selectors as pool_selectors
from assets.models import TapeKind

from ..pool_labels import reason_labels
from .common import (
    ASSETS_PER_PAGE,
    criteria_of,
    scoped_filing,
)


def _asset_party(data: dict[str, Any]) -> str:
    """Who stands behind an asset: the obligor of a receivable or loan, the operator of a toll road."""
    for key in ("obligor_name", "obligor_id", "operator_name"):
        if data.get(key):
            return str(data[key])
    return ""


@login_required
def pool_assets(request: AuthedRequest, reference: str) -> HttpResponse:
    """The assets of the current tape, page by page; the ineligible ones with their reasons."""
    filing = scoped_filing(request, reference)
    tape = pool_selectors.current_tapes(filing.pool).get(TapeKind.ASSETS)  # type: ignore[arg-type]
    if tape is None:
        raise Http404
    ineligible = request.GET.get("ineligible") == "1"
    page = Paginator(pool_selectors.assets_of(tape, ineligible_only=ineligible), ASSETS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    criteria = criteria_of(filing)
    rows = [
        {
            "asset": asset,
            "labels": reason_labels(asset.reasons or [], criteria),
            "party": _asset_party(asset.data or {}),
        }
        for asset in page.object_list
    ]
    return render(
        request,
        "assets/assets.html",
        {
            "filing": filing,
            "tape": tape,
            "page": page,
            "rows": rows,
            "ineligible": ineligible,
            "toll": filing.asset_class == "toll_income",
            "extra_query": "ineligible=1" if ineligible else "",
        },
    )
