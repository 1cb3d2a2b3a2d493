"""The landing dashboard for each role, and the error pages."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from accounts.http import AuthedRequest
from accounts.selectors import users_for_user
from audit.selectors import events_for_user
from filings.selectors import LIST_DEFERRED, filings_for_user, reports_awaiting_acknowledgement
from filings.workflow import FilingState
from reviews.selectors import lead_overview, pending_declarations, queue_counts, reviewer_queue

DASHBOARD_ROWS = 10  # a dashboard shows what needs the person now; the lists behind it page


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    """What needs the person now, with counts and links to the full (paginated) lists."""
    user = request.user
    context: dict[str, object] = {}
    if user.is_issuer:
        filings = filings_for_user(user)
        context["filings"] = filings.defer(*LIST_DEFERRED).order_by("-updated_at", "-pk")[:DASHBOARD_ROWS]
        context["counts"] = filings.order_by().aggregate(
            total=Count("pk"), to_answer=Count("pk", filter=Q(state=FilingState.SUPPLEMENT_REQUESTED))
        )
        template = "desk/dashboard_issuer.html"
    elif user.is_reviewer:
        declarations = pending_declarations(user)
        context["declarations"] = declarations[:DASHBOARD_ROWS]
        context["declaration_count"] = declarations.count()
        context["counts"] = queue_counts(user)
        context["queue"] = reviewer_queue(user)[:DASHBOARD_ROWS]
        context["reports_due"] = reports_awaiting_acknowledgement(user)[:DASHBOARD_ROWS]
        template = "desk/dashboard_reviewer.html"
    elif user.is_lead_reviewer:
        context.update(lead_overview(user, limit=5))
        context["reports_due"] = reports_awaiting_acknowledgement(user)[:DASHBOARD_ROWS]
        template = "desk/dashboard_lead.html"
    elif user.is_administrator:
        context["users"] = users_for_user(user)[:10]
        context["events"] = events_for_user(user).order_by("-sequence")[:10]
        context["open_filings"] = filings_for_user(user).open().count()
        template = "desk/dashboard_admin.html"
    else:
        template = "desk/dashboard_none.html"
    return render(request, template, context)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    if _database_away():
        return database_unavailable(request)
    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)


def _database_away() -> bool:
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 in the person's language (their cookie or browser; never their profile, which is in the
    database), with no context processor that would touch the database again."""
    from django.template import loader

    language = translation.get_language_from_request(request)
    with translation.override(language):
        body = loader.get_template("errors/503.html").render({})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)
