"""The administrator's view of the whole audit log: filters, integrity check, CSV export."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from accounts.http import AuthedRequest, permission_or_404

from . import labels
from .models import Event
from .selectors import events_for_user, filter_events
from .services import verify_chain
from .spreadsheet import safe_writer


def _filtered(request: AuthedRequest) -> tuple[QuerySet[Event], dict[str, str]]:
    params = {
        key: request.GET.get(key, "").strip() for key in ("q", "filing", "actor", "action", "since", "until")
    }
    events = filter_events(events_for_user(request.user), **params)
    return events, params


@login_required
@permission_or_404("audit.view_audit_log")
def event_list(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    events, params = _filtered(request)
    if request.GET.get("format") == "csv":
        return _csv(events)
    timeline = bool(params["filing"])
    page = Paginator(events.order_by("sequence" if timeline else "-sequence"), 50).get_page(
        request.GET.get("page")
    )
    verification = verify_chain() if request.GET.get("verify") else None
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "verification": verification,
            "params": params,
            "timeline": timeline,
            "extra_query": query,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(events: QuerySet[Event]) -> StreamingHttpResponse:
    writer = safe_writer(_Echo())  # actor names and details are people's text

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow(
            [
                "sequence",
                "occurred_at",
                "actor",
                "action",
                "action_zh",
                "action_en",
                "filing_id",
                "subject",
                "data",
                "prev_hash",
                "hash",
            ]
        )
        for e in events.order_by("sequence").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.sequence,
                    timezone.localtime(e.occurred_at).isoformat(),
                    e.actor_label,
                    e.action,
                    labels.action_label_in(e.action, "zh-hans"),
                    labels.action_label_in(e.action, "en"),
                    e.filing_id or "",
                    f"{e.subject_type}:{e.subject_id or ''}",
                    labels.details_json(e.data),
                    e.prev_hash,
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{dt.date.today().isoformat()}.csv"'
    return response
