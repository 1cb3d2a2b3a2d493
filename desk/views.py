"""The landing dashboard for each role, and the error pages."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.models import User
from accounts.selectors import users_for_user
from audit.selectors import events_for_user
from filings.compliance.registry import SECTION_LABELS
from filings.errors import BlockingFindingsError, FilingError
from filings.models import DelegationScope
from filings.selectors import (
    LIST_DEFERRED,
    delegations_for_agent,
    filings_for_user,
    reports_awaiting_acknowledgement,
)
from filings.services import SECTION_MODELS
from filings.workflow import FilingState
from reviews.selectors import lead_overview, pending_declarations, queue_counts, reviewer_queue
from reviews.selectors.items import issuer_items

from . import services
from .selectors import task_inbox, unsure_years

DASHBOARD_ROWS = 10  # a dashboard shows what needs the person now; the lists behind it page


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    """What needs the person now, with counts and links to the full (paginated) lists."""
    user = request.user
    context: dict[str, object] = {}
    if user.is_issuer:
        filings = filings_for_user(user)
        context["filings"] = filings.defer(*LIST_DEFERRED).order_by("-updated_at", "-pk")[:DASHBOARD_ROWS]
        # Filings awaiting answers are in the task inbox, with their reply due dates.
        context["counts"] = filings.order_by().aggregate(total=Count("pk"))
        context["tasks"] = task_inbox(user)
        template = "desk/dashboard_issuer.html"
    elif user.is_reviewer:
        declarations = pending_declarations(user)
        first, count = list(declarations[:DASHBOARD_ROWS]), declarations.count()
        context["declarations"], context["declaration_count"] = first, count
        context["provisional_years"] = unsure = unsure_years()
        context["tasks"] = task_inbox(user, declarations=(first, count), unsure=unsure)
        context["counts"] = queue_counts(user)
        context["queue"] = reviewer_queue(user)[:DASHBOARD_ROWS]
        context["reports_due"] = reports_awaiting_acknowledgement(user)[:DASHBOARD_ROWS]
        template = "desk/dashboard_reviewer.html"
    elif user.is_lead_reviewer:
        overview = lead_overview(user, limit=5)
        context.update(overview)
        unsure = unsure_years()  # its rows mark their own provisional dates (reviews' queue rows)
        context["tasks"] = task_inbox(
            user, decisions=(list(overview["to_confirm"]), overview["to_confirm_count"]), unsure=unsure
        )
        context["reports_due"] = reports_awaiting_acknowledgement(user)[:DASHBOARD_ROWS]
        template = "desk/dashboard_lead.html"
    elif user.is_agent:
        context["delegations"] = _agent_worklist(user)
        context["tasks"] = task_inbox(user)  # the tape imports they ran
        template = "desk/dashboard_agent.html"
    elif user.is_administrator:
        context["tasks"] = task_inbox(user)
        context["users"] = users_for_user(user)[:10]
        context["events"] = events_for_user(user).order_by("-sequence")[:10]
        context["open_filings"] = filings_for_user(user).open().count()
        template = "desk/dashboard_admin.html"
    else:
        template = "desk/dashboard_none.html"
    return render(request, template, context)


def _agent_worklist(user: User) -> list[dict[str, Any]]:
    """Each filing delegated to the agent, with what waits for them within the delegation's scope:
    the sections they may prepare now and the deficiency items still to answer."""
    rows = []
    for delegation in delegations_for_agent(user)[:DASHBOARD_ROWS]:
        filing = delegation.filing
        sections = []
        if DelegationScope.PREPARE in delegation.scope:
            sections = [
                (key, SECTION_LABELS[key]) for key in SECTION_MODELS if filing.section_is_editable(key)
            ]
        to_answer = 0
        answering = DelegationScope.DEFICIENCIES in delegation.scope
        if answering and filing.state == FilingState.SUPPLEMENT_REQUESTED:
            items = issuer_items(filing)
            to_answer = len(items["rows"]) - items["answered"]
        rows.append(
            {"delegation": delegation, "filing": filing, "sections": sections, "to_answer": to_answer}
        )
    return rows


@require_POST
@login_required
def ready_for_signature(request: AuthedRequest, reference: str) -> HttpResponse:
    """The preparer hands a draft to the signatories (with an optional note); refusals are messages."""
    filing = get_object_or_404(filings_for_user(request.user), reference=reference)
    try:
        services.mark_ready_for_signature(
            filing_id=filing.pk, by=request.user, note=request.POST.get("note", "")
        )
    except BlockingFindingsError as error:
        messages.error(request, error.user_message)
        messages.error(
            request,
            _("%(n)d blocking findings: open the pre-flight check to see and fix them.")
            % {"n": len(error.findings)},
        )
    except FilingError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(
            request, _("The filing is marked ready for signature; its signatories have been told.")
        )
    return redirect(filing)


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
