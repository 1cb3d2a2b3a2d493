"""Getting a tape in: the blank templates and column guide, the upload, and an import's progress, report
and error files."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from assets import selectors as pool_selectors
from assets import services as pool_services
from assets.errors import PoolLockedError, TapeImportError
from assets.forms import TapeUploadForm
from assets.models import TapeImport
from assets.reports import tape_errors
from assets.storage import local_tape_path, open_tape
from assets.tape import (
    TapeReadError,
    column_guide,
    kinds_for,
    preview_file,
    template_csv,
    template_xlsx,
)

from .. import downloads, pools
from ..models import Filing
from .common import (
    ERRORS_PER_PAGE,
    XLSX,
    can_change_pool,
    job_of,
    pool_of,
    pool_url,
    scoped_filing,
    start_import,
    tape_templates,
)


@login_required
def pool_template(request: AuthedRequest, reference: str, kind: str, fmt: str) -> HttpResponse:
    """A blank tape template of the filing's asset class: CSV per table, or one XLSX with every table."""
    filing = scoped_filing(request, reference)
    language: Literal["zh", "en"] = "en" if request.GET.get("lang") == "en" else "zh"
    if kind not in kinds_for(filing.asset_class) or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        body, content_type = template_csv(filing.asset_class, kind, language), "text/csv; charset=utf-8"
        name = f"{filing.asset_class}-{kind}-template-{language}.csv"
    else:
        body, content_type = template_xlsx(filing.asset_class, language), XLSX
        name = f"{filing.asset_class}-template-{language}.xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pool_guide(request: AuthedRequest, reference: str) -> HttpResponse:
    """What every column of the templates means, in both header languages."""
    filing = scoped_filing(request, reference)
    tables = [
        {
            "label": entry["label"],
            "columns": zip(
                column_guide(filing.asset_class, entry["kind"], "zh"),
                column_guide(filing.asset_class, entry["kind"], "en"),
                strict=True,
            ),
        }
        for entry in tape_templates(filing.asset_class)
    ]
    return render(request, "assets/guide.html", {"filing": filing, "tables": tables})


@login_required
@require_POST
def pool_upload(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = scoped_filing(request, reference)
    if not can_change_pool(request, filing):
        messages.error(request, str(PoolLockedError.default_message))
        return redirect(pool_url(filing))
    kinds = kinds_for(filing.asset_class)
    mappings = pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class)
    form = TapeUploadForm(request.POST, request.FILES, kinds=kinds, mappings=mappings)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(pool_url(filing))
    if form.cleaned_data["cutoff_date"]:
        pools.set_cutoff_date(filing=filing, cutoff=form.cleaned_data["cutoff_date"], by=request.user)
    pool = pool_of(filing)
    kind = form.cleaned_data["kind"]
    try:
        upload = pool_services.receive_tape(
            pool_id=pool.pk, upload=form.cleaned_data["file"], kind=kind, by=request.user
        )
    except TapeImportError as error:
        messages.error(request, error.user_message)
        return redirect(pool_url(filing))
    saved = form.cleaned_data["saved_mapping"]
    mapping_url = reverse("filings:pool_mapping", args=[filing.reference, upload.pk])
    if saved is not None and saved.kind != kind:
        messages.error(request, _("The saved mapping %(name)s is for another table.") % {"name": saved.name})
        return redirect(mapping_url)
    mapping = saved.mapping if saved is not None else None
    if form.cleaned_data["review_mapping"]:
        query = f"?saved={saved.pk}" if saved is not None else ""
        return redirect(mapping_url + query)
    if saved is None:
        try:
            with local_tape_path(upload.sha256) as path:
                preview = preview_file(str(path), asset_class=filing.asset_class, kind=kind, sample_rows=1)
        except TapeReadError:
            preview = None  # the import reports why the file cannot be read, row by row
        if preview is not None and preview.suggestion is not None and preview.suggestion.missing_required:
            messages.info(
                request,
                _("Some required columns were not recognised in %(name)s: map them to the file's columns.")
                % {"name": upload.file_name},
            )
            return redirect(mapping_url)
    return start_import(request, filing, upload, mapping)


def _import_context(filing: Filing, job: TapeImport) -> dict[str, Any]:
    return {"filing": filing, "job": job, "progress": job.progress or {}}


@login_required
def pool_import(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """One import: its progress while it runs, then its report with the errors, page by page."""
    filing = scoped_filing(request, reference)
    job = job_of(filing, pk)
    result = job.result or {}
    errors = tape_errors(result)
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    sources = sorted((result.get("column_sources") or {}).items())
    context = {
        **_import_context(filing, job),
        "result": result,
        "page": page,
        "warnings": tape_errors(result, "warnings"),
        "sources": sources,
        "mapping_json": json.dumps(job.mapping, ensure_ascii=False, indent=1),
        "can_change": can_change_pool(request, filing),
        "retry_upload": pool_selectors.latest_upload(job.pool, job.sha256, job.kind),
    }
    return render(request, "assets/import.html", context)


@login_required
def pool_import_status(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The progress card, polled by HTMX every second while the job runs."""
    filing = scoped_filing(request, reference)
    job = job_of(filing, pk)
    response = render(request, "assets/_import_status.html", _import_context(filing, job))
    if job.is_done and request.htmx and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # show the report and the new figures
    return response


@login_required
def pool_import_errors(request: AuthedRequest, reference: str, pk: int, fmt: str) -> HttpResponse:
    filing = scoped_filing(request, reference)
    job = job_of(filing, pk)
    return downloads.tape_error_report(filing=filing, job=job, file_format=fmt, by=request.user)


@login_required
def pool_tape_file(request: AuthedRequest, reference: str, pk: int) -> FileResponse:
    """The original file of an import, from private storage."""
    filing = scoped_filing(request, reference)
    job = job_of(filing, pk)
    pool_services.record_tape_download(job=job, by=request.user, what="tape")
    return FileResponse(open_tape(job.sha256), as_attachment=True, filename=job.file_name)
