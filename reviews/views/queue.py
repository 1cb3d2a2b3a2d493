"""The queues, the conflict-of-interest declaration and the outbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.http import AuthedRequest

from .. import selectors, services
from ..forms import DeclarationForm, OutboxFilterForm, QueueFilterForm
from ..models import Assignment
from ..permissions import is_active_regulator_reviewer
from .common import run

SIDE_LIST = 10  # declarations and decisions shown above the queue; the counts give the rest


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    """Reviewers: declarations to make and filings to review. Leads: everything in review."""
    user = request.user
    if not is_active_regulator_reviewer(user):
        raise Http404
    reviewers = selectors.assignee_choices(user) if user.is_lead_reviewer else []
    form = QueueFilterForm(request.GET or None, reviewers=reviewers)
    filters = form.filters() if request.GET else {}
    if not user.is_lead_reviewer:
        filters.pop("assignee", None)
    page = selectors.queue_page(
        user,
        page=request.GET.get("page"),
        state=filters.get("state", ""),
        asset_class=filters.get("asset_class", ""),
        assignee=filters.get("assignee", ""),
        clock=filters.get("clock", ""),
        sort=filters.get("sort", "due"),
        q=filters.get("q", "").strip(),
    )
    declarations = selectors.pending_declarations(user)
    to_confirm = selectors.decisions_to_confirm(user)
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "extra_query": urlencode(filters),
            "is_lead": user.is_lead_reviewer,
            "declarations": declarations[:SIDE_LIST],
            "declaration_count": declarations.count(),
            "to_confirm": to_confirm[:SIDE_LIST],
            "to_confirm_count": to_confirm.count(),
        },
    )


@login_required
def declaration(request: AuthedRequest, pk: int) -> HttpResponse:
    """Before any content: the names to declare ties to, and the declaration itself."""
    assignment = (
        Assignment.objects.select_related("filing", "filing__organisation")
        .filter(pk=pk, reviewer_id=request.user.pk)
        .first()
    )
    if assignment is None:
        raise Http404
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conflict = form.cleaned_data["conflict"]
        done = run(
            request,
            lambda: services.declare_conflicts(
                assignment_id=assignment.pk,
                by=request.user,
                conflict=conflict,
                note=form.cleaned_data["note"],
            ),
            _("Conflict declared: you are taken off this filing and the lead reviewer is told.")
            if conflict
            else _("Declared: no conflict of interest. The filing is now open to you."),
        )
        if done and not conflict:
            return redirect("reviews:workspace", reference=assignment.filing.reference)
        return redirect("reviews:queue")
    return render(
        request,
        "reviews/declaration.html",
        {
            "assignment": assignment,
            "filing": assignment.filing,
            "form": form,
            "parties": selectors.coi_parties(assignment.filing),
        },
    )


@login_required
def outbox(request: AuthedRequest) -> HttpResponse:
    """What was sent, to whom and when: administrators see all, everyone else their own."""
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    messages_qs = selectors.outbox_for_user(
        request.user, event=filters.get("event", ""), status=filters.get("status", "")
    )
    page = Paginator(messages_qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/outbox.html",
        {"page": page, "form": form, "sees_all": request.user.is_administrator},
    )
