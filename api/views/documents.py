"""Documents: the checklist with each item's current version, upload a new version, download one."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from filings import downloads, selectors, services

from ..permissions import ReadScope, WriteScope, scoped
from ..serializers.documents import DocumentSerializer, DocumentUploadSerializer, RequirementSerializer
from .base import ApiView

PROBLEM = OpenApiResponse(description="Problem details (application/problem+json)")


class DocumentListView(ApiView):
    permission_classes = [scoped(ReadScope, WriteScope)]
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: RequirementSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """Every checklist item that applies to the filing, with its current document (or null)."""
        filing = self.filing(reference)
        current = {d.requirement_id: d for d in selectors.current_documents(filing)}
        english = (get_language() or "").startswith("en")
        rows: list[dict[str, Any]] = []
        for requirement in selectors.requirements_for(filing):
            document = current.get(requirement.pk)
            rows.append(
                {
                    "code": requirement.code,
                    "name": requirement.name_en if english else requirement.name_zh,
                    "required": requirement.required,
                    "is_legal_opinion": requirement.is_legal_opinion,
                    "current": DocumentSerializer(document).data if document else None,
                }
            )
        return Response(rows)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    def post(self, request: Request, reference: str) -> Response:
        """Upload a new version to a checklist item; the content is checked as on the web (type by its
        bytes, size, not the same file twice)."""
        filing = self.filing(reference)
        form = DocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        document = services.upload_document(
            filing_id=filing.pk,
            requirement_code=data["requirement"],
            upload=data["file"],
            by=request.user,
            language=data["language"],
            signer_count=data.get("signer_count"),
            conclusion_text=data.get("conclusion_text", ""),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentHistoryView(ApiView):
    @extend_schema(responses={200: DocumentSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """Every version of every document, newest first."""
        filing = self.filing(reference)
        documents = filing.documents.select_related("requirement", "uploaded_by").order_by("-uploaded_at")
        return Response(DocumentSerializer(documents, many=True).data)


class DocumentDownloadView(ApiView):
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY, 404: PROBLEM})
    def get(self, request: Request, reference: str, pk: int) -> FileResponse:
        """The stored file, as uploaded (the download is recorded in the audit log)."""
        return downloads.document_file(filing=self.filing(reference), document_id=pk, by=request.user)
