"""The administrator's view of the whole audit log and its integrity check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rules.contrib.views import permission_required

from .selectors import events_for_user
from .services import verify_chain


@login_required
@permission_required("audit.view_audit_log", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    events = events_for_user(request.user).order_by("-sequence")
    action = request.GET.get("action", "").strip()
    filing = request.GET.get("filing", "").strip()
    if action:
        events = events.filter(action__icontains=action)
    if filing.isdigit():
        events = events.filter(filing_id=int(filing))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    verification = verify_chain() if request.GET.get("verify") else None
    return render(request, "audit/event_list.html",
                  {"page": page, "verification": verification, "action": action, "filing": filing})
