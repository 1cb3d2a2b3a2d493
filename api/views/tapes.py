"""Asset tapes: upload starts an import job; poll it; read the pool figures and the row errors (paged,
or as the same CSV/XLSX report the web offers)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from assets import selectors as pool_selectors
from assets import services as pool_services
from assets.models import TapeImport
from assets.reports import tape_errors
from filings import downloads, pools

from ..permissions import ReadScope, TapesScope, scoped
from ..schema import paginated
from ..serializers.documents import (
    SavedMappingSerializer,
    TapeErrorSerializer,
    TapeJobSerializer,
    TapeUploadSerializer,
)
from .base import ApiView
from .filings import Pages

PROBLEM = OpenApiResponse(description="Problem details (application/problem+json)")


def job_data(request: Request, reference: str, job: TapeImport) -> dict[str, Any]:
    result = job.result or {}
    base = f"/api/v1/filings/{reference}/tapes/{job.pk}/"
    return {
        "id": job.pk,
        "kind": job.kind,
        "file_name": job.file_name,
        "sha256": job.sha256,
        "size": job.size,
        "status": job.status,
        "percent": job.percent,
        "stage": str((job.progress or {}).get("stage") or ""),
        "outcome": job.outcome,
        "is_current": job.is_current,
        "rows_read": result.get("rows_read"),
        "rows_valid": result.get("rows_valid"),
        "rows_invalid": result.get("rows_invalid"),
        "error_count": int(result.get("error_count") or 0),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "links": {
            "self": request.build_absolute_uri(base),
            "errors": request.build_absolute_uri(base + "errors/"),
            "errors_csv": request.build_absolute_uri(base + "errors.csv"),
            "errors_xlsx": request.build_absolute_uri(base + "errors.xlsx"),
            "pool": request.build_absolute_uri(f"/api/v1/filings/{reference}/pool/"),
        },
    }


class TapesMixin(ApiView):
    def job(self, reference: str, pk: int) -> tuple[Any, TapeImport]:
        filing = self.filing(reference)
        if filing.pool_id is None:
            raise Http404
        try:
            return filing, pool_selectors.import_for_pool(filing.pool, pk)  # type: ignore[arg-type]
        except TapeImport.DoesNotExist as error:
            raise Http404 from error


class TapeListView(TapesMixin):
    permission_classes = [scoped(ReadScope, TapesScope)]
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: TapeJobSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The filing's tape imports, newest first."""
        filing = self.filing(reference)
        if filing.pool_id is None:
            return Response([])
        jobs = pool_selectors.imports_for_pool(filing.pool)[:50]  # type: ignore[arg-type]
        return Response([job_data(request, reference, job) for job in jobs])

    @extend_schema(
        request={"multipart/form-data": TapeUploadSerializer},
        responses={202: TapeJobSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    def post(self, request: Request, reference: str) -> Response:
        """Upload a tape: it is stored and imported by a worker; poll the job it returns."""
        filing = self.filing(reference)
        form = TapeUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        mapping: Any = data.get("mapping_json")
        if data.get("mapping"):
            saved = (
                pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class, data["kind"])
                .filter(name=data["mapping"].strip())
                .first()
            )
            if saved is None:
                raise serializers.ValidationError({"mapping": [_("No saved mapping has this name.")]})
            mapping = saved.mapping
        # The same order as the upload screen: check the pool may change before touching the filing.
        pool = pools.ensure_pool(filing)
        upload = pool_services.receive_tape(
            pool_id=pool.pk, upload=data["file"], kind=data["kind"], by=request.user
        )
        if data.get("cutoff_date"):
            pools.set_cutoff_date(filing=filing, cutoff=data["cutoff_date"], by=request.user)
        job = pools.start_filing_import(filing=filing, upload=upload, mapping=mapping, by=request.user)
        job.refresh_from_db()
        return Response(job_data(request, reference, job), status=status.HTTP_202_ACCEPTED)


class TapeJobView(TapesMixin):
    @extend_schema(responses={200: TapeJobSerializer, 404: PROBLEM})
    def get(self, request: Request, reference: str, pk: int) -> Response:
        """The import's progress while it runs, then its outcome (accepted or refused, with error count)."""
        _filing, job = self.job(reference, pk)
        return Response(job_data(request, reference, job))


class TapeErrorsView(TapesMixin):
    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: paginated(TapeErrorSerializer, "PaginatedTapeErrorList"), 404: PROBLEM},
        operation_id="filings_tapes_errors_list",
    )
    def get(self, request: Request, reference: str, pk: int) -> Response:
        """The rows the import refused and why, in row order, page by page (in the client's language)."""
        _filing, job = self.job(reference, pk)
        errors = [
            {"code": e.code, "row": e.row, "column": e.column, "value": e.value, "message": e.message}
            for e in tape_errors(job.result or {})
        ]
        paginator = Pages()
        page = paginator.paginate_queryset(errors, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(page)


class TapeErrorReportView(TapesMixin):
    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["csv", "xlsx"])],
        responses={(200, "*/*"): OpenApiTypes.BINARY, 404: PROBLEM},
    )
    def get(self, request: Request, reference: str, pk: int, fmt: str) -> HttpResponse:
        """The same error report the web offers, as CSV (UTF-8 with BOM) or XLSX."""
        filing, job = self.job(reference, pk)
        return downloads.tape_error_report(filing=filing, job=job, file_format=fmt, by=request.user)


class PoolView(ApiView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The pool figures: the tape in force and the stored analytics (as frozen into a snapshot)."""
        filing = self.filing(reference)
        return Response(pool_selectors.pool_snapshot(filing.pool))


class SavedMappingListView(ApiView):
    @extend_schema(responses={200: SavedMappingSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The column mappings the organisation saved for this filing's asset class (name them on upload)."""
        filing = self.filing(reference)
        mappings = pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class)
        return Response([{"name": m.name, "kind": m.kind} for m in mappings])
