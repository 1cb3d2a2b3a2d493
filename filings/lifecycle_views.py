"""Thin views of the lifecycle steps beyond the decision: clock pauses and suspension."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthedRequest

from . import pauses as pause_services
from .errors import FilingError
from .forms import EndPauseForm, PauseForm
from .services import available_transitions
from .views import _filing

PAUSE_STEPS = {"pause_review", "suspend"}
END_STEPS = {"resume_review", "resume"}


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
        start.fields["kind"].choices = [c for c in start.fields["kind"].choices if c[0] != "suspension"]
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
