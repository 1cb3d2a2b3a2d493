"""A filing's review overview: assignments, completeness check, decision and waivers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from filings.confirm import Confirmation, render_confirmation, wants_review
from filings.deadlines import clock_limits
from filings.models import Filing, ReasonCode, Waiver
from filings.waivers import waivers_for

from .. import selectors, services
from ..forms import AssignForm, DecisionForm, NotAcceptForm, NoteForm, RecuseForm, WaiverRulingForm
from ..models import Assignment, Decision, DecisionKind
from ..permissions import can_confirm, can_work_on, has_declared_conflict, is_active_lead
from .common import form_errors, regulator_filing, run


@login_required
def workspace(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    user = request.user
    round_ = selectors.current_round(filing)
    reviewers = selectors.assignable_reviewers(filing)
    return render(
        request,
        "reviews/workspace.html",
        {
            "filing": filing,
            "tab": "overview",
            "assignments": selectors.assignments_for(filing),
            "assign_form": AssignForm(reviewers=reviewers) if is_active_lead(user) and reviewers else None,
            "is_lead": is_active_lead(user),
            "can_work": can_work_on(user, filing),
            "conflicted": has_declared_conflict(user, filing),
            "not_accept_form": NotAcceptForm(),
            "recuse_form": RecuseForm(),
            "round": round_,
            "progress": selectors.checklist_progress(round_),
            "items": selectors.items_for(filing),
            "requests": selectors.requests_for(filing),
            "drafted": selectors.drafted_decision(filing),
            "notices": selectors.notices_for(filing),
            "pending_waivers": selectors.pending_waivers(filing).count(),
            "parties": selectors.coi_parties(filing),
        },
    )


@login_required
@require_POST
def assign(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    form = AssignForm(request.POST, reviewers=selectors.assignable_reviewers(filing))
    if form.is_valid():
        run(
            request,
            lambda: services.assign_reviewer(
                filing_id=filing.pk, reviewer_id=int(form.cleaned_data["reviewer"]), by=request.user
            ),
            _("Assigned. The reviewer must declare conflicts of interest before seeing the filing."),
        )
    else:
        form_errors(request, form)
    return redirect("reviews:workspace", reference=filing.reference)


@login_required
@require_POST
def unassign(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = regulator_filing(request, reference)
    assignment = get_object_or_404(Assignment, pk=pk, filing=filing)
    run(
        request,
        lambda: services.unassign_reviewer(assignment_id=assignment.pk, by=request.user),
        _("The reviewer is taken off the filing."),
    )
    return redirect("reviews:workspace", reference=filing.reference)


@login_required
@require_POST
def recuse(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    form = RecuseForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.recuse(filing_id=filing.pk, by=request.user, note=form.cleaned_data["note"]),
            _("Conflict declared: you will not act on this filing."),
        )
    else:
        form_errors(request, form)
    return redirect("reviews:workspace", reference=filing.reference)


@login_required
@require_POST
def accept(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    if wants_review(request):
        return render_confirmation(request, _accept_confirmation(filing), context={"filing": filing})
    run(
        request,
        lambda: services.accept_filing(filing_id=filing.pk, by=request.user),
        _("Accepted: the filing is under review and the review clock runs."),
    )
    return redirect("reviews:workspace", reference=filing.reference)


def _accept_confirmation(filing: Filing) -> Confirmation:
    snapshot = selectors.latest_snapshot(filing)
    assignments = list(filing.assignments.filter(active=True).select_related("reviewer"))
    cleared = [a for a in assignments if a.declared_at and not a.conflict_declared]
    limits = clock_limits()
    return Confirmation(
        title=_("Accept %(reference)s as complete") % {"reference": filing.reference},
        lead=_(
            "The filing goes under review, round 1 opens on the snapshot below and the review clock of "
            "%(days)s working days starts."
        )
        % {"days": limits.review},
        button=_("Accept: materials complete"),
        cancel_url=reverse("reviews:workspace", args=[filing.reference]),
        summary=[
            (_("Filing"), f"{filing.reference} · {filing.title}"),
            (_("Issuer"), str(filing.organisation)),
            (_("Snapshot"), str(snapshot.version) if snapshot else "—"),
        ],
        lists=[
            (
                _("Reviewers"),
                [
                    f"{a.reviewer} · "
                    + str(_("no conflict declared") if a in cleared else _("declaration due"))
                    for a in assignments
                ],
            )
        ],
        warnings=[] if cleared else [_("No assigned reviewer has declared that they have no conflict yet.")],
    )


def _decision_summary(kind: str, reason_code: str, reasons: str) -> list[tuple[Any, Any]]:
    summary: list[tuple[Any, Any]] = [(_("Decision"), DecisionKind(kind).label)]
    if reason_code:
        summary.append((_("Reason code"), ReasonCode(reason_code).label))
    if reasons:
        summary.append((_("Reasons"), reasons))
    return summary


@login_required
@require_POST
def not_accept(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    form = NotAcceptForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.not_accept_filing(filing_id=filing.pk, by=request.user, **form.cleaned_data),
            _("Not accepted: the notice is issued to the issuer."),
        )
    else:
        form_errors(request, form)
    return redirect("reviews:workspace", reference=filing.reference)


@login_required
def decision(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    drafted = selectors.drafted_decision(filing)
    round_ = selectors.current_round(filing)
    return render(
        request,
        "reviews/decision.html",
        {
            "filing": filing,
            "tab": "decision",
            "drafted": drafted,
            "form": DecisionForm(),
            "note_form": NoteForm(),
            "can_work": can_work_on(request.user, filing),
            "can_confirm": drafted is not None and can_confirm(request.user, drafted),
            "blockers": selectors.decision_blockers(filing, round_) if filing.state == "under_review" else [],
            "round": round_,
            "progress": selectors.checklist_progress(round_),
            "items": selectors.items_for(filing),
            "decisions": selectors.decisions_for(filing),
        },
    )


@login_required
@require_POST
def decision_draft(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    form = DecisionForm(request.POST)
    if form.is_valid() and wants_review(request):
        data = form.cleaned_data
        round_ = selectors.current_round(filing)
        blockers = selectors.decision_blockers(filing, round_) if data["kind"] == DecisionKind.FILE else []
        return render_confirmation(
            request,
            Confirmation(
                title=_("Send this decision to the lead reviewer?"),
                lead=_(
                    "A lead reviewer who did not draft it confirms it; the notice is issued on confirmation."
                ),
                button=_("Send to the lead reviewer"),
                cancel_url=reverse("reviews:decision", args=[filing.reference]),
                summary=_decision_summary(data["kind"], data["reason_code"], data["reasons"]),
                warnings=blockers,
            ),
            context={"filing": filing},
        )
    if form.is_valid():
        run(
            request,
            lambda: services.draft_decision(filing_id=filing.pk, by=request.user, **form.cleaned_data),
            _("Decision drafted: it goes to the lead reviewer for confirmation."),
        )
    else:
        form_errors(request, form)
    return redirect("reviews:decision", reference=filing.reference)


@login_required
@require_POST
def decision_act(request: AuthedRequest, reference: str, pk: int, action: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    draft = get_object_or_404(Decision, pk=pk, filing=filing)
    note = request.POST.get("note", "")
    if action == "confirm" and wants_review(request):
        round_ = selectors.current_round(filing)
        blockers = selectors.decision_blockers(filing, round_) if draft.kind == DecisionKind.FILE else []
        return render_confirmation(
            request,
            Confirmation(
                title=_("Confirm the decision on %(reference)s?") % {"reference": filing.reference},
                lead=_("The decision becomes final and its notice is issued to the issuer at once."),
                button=_("Confirm the decision"),
                cancel_url=reverse("reviews:decision", args=[filing.reference]),
                summary=[
                    *_decision_summary(draft.kind, draft.reason_code, draft.reasons),
                    (_("Drafted by"), str(draft.drafted_by)),
                ],
                warnings=blockers,
            ),
            context={"filing": filing},
        )
    if action == "confirm":
        run(
            request,
            lambda: services.confirm_decision(decision_id=draft.pk, by=request.user),
            _("Decision confirmed; the notice is issued to the issuer."),
        )
    elif action == "return":
        run(
            request,
            lambda: services.return_decision(decision_id=draft.pk, by=request.user, note=note),
            _("The draft went back to its drafter."),
        )
    elif action == "withdraw":
        run(
            request,
            lambda: services.withdraw_decision(decision_id=draft.pk, by=request.user),
            _("Draft withdrawn."),
        )
    return redirect("reviews:decision", reference=filing.reference)


@login_required
def waivers(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    return render(
        request,
        "reviews/waivers.html",
        {
            "filing": filing,
            "tab": "waivers",
            "waivers": waivers_for(filing),
            "form": WaiverRulingForm(),
            "can_work": can_work_on(request.user, filing),
        },
    )


@login_required
@require_POST
def waiver_rule(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = regulator_filing(request, reference)
    waiver = get_object_or_404(Waiver, pk=pk, filing=filing)
    form = WaiverRulingForm(request.POST)
    if form.is_valid():
        grant = form.cleaned_data["grant"]
        run(
            request,
            lambda: services.rule_on_waiver_request(
                waiver_id=waiver.pk, grant=grant, note=form.cleaned_data["note"], by=request.user
            ),
            _("Waiver granted.") if grant else _("Waiver refused."),
        )
    else:
        form_errors(request, form)
    return redirect("reviews:waivers", reference=filing.reference)
