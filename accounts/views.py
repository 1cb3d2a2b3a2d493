"""Sign-in, language choice and the administrators' organisation and user screens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from . import selectors, services
from .forms import LoginForm, OrganisationForm, UserForm
from .http import AuthedRequest
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in and bring back the language the person chose last time."""
        from django.conf import settings

        response = super().form_valid(form)
        language = form.get_user().language
        if language and check_for_language(language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            )
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and on the account."""
    from django.conf import settings

    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=False,
        )
        services.set_user_language(user=request.user, language=language)
    return response


def _paginate(request: AuthedRequest, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
@permission_required("accounts.manage_organisations", raise_exception=True)
def organisation_list(request: AuthedRequest) -> HttpResponse:
    page = _paginate(request, selectors.organisations_for_user(request.user))
    return render(request, "accounts/organisation_list.html", {"page": page})


@login_required
@permission_required("accounts.manage_organisations", raise_exception=True)
def organisation_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_for_user(request.user), pk=pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.save_organisation(organisation=form.instance, by=request.user)
        messages.success(request, _("Organisation saved."))
        return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: AuthedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = _paginate(request, selectors.users_for_user(request.user, search=search))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "q": search, "extra_query": urlencode({"q": search}) if search else ""},
    )


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    account: User | None = get_object_or_404(selectors.users_for_user(request.user), pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.save_user(user=form.instance, password=form.cleaned_data.get("password"), by=request.user)
        messages.success(request, _("User saved."))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": account})
