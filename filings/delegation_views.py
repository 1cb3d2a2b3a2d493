"""The issuer's screen to delegate one filing to an agent organisation and to revoke it."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest

from . import delegations
from .errors import TransitionRefusedError
from .models import DelegationScope, Filing
from .rules import is_delegating_issuer
from .selectors import filing_for_user


class DelegationForm(forms.Form):
    agent = forms.ModelChoiceField(queryset=delegations.agent_organisations(), label=gettext_lazy("agent"))
    scope = forms.MultipleChoiceField(
        choices=DelegationScope.choices, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("scope")
    )
    ends_on = forms.DateField(label=gettext_lazy("ends on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = delegations.agent_organisations()  # type: ignore[attr-defined]

    def clean_ends_on(self) -> datetime.date:
        value = self.cleaned_data["ends_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The end date is in the past."))
        return value


def _own_filing(request: AuthedRequest, reference: str) -> Filing:
    try:
        filing = filing_for_user(request.user, reference)
    except Filing.DoesNotExist as error:
        raise Http404 from error
    if not is_delegating_issuer(request.user, filing):
        raise Http404
    return filing


@login_required
def delegation_list(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _own_filing(request, reference)
    form = DelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegations.delegate_filing(
                filing_id=filing.pk,
                agent_id=form.cleaned_data["agent"].pk,
                scope=form.cleaned_data["scope"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            )
        except TransitionRefusedError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Delegated to %(agent)s.") % {"agent": form.cleaned_data["agent"]})
            return redirect("filings:delegations", reference=filing.reference)
    return render(
        request,
        "filings/delegations.html",
        {"filing": filing, "form": form, "delegations": delegations.delegations_of(filing)},
    )


@require_POST
@login_required
def delegation_revoke(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = _own_filing(request, reference)
    delegation = get_object_or_404(filing.delegations, pk=pk)
    delegations.revoke_delegation(delegation_id=delegation.pk, by=request.user)
    messages.success(request, _("Delegation revoked."))
    return redirect("filings:delegations", reference=filing.reference)
