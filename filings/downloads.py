"""Files the web and the API both hand out, answered once: the lookup, the audit event, the response."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse

from assets import services as pool_services
from assets.models import TapeImport
from assets.reports import tape_errors
from assets.tape import errors_to_csv, errors_to_xlsx

from . import services
from .models import Filing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document_file(*, filing: Filing, document_id: int, by: Any) -> FileResponse:
    """One stored document version of the filing, as uploaded; the download is audited. 404 for a
    document of another filing."""
    document = filing.documents.filter(pk=document_id).select_related("requirement").first()
    if document is None:
        raise Http404
    services.record_download(document=document, by=by)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def report_attachment(*, filing: Filing, report_id: int, by: Any) -> FileResponse:
    """The document attached to a post-filing report; the download is audited. 404 for a report of
    another filing or one without a document."""
    from audit.services import record_event

    report = filing.material_events.exclude(attachment="").filter(pk=report_id).first()
    if report is None:
        raise Http404
    record_event(
        action="report.document_download",
        actor=by,
        subject=report,
        filing_id=filing.pk,
        data={"kind": report.kind, "sha256": report.attachment_sha256},
    )
    return FileResponse(report.attachment.open("rb"), as_attachment=True, filename=report.attachment_name)


def tape_error_report(*, filing: Filing, job: TapeImport, file_format: str, by: Any) -> HttpResponse:
    """An import's refused rows as CSV (UTF-8 with BOM) or XLSX; the download is audited."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    errors = tape_errors(job.result or {})
    pool_services.record_tape_download(job=job, by=by, what="errors", file_format=file_format)
    if file_format == "csv":
        response = HttpResponse(errors_to_csv(errors), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(errors_to_xlsx(errors), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{filing.reference}-import-{job.pk}-errors.{file_format}"'
    )
    return response
