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


class AgentInviteFields(forms.Form):
    """A named person of the agent organisation, invited by the issuer's organisation administrator."""

    require_invite = False  # optional while delegating, required on the invitation form

    invite_username = forms.CharField(label=gettext_lazy("invite: user name"), max_length=150, required=False)
    invite_full_name = forms.CharField(
        label=gettext_lazy("invite: full name"), max_length=150, required=False
    )
    invite_email = forms.EmailField(label=gettext_lazy("invite: email"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = ("invite_username", "invite_full_name", "invite_email")
        given = [name for name in parts if cleaned.get(name)]
        if given or self.require_invite:
            for name in parts:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("To invite someone, give their user name, full name and email."))
        return cleaned

    def invitee(self) -> dict[str, str] | None:
        if not self.cleaned_data.get("invite_username"):
            return None
        return {
            "username": self.cleaned_data["invite_username"],
            "full_name": self.cleaned_data["invite_full_name"],
            "email": self.cleaned_data["invite_email"],
        }


class DelegationInviteForm(DelegationForm, AgentInviteFields):
    """Delegating, with an optional invitation of the lawyer who will do the work."""


class AgentInviteForm(AgentInviteFields):
    """Invite someone into the agent organisation of a delegation that is running."""

    require_invite = True
    delegation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("delegation")
    )

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = filing.delegations.active().select_related("agent")
        self.fields["delegation"].queryset = active  # type: ignore[attr-defined]
        self.fields["delegation"].label_from_instance = lambda d: str(d.agent)  # type: ignore[attr-defined]
        self.order_fields(["delegation"])


def _invite(request: AuthedRequest, filing: Filing, delegation_id: int, invitee: dict[str, str]) -> bool:
    """Create the invited person and email the link that sets their password; False if refused."""
    from accounts.member_views import send_invitation

    try:
        member = delegations.invite_agent_member(delegation_id=delegation_id, by=request.user, **invitee)
    except TransitionRefusedError as error:
        messages.error(request, str(error))
        return False
    send_invitation(request, member)
    messages.success(request, _("%(name)s is invited by email and will see this filing.") % {"name": member})
    return True


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
    may_invite = request.user.is_org_admin
    form: DelegationForm = (DelegationInviteForm if may_invite else DelegationForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = delegations.delegate_filing(
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
            invitee = form.invitee() if isinstance(form, DelegationInviteForm) else None
            if invitee is not None:
                _invite(request, filing, delegation.pk, invitee)
            return redirect("filings:delegations", reference=filing.reference)
    return render(
        request,
        "filings/delegations.html",
        {
            "filing": filing,
            "form": form,
            "invite_form": AgentInviteForm(filing=filing) if may_invite else None,
            "delegations": delegations.delegations_of(filing),
        },
    )


@require_POST
@login_required
def delegation_invite(request: AuthedRequest, reference: str) -> HttpResponse:
    """The issuer's organisation administrator invites a named person into a delegated agent organisation."""
    filing = _own_filing(request, reference)
    if not request.user.is_org_admin:
        raise Http404
    form = AgentInviteForm(request.POST, filing=filing)
    if form.is_valid():
        invitee = form.invitee()
        assert invitee is not None
        if _invite(request, filing, form.cleaned_data["delegation"].pk, invitee):
            return redirect("filings:delegations", reference=filing.reference)
    return render(
        request,
        "filings/delegations.html",
        {
            "filing": filing,
            "form": DelegationInviteForm(),
            "invite_form": form,
            "delegations": delegations.delegations_of(filing),
        },
    )


@require_POST
@login_required
def delegation_revoke(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = _own_filing(request, reference)
    delegation = get_object_or_404(filing.delegations, pk=pk)
    delegations.revoke_delegation(delegation_id=delegation.pk, by=request.user)
    messages.success(request, _("Delegation revoked."))
    return redirect("filings:delegations", reference=filing.reference)
