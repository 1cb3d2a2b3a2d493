"""The issuer side of the review loop, notices and dossiers; the regulator's read-only queue and export."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import record_event
from filings import selectors as filing_selectors
from filings import services as filing_services
from filings.dossier.selectors import dossiers_for_user
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import DeficiencyItem, Notice

from ..permissions import AnswerScope, ReadScope, RegulatorRead, RenderScope, SubmitScope, scoped
from ..schema import paginated
from ..serializers.reviews import (
    AnswerSerializer,
    DossierRequestSerializer,
    DossierSerializer,
    NoticeSerializer,
    QueueRowSerializer,
    SupplementRequestSerializer,
)
from .base import ApiView
from .filings import Pages, detail_data

PROBLEM = OpenApiResponse(description="Problem details (application/problem+json)")


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _request_data(request_obj: Any) -> dict[str, Any]:
    responses = {r.item_id: r for r in request_obj.responses.select_related("answered_by")}
    items = []
    for row in request_obj.request_items.select_related("item").order_by("item__number"):
        item, response = row.item, responses.get(row.item_id)
        items.append(
            {
                "id": item.pk,
                "number": item.number,
                "question": row.question,
                "section": item.anchor_section,
                "field": item.anchor_path,
                "citation": item.citation,
                "status": item.status,
                "was_reopened": row.was_reopened,
                "reopen_note": row.reopen_note,
                "answer": None
                if response is None
                else {
                    "text": response.text,
                    "document": response.document_id,
                    "answered_by": response.answered_by.username,
                    "answered_at": response.answered_at,
                },
            }
        )
    return {
        "number": request_obj.number,
        "message": request_obj.message,
        "reopened_sections": list(request_obj.reopened_sections or []),
        "reply_due_date": request_obj.reply_due_date,
        "sent_at": request_obj.sent_at,
        "resubmitted_at": request_obj.resubmitted_at,
        "notice": request_obj.notice_id,
        "items": items,
    }


class SupplementRequestListView(ApiView):
    @extend_schema(responses={200: SupplementRequestSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """Every supplement request, newest first, with its numbered items and the answers so far."""
        filing = self.filing(reference)
        return Response([_request_data(r) for r in review_selectors.requests_for(filing)])


class ItemAnswerView(ApiView):
    permission_classes = [AnswerScope]

    @extend_schema(request=AnswerSerializer, responses={200: SupplementRequestSerializer, 409: PROBLEM})
    def put(self, request: Request, reference: str, pk: int) -> Response:
        """Answer one item of the open request (again, until resubmission), optionally citing a document."""
        filing = self.filing(reference)
        if not DeficiencyItem.objects.filter(pk=pk, filing=filing).exists():
            raise Http404
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review_services.answer_deficiency_item(
            item_id=pk,
            by=request.user,
            text=body.validated_data["text"],
            document_id=body.validated_data.get("document"),
        )
        return Response(_request_data(review_selectors.open_request(filing)))


class ResubmitView(ApiView):
    permission_classes = [SubmitScope]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT, 403: PROBLEM, 409: PROBLEM})
    def post(self, request: Request, reference: str) -> Response:
        """The signatory sends the answers back: snapshot N+1 is frozen and the reviewers are told."""
        filing = self.filing(reference)
        review_services.resubmit_answers(filing_id=filing.pk, by=request.user)
        return Response(detail_data(request, self.filing(reference)))


def _notice_data(request: Request, reference: str, notice: Notice) -> dict[str, Any]:
    english = _english()
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "number": notice.number,
        "title": notice.title_en if english else notice.title_zh,
        "text": notice.text_en if english else notice.text_zh,
        "issued_at": notice.issued_at,
        "text_sha256": notice.text_sha256,
        "pdf": request.build_absolute_uri(f"/api/v1/filings/{reference}/notices/{notice.pk}/pdf/"),
    }


class NoticeListView(ApiView):
    @extend_schema(responses={200: NoticeSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The notices issued on the filing (supplement requests, decisions), as issued."""
        filing = self.filing(reference)
        return Response([_notice_data(request, reference, n) for n in review_selectors.notices_for(filing)])


class NoticePdfView(ApiView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: PROBLEM})
    def get(self, request: Request, reference: str, pk: int) -> FileResponse:
        """The signed PDF of one notice."""
        filing = self.filing(reference)
        notice = review_selectors.notices_for(filing).filter(pk=pk).first()
        if notice is None:
            raise Http404
        notice = review_services.hand_out_notice_pdf(notice=notice, by=request.user)
        return FileResponse(
            notice.pdf.open("rb"),
            as_attachment=True,
            content_type="application/pdf",
            filename=f"{reference}-{notice.kind}-{notice.pk}.pdf",
        )


def _dossier_data(request: Request, reference: str, dossier: Any) -> dict[str, Any]:
    base = f"/api/v1/filings/{reference}/dossiers/{dossier.pk}/"
    done = dossier.status == "succeeded" and bool(dossier.pdf)
    return {
        "id": dossier.pk,
        "snapshot": dossier.snapshot.version,
        "language": dossier.language,
        "copy": dossier.copy,
        "status": dossier.status,
        "percent": dossier.percent,
        "sha256": dossier.sha256,
        "url": request.build_absolute_uri(base),
        "download": request.build_absolute_uri(base + "pdf/") if done else None,
    }


class DossierListView(ApiView):
    permission_classes = [scoped(ReadScope, RenderScope)]

    @extend_schema(responses={200: DossierSerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """Every dossier render of the filing's snapshots the caller may see."""
        filing = self.filing(reference)
        dossiers = dossiers_for_user(request.user, filing)
        return Response([_dossier_data(request, reference, d) for d in dossiers])

    @extend_schema(
        request=DossierRequestSerializer,
        responses={202: DossierSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM},
    )
    def post(self, request: Request, reference: str) -> Response:
        """Have a snapshot's dossier rendered (as the web's Dossier tab does): the render job to poll
        at its ``url``; the same render already under way is returned instead of a second one."""
        filing = self.filing(reference)
        body = DossierRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        snapshots = filing_selectors.snapshots_for(filing)
        version = body.validated_data.get("snapshot")
        snapshot = snapshots.filter(version=version).first() if version else snapshots.first()
        if snapshot is None:
            raise Http404
        job = filing_services.request_dossier(
            snapshot_id=snapshot.pk,
            language=body.validated_data["language"],
            copy=body.validated_data["copy"],
            by=request.user,
        )
        job.refresh_from_db()  # a render run inline (tests, embedded default) has moved on
        return Response(_dossier_data(request, reference, job), status=status.HTTP_202_ACCEPTED)


class DossierDetailView(ApiView):
    @extend_schema(responses={200: DossierSerializer, 404: PROBLEM})
    def get(self, request: Request, reference: str, pk: int) -> Response:
        """One render: its progress while it runs, then its download link."""
        filing = self.filing(reference)
        dossier = dossiers_for_user(request.user, filing).filter(pk=pk).first()
        if dossier is None:
            raise Http404
        return Response(_dossier_data(request, reference, dossier))


class DossierPdfView(ApiView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: PROBLEM})
    def get(self, request: Request, reference: str, pk: int) -> FileResponse:
        """A finished dossier PDF (sealed), recorded in the audit log."""
        filing = self.filing(reference)
        dossier = dossiers_for_user(request.user, filing).filter(pk=pk).first()
        if dossier is None or dossier.status != "succeeded" or not dossier.pdf:
            raise Http404
        filing_services.record_dossier_download(dossier=dossier, by=request.user)
        return FileResponse(
            dossier.pdf.open("rb"),
            as_attachment=True,
            filename=dossier.filename,
            content_type="application/pdf",
        )


class QueueView(ApiView):
    permission_classes = [RegulatorRead]

    @extend_schema(
        responses={200: paginated(QueueRowSerializer, "PaginatedQueueList"), 403: PROBLEM},
        operation_id="review_queue_list",
    )
    def get(self, request: Request) -> Response:
        """The reviewer's or lead's queue: filings under review within their scope (read-only)."""
        filings = review_selectors.reviewer_queue(request.user)
        paginator = Pages()
        page = paginator.paginate_queryset(filings, request, view=self)
        rows = [
            {
                "reference": f.reference,
                "title": f.title,
                "organisation": f.organisation.name_zh,
                "state": f.state,
                "submitted_at": f.submitted_at,
                "export": request.build_absolute_uri(f"/api/v1/review/filings/{f.reference}/export/"),
            }
            for f in page or []
        ]
        return paginator.get_paginated_response(rows)


class ExportView(ApiView):
    permission_classes = [RegulatorRead]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 403: PROBLEM, 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        """The latest snapshot of a filing in the caller's scope: the frozen data reviewers work on."""
        filing = self.filing(reference)
        snapshot = review_selectors.latest_snapshot(filing)
        if snapshot is None:
            raise Http404
        record_event(
            action="api.export",
            actor=request.user,
            subject=snapshot,
            filing_id=filing.pk,
            data={"snapshot": snapshot.version, "sha256": snapshot.sha256},
        )
        return Response(
            {
                "reference": filing.reference,
                "version": snapshot.version,
                "sha256": snapshot.sha256,
                "data": snapshot.data,
            }
        )
