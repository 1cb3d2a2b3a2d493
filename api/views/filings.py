"""Filings: list, create, read; pre-flight; attestations and submission (signatory tokens only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from filings import compliance, deadlines, selectors, services
from filings.compliance import jobs as preflight_jobs
from filings.workflow import FilingState

from ..permissions import ReadScope, SubmitScope, WriteScope, scoped
from ..schema import paginated
from ..selectors import filings_for_token
from ..serializers.filings import (
    AttestationSerializer,
    AttestationsWriteSerializer,
    FilingCreateSerializer,
    FilingDetailSerializer,
    FilingSerializer,
    PreflightSerializer,
)
from .base import ApiView

PROBLEM = {"description": "Problem details (application/problem+json)"}


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def _clocks(filing: Any) -> list[dict[str, Any]] | None:
    if filing.state == FilingState.DRAFT:
        return None
    return [
        {
            "name": str(clock.name),
            "label": clock.label,
            "status": str(clock.status),
            "limit": clock.limit,
            "used": clock.used,
            "days_left": clock.days_left,
            "due_date": clock.due_date,
            "overdue": clock.overdue,
        }
        for clock in deadlines.filing_clocks(filing)
    ]


def _finding_rows(findings: list[Any]) -> dict[str, Any]:
    return {
        "blocking": sum(1 for f in findings if f.severity == compliance.BLOCKING),
        "warning": sum(1 for f in findings if f.severity == compliance.WARNING),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "section": f.section,
                "field": f.field,
                "message": str(f.message),
                "waiver": getattr(f.waiver, "status", None),
            }
            for f in findings
        ],
    }


def _links(request: Request, filing: Any) -> dict[str, str]:
    base = f"/api/v1/filings/{filing.reference}/"
    paths = {
        "self": "",
        "preflight": "preflight/",
        "documents": "documents/",
        "tapes": "tapes/",
        "pool": "pool/",
        "attestations": "attestations/",
        "submit": "submit/",
        "supplement_requests": "supplement-requests/",
        "notices": "notices/",
        "dossiers": "dossiers/",
        **{f"section_{name}": f"sections/{name}/" for name in services.SECTION_MODELS},
    }
    return {name: request.build_absolute_uri(base + path) for name, path in paths.items()}


class FilingListView(ApiView):
    permission_classes = [scoped(ReadScope, WriteScope)]

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=FilingState.values),
            OpenApiParameter("q", str),
            OpenApiParameter("page", int),
        ],
        responses={200: paginated(FilingSerializer, "PaginatedFilingList")},
        operation_id="filings_list",
    )
    def get(self, request: Request) -> Response:
        """The filings this token reaches, newest first."""
        filings = selectors.search_filings(
            filings_for_token(request.user, self.token()),
            text=request.query_params.get("q", "").strip(),
            state=request.query_params.get("state", ""),
        )
        paginator = Pages()
        page = paginator.paginate_queryset(filings, request, view=self)
        data = FilingSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=FilingCreateSerializer, responses={201: FilingDetailSerializer, 400: PROBLEM})
    def post(self, request: Request) -> Response:
        """Open a new draft for the token owner's organisation."""
        if not request.user.is_issuer or self.token_pinned():
            raise PermissionDenied(_("Only an issuer's token that is not pinned to a filing can open one."))
        form = FilingCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        filing = services.create_filing(
            organisation=request.user.organisation, by=request.user, **form.validated_data
        )
        return Response(detail_data(request, filing), status=status.HTTP_201_CREATED)

    def token_pinned(self) -> bool:
        token = self.token()
        return token is not None and token.filing_id is not None


def detail_data(request: Request, filing: Any) -> dict[str, Any]:
    findings = _finding_rows(compliance.run_preflight(filing))
    data = dict(FilingSerializer(filing, context={"request": request}).data)
    data.update(
        {
            "clocks": _clocks(filing),
            "findings": {"blocking": findings["blocking"], "warning": findings["warning"]},
            "transitions": services.available_transitions(filing, request.user),
            "links": _links(request, filing),
        }
    )
    return data


class FilingDetailView(ApiView):
    @extend_schema(responses={200: FilingDetailSerializer, 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """One filing: state, clocks, a summary of the pre-flight findings and links to its parts."""
        return Response(detail_data(request, self.filing(reference)))


class PreflightView(ApiView):
    permission_classes = [scoped(ReadScope, WriteScope)]

    @extend_schema(responses={200: PreflightSerializer, 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The pre-flight findings; for a pool too large to check inline, those of the last finished run."""
        filing = self.filing(reference)
        if preflight_jobs.runs_as_job(filing):
            shown = preflight_jobs.latest_report(filing)
            if shown is None:
                return Response({"blocking": 0, "warning": 0, "findings": [], "pending": True})
            findings = [compliance.Finding.from_dict(frozen) for frozen in shown.findings]
            return Response(_finding_rows(compliance.attach_waivers(filing, findings)))
        return Response(_finding_rows(compliance.run_preflight(filing)))

    @extend_schema(request=None, responses={200: PreflightSerializer, 202: PreflightSerializer, 404: PROBLEM})
    def post(self, request: Request, reference: str) -> Response:
        """Run the pre-flight check now (a large pool is checked by a worker: poll GET)."""
        filing = self.filing(reference)
        if request.user.organisation_id != filing.organisation_id:
            raise PermissionDenied()
        if preflight_jobs.runs_as_job(filing):
            preflight_jobs.request_preflight(filing_id=filing.pk, by=request.user)
            return Response({"blocking": 0, "warning": 0, "findings": [], "pending": True}, status=202)
        return Response(_finding_rows(compliance.run_preflight(filing)))


class AttestationsView(ApiView):
    permission_classes = [scoped(ReadScope, SubmitScope)]

    @extend_schema(responses={200: AttestationSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The six prohibited circumstances, their answers and who signed them."""
        filing = self.filing(reference)
        return Response(self.rows(filing))

    @extend_schema(
        request=AttestationsWriteSerializer,
        responses={200: AttestationSerializer(many=True), 403: PROBLEM, 409: PROBLEM},
    )
    def put(self, request: Request, reference: str) -> Response:
        """The signatory answers and signs every circumstance (the same service as the web form)."""
        filing = self.filing(reference)
        form = AttestationsWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        answers = {a["code"]: (a["answer"], a["evidence"]) for a in form.validated_data["answers"]}
        services.sign_attestations(filing_id=filing.pk, answers=answers, by=request.user)
        return Response(self.rows(filing))

    @staticmethod
    def rows(filing: Any) -> list[dict[str, Any]]:
        return [
            {
                "code": a.code,
                "answer": a.answer,
                "evidence": a.evidence,
                "signed_by": a.signed_by.username if a.signed_by else None,
                "signed_at": a.signed_at,
            }
            for a in filing.attestations.select_related("signed_by").order_by("code")
        ]


class SubmitView(ApiView):
    permission_classes = [SubmitScope]

    @extend_schema(request=None, responses={200: FilingDetailSerializer, 403: PROBLEM, 409: PROBLEM})
    def post(self, request: Request, reference: str) -> Response:
        """Submit the draft: freezes snapshot 1 (refused with the blocking findings, if any)."""
        filing = self.filing(reference)
        services.submit_filing(filing_id=filing.pk, by=request.user)
        return Response(detail_data(request, self.filing(reference)))
