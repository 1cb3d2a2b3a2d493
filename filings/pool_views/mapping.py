"""The column-mapping step: the file's layout, which of its columns feeds each of ours, the required
columns' sources and the first rows as they will be stored, refreshed in place after every change."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from assets import selectors as pool_selectors
from assets import services as pool_services
from assets.errors import TapeImportError
from assets.forms import DATE_FORMATS, MappingForm
from assets.models import TapeUpload
from assets.reports import tape_errors
from assets.storage import local_tape_path
from assets.tape import (
    ColumnMapping,
    TapeReadError,
    get_schema,
    preview_file,
)
from assets.tape.sample import sample_conversion

from ..models import Filing
from .common import (
    can_change_pool,
    scoped_filing,
    start_import,
    upload_of,
)


def _has_extras(mapping: ColumnMapping) -> bool:
    """Options the mapping form has no fields for (they are edited as JSON)."""
    plain = ColumnMapping()
    return bool(
        mapping.value_maps
        or mapping.include_rows
        or mapping.fill_down
        or mapping.percent_columns
        or mapping.skip_total_rows != plain.skip_total_rows
        or any(not isinstance(source, str) for source in mapping.columns.values())
    )


def _live_context(filing: Filing, upload: TapeUpload, mapping: ColumnMapping) -> dict[str, Any]:
    """The parts of the mapping screen that follow every change: required columns and stored rows."""
    sample = sample_error = None
    try:
        with local_tape_path(upload.sha256) as path:
            sample = sample_conversion(
                str(path),
                asset_class=filing.asset_class,
                kind=upload.kind,
                mapping=mapping,
                cutoff_date=filing.cutoff_date,
            )
    except TapeReadError as problem:
        sample_error = tape_errors(
            {"errors": [{"code": problem.code, "row": problem.row, "params": problem.params}]}
        )[0]
    return {"filing": filing, "sample": sample, "sample_error": sample_error}


@login_required
@require_POST
def pool_mapping_check(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The required-columns panel and the stored-rows preview under the mapping as it stands in the form
    (the page posts here on every change and swaps the panel in place; nothing is saved)."""
    filing = scoped_filing(request, reference)
    upload = upload_of(filing, pk)
    schema = get_schema(filing.asset_class, upload.kind)
    form = MappingForm(request.POST, schema=schema, headers=request.POST.getlist("_headers"))
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return render(request, "assets/_mapping_live.html", {"filing": filing, "form_errors": errors})
    context = _live_context(filing, upload, form.cleaned_data["mapping"])
    return render(request, "assets/_mapping_live.html", context)


@login_required
def pool_mapping(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The column-mapping step: the file's layout and first rows, and which column feeds which of ours."""
    filing = scoped_filing(request, reference)
    upload = upload_of(filing, pk)
    can_change = can_change_pool(request, filing)
    schema = get_schema(filing.asset_class, upload.kind)
    mapping = ColumnMapping()
    saved_id = request.GET.get("saved")
    if saved_id and saved_id.isdigit():
        saved = (
            pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class, upload.kind)
            .filter(pk=int(saved_id))
            .first()
        )
        if saved is not None:
            mapping = ColumnMapping.coerce(saved.mapping)
    form: MappingForm | None = None
    if request.method == "POST" and can_change:
        probe = MappingForm(request.POST, schema=schema, headers=request.POST.getlist("_headers"))
        if probe.is_valid():
            mapping = probe.cleaned_data["mapping"]
            if request.POST.get("action") == "import":
                if probe.cleaned_data["save_as"]:
                    try:
                        pool_services.save_mapping(
                            by=request.user,
                            name=probe.cleaned_data["save_as"],
                            asset_class=filing.asset_class,
                            kind=upload.kind,
                            mapping=mapping,
                            filing_id=filing.pk,
                            pool_id=filing.pool_id,
                        )
                    except TapeImportError as error:
                        messages.error(request, error.user_message)
                    else:
                        messages.success(
                            request,
                            _("Mapping saved as %(name)s.") % {"name": probe.cleaned_data["save_as"].strip()},
                        )
                return start_import(request, filing, upload, mapping)
        else:
            form = probe
    preview = problem_error = None
    try:
        with local_tape_path(upload.sha256) as path:
            preview = preview_file(
                str(path), asset_class=filing.asset_class, kind=upload.kind, mapping=mapping
            )
    except TapeReadError as problem:
        problem_error = tape_errors(
            {"errors": [{"code": problem.code, "row": problem.row, "params": problem.params}]}
        )[0]
    headers = list(preview.headers) if preview else []
    shown = mapping
    if form is None:
        suggested = preview.suggestion.mapping if preview and preview.suggestion else ColumnMapping()
        shown = mapping.model_copy(update={"columns": {**suggested.columns, **mapping.columns}})
        initial = MappingForm.initial_for(shown)
        initial["mapping_json"] = (
            json.dumps(mapping.to_json(), ensure_ascii=False, indent=1) if _has_extras(mapping) else ""
        )
        form = MappingForm(initial=initial, schema=schema, headers=headers)
    live = _live_context(filing, upload, shown) if preview else {"sample": None}
    sample = live["sample"]
    found = {source.column.name for source in sample.sources if source.found} if sample else set()
    rows = form.column_rows()
    return render(
        request,
        "assets/mapping.html",
        {
            **live,
            # Required and recognised columns first; the rest folded (a tape rarely has them).
            "main_rows": [row for row in rows if row[0].required or row[0].name in found],
            "other_rows": [row for row in rows if not (row[0].required or row[0].name in found)],
            "filing": filing,
            "upload": upload,
            "can_change": can_change,
            "form": form,
            "preview": preview,
            "headers": headers,
            "error": problem_error,
            "suggestion": preview.suggestion if preview else None,
            "mapping_json": json.dumps(mapping.to_json(), ensure_ascii=False, indent=1),
            "date_formats": DATE_FORMATS,
        },
    )
