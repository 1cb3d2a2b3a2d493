"""The materials checklist: each item's current document and versions, uploads one by one or several
at once (the page sends each dropped file on its own and swaps that item's row in place)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest

from . import downloads, selectors, services
from .errors import FilingError, SectionLockedError
from .forms import DocumentUploadForm
from .models import Document, Filing
from .rules import can_prepare_filing


def _filing(request: AuthedRequest, reference: str) -> Filing:
    """The filing if the user may see it; otherwise a 404 (another organisation's filing does not exist)."""
    try:
        return selectors.filing_for_user(request.user, reference)
    except Filing.DoesNotExist as error:
        raise Http404 from error


def _can_upload(request: AuthedRequest, filing: Filing) -> bool:
    return bool(can_prepare_filing(request.user, filing) and filing.section_is_editable("documents"))


def _upload(request: AuthedRequest, filing: Filing, form: DocumentUploadForm) -> Document:
    """The one service call both the plain form and the page's file-by-file upload make."""
    return services.upload_document(
        filing_id=filing.pk,
        requirement_code=form.cleaned_data["requirement"],
        upload=form.cleaned_data["file"],
        by=request.user,
        language=form.cleaned_data["language"],
        signer_count=form.cleaned_data["signer_count"],
        conclusion_text=form.cleaned_data["conclusion_text"],
    )


def _uploaded_message(document: Document) -> str:
    return _("%(name)s uploaded as version %(version)s.") % {
        "name": document.original_name,
        "version": document.version,
    }


def _form_error(form: DocumentUploadForm) -> str:
    for field in ("file", "requirement", "language", "signer_count", "conclusion_text"):
        if field in form.errors:
            return str(form.errors[field][0])
    return _("Choose a file to upload.")


@login_required
def documents(request: AuthedRequest, reference: str) -> HttpResponse:
    """The checklist; without JavaScript each row's own form posts here and the page reloads."""
    filing = _filing(request, reference)
    can_upload = _can_upload(request, filing)
    form = DocumentUploadForm(request.POST or None, request.FILES or None) if can_upload else None
    if request.method == "POST" and form is not None:
        if form.is_valid():
            try:
                document = _upload(request, filing, form)
            except FilingError as error:
                messages.error(request, error.user_message)
            else:
                messages.success(request, _uploaded_message(document))
                return redirect(reverse("filings:documents", args=[filing.reference]))
        else:
            messages.error(request, _form_error(form))
    rows = selectors.document_rows(filing)
    return render(
        request,
        "filings/documents.html",
        {
            "filing": filing,
            "rows": rows,
            "can_upload": can_upload,
            "form": form or DocumentUploadForm(),
            "max_mb": settings.DOCUMENT_MAX_BYTES // 1048576,
        },
    )


@login_required
@require_POST
def document_upload(request: AuthedRequest, reference: str) -> JsonResponse:
    """One file of a multi-file drop: JSON with the item's new row, or the translated reason it was
    refused (the page shows it beside that file and stays where it was)."""
    filing = _filing(request, reference)
    if not _can_upload(request, filing):
        message = (
            SectionLockedError.default_message
            if can_prepare_filing(request.user, filing)
            else _("Only the issuer's own staff may edit this filing.")
        )
        return JsonResponse({"ok": False, "error": str(message)}, status=403)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": _form_error(form)}, status=400)
    try:
        document = _upload(request, filing, form)
    except FilingError as error:
        return JsonResponse({"ok": False, "error": str(error.user_message)}, status=422)
    context: dict[str, Any] = {
        "filing": filing,
        "row": selectors.document_rows(filing, only=document.requirement.code)[0],
        "can_upload": True,
    }
    return JsonResponse(
        {
            "ok": True,
            "requirement": document.requirement.code,
            "version": document.version,
            "message": _uploaded_message(document),
            "row": render_to_string("filings/_document_row.html", context, request=request),
        }
    )


@login_required
def document_download(request: AuthedRequest, reference: str, pk: int) -> FileResponse:
    return downloads.document_file(filing=_filing(request, reference), document_id=pk, by=request.user)
