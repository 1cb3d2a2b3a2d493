"""The profile page where a person creates, lists and revokes their API tokens (server-rendered);
administrators see and may revoke every token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest

from ..forms import TokenForm
from ..models import ApiToken
from ..selectors import all_tokens, tokens_for_user
from ..services.tokens import TokenError, create_token, revoke_token


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = create_token(
                owner=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                filing=form.cleaned_data.get("filing"),
            )
        except TokenError as error:
            form.add_error(None, error.user_message)
        else:
            form = TokenForm(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "issued": issued, "tokens": tokens_for_user(request.user)},
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or not (token.owner_id == request.user.pk or request.user.is_administrator):
        raise Http404
    revoke_token(token_id=token.pk, by=request.user)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api:tokens_all" if token.owner_id != request.user.pk else "api:tokens")


@login_required
def token_admin_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_administrator:
        raise Http404
    page = Paginator(all_tokens(), 50).get_page(request.GET.get("page"))
    return render(request, "api/tokens_all.html", {"page": page})
