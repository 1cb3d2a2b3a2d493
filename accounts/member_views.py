"""An organisation administrator's screens: the people of their organisation."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ResetPasswordForm
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import members
from .forms import MemberChangeForm, MemberInviteForm
from .http import AuthedRequest
from .models import Organisation, Role, User
from .rules import is_org_admin_of


def send_invitation(request: HttpRequest, member: User) -> None:
    """The invitation is allauth's password-reset mail: the link sets the first password."""
    reset = ResetPasswordForm(data={"email": member.email})
    if reset.is_valid():
        reset.save(request)


def _organisation(request: AuthedRequest) -> Organisation:
    organisation = request.user.organisation
    if organisation is None or not is_org_admin_of(request.user, organisation):
        raise Http404
    return organisation


def _roles(organisation: Organisation) -> list[tuple[str, Any]]:
    allowed = members.roles_for(organisation)
    return [(value, label) for value, label in Role.choices if value in allowed]


@login_required
def member_list(request: AuthedRequest) -> HttpResponse:
    organisation = _organisation(request)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("confirm") if pk.isdigit()]
        count = members.confirm_access(organisation=organisation, member_ids=ids, by=request.user)
        messages.success(
            request, _("Access confirmed for %(count)s people for another year.") % {"count": count}
        )
        return redirect("accounts:member_list")
    return render(
        request,
        "accounts/member_list.html",
        {
            "organisation": organisation,
            "people": members.members_of(organisation),
            "admin_count": members.org_admin_count(organisation),
            "min_admins": members.MIN_ORG_ADMINS,
        },
    )


@login_required
def member_invite(request: AuthedRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = MemberInviteForm(request.POST or None, roles=_roles(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            member = members.invite_member(organisation=organisation, by=request.user, **form.cleaned_data)
        except members.MemberChangeError as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            send_invitation(request, member)
            messages.success(request, _("%(name)s is invited by email.") % {"name": member})
            return redirect("accounts:member_list")
    return render(request, "accounts/member_form.html", {"form": form, "organisation": organisation})


@login_required
def member_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    member = get_object_or_404(members.members_of(organisation), pk=pk)
    initial = {"role": member.role, "is_org_admin": member.is_org_admin, "is_active": member.is_active}
    form = MemberChangeForm(request.POST or None, initial=initial, roles=_roles(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            members.change_member(member_id=member.pk, by=request.user, **form.cleaned_data)
        except members.MemberChangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s updated.") % {"name": member})
            return redirect("accounts:member_list")
    return render(
        request, "accounts/member_form.html", {"form": form, "organisation": organisation, "member": member}
    )
