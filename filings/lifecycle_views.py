"""Thin views of the lifecycle steps around the review: consultation, clock pauses, suspension."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthedRequest

from . import pauses as pause_services
from . import selectors
from .errors import FilingError
from .forms import EndPauseForm, PauseForm
from .models import ConsultationExchange, Filing, PauseKind
from .services import available_transitions

PAUSE_STEPS = {"pause_review", "suspend"}
END_STEPS = {"resume_review", "resume"}


def _filing(request: AuthedRequest, reference: str) -> Filing:
    """The filing if the user may see it; another organisation's filing is a 404."""
    try:
        return selectors.filing_for_user(request.user, reference)
    except Filing.DoesNotExist as error:
        raise Http404 from error


@login_required
def pauses(request: AuthedRequest, reference: str) -> HttpResponse:
    """Every pause of the clock; the reviewer records a new one or ends the open one here."""
    filing = _filing(request, reference)
    steps = set(available_transitions(filing, request.user))
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    start = PauseForm(request.POST if action == "start" else None, initial={"started_on": today})
    end = EndPauseForm(request.POST if action == "end" else None, initial={"ended_on": today})
    if action == "start" and start.is_valid():
        try:
            pause_services.pause_clock(filing_id=filing.pk, by=request.user, **start.cleaned_data)
        except FilingError as error:
            messages.error(request, error.user_message)
        else:
            messages.success(request, _("The clock is paused."))
            return redirect(reverse("filings:pauses", args=[filing.reference]))
    elif action == "end" and end.is_valid():
        try:
            pause_services.end_pause(filing_id=filing.pk, by=request.user, **end.cleaned_data)
        except FilingError as error:
            messages.error(request, error.user_message)
        else:
            messages.success(request, _("The clock runs again."))
            return redirect(reverse("filings:pauses", args=[filing.reference]))
    if not steps & PAUSE_STEPS:
        start = None  # type: ignore[assignment]
    elif "suspend" not in steps:  # an assigned reviewer: meetings and consultations only
        kind = start.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(value, label) for value, label in PauseKind.choices if value != PauseKind.SUSPENSION]
    return render(
        request,
        "filings/pauses.html",
        {
            "filing": filing,
            "pauses": filing.pauses.select_related("started_by", "ended_by"),
            "start_form": start,
            "end_form": end if steps & END_STEPS else None,
        },
    )


@login_required
def consultations(request: AuthedRequest, reference: str) -> HttpResponse:
    """The pre-filing consultations of a filing: the issuer opens one and asks, the lead answers;
    reviewers assigned later read the whole thread here."""
    from . import consultations as consult
    from .forms import ConsultationForm
    from .rules import can_prepare_filing
    from .workflow import FilingState

    filing = _filing(request, reference)
    user = request.user
    can_ask = can_prepare_filing(user, filing) and filing.state == FilingState.DRAFT
    action = request.POST.get("action") if request.method == "POST" else None
    form = ConsultationForm(request.POST if action == "open" else None) if can_ask else None
    try:
        if action == "open" and form is not None and form.is_valid():
            consult.open_consultation(filing_id=filing.pk, by=user, **form.cleaned_data)
        elif action == "ask":
            consultation = get_object_or_404(filing.consultations, pk=request.POST.get("consultation"))
            consult.ask_question(
                consultation_id=consultation.pk, question=request.POST.get("text", ""), by=user
            )
        elif action == "answer":
            exchange = get_object_or_404(
                ConsultationExchange, consultation__filing=filing, pk=request.POST.get("exchange")
            )
            consult.answer_question(exchange_id=exchange.pk, answer=request.POST.get("text", ""), by=user)
        elif action == "close":
            consultation = get_object_or_404(filing.consultations, pk=request.POST.get("consultation"))
            consult.close_consultation(consultation_id=consultation.pk, by=user)
        else:
            action = None
    except FilingError as error:
        messages.error(request, error.user_message)
    else:
        if action:
            messages.success(request, _("Saved."))
            return redirect(reverse("filings:consultations", args=[filing.reference]))
    return render(
        request,
        "filings/consultations.html",
        {
            "filing": filing,
            "consultations": filing.consultations.prefetch_related(
                "exchanges__asked_by", "exchanges__answered_by"
            ),
            "form": form,
            "can_ask": can_ask,
            "can_answer": getattr(user, "is_lead_reviewer", False),
        },
    )
