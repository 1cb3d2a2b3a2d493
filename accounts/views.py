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

from . import selectors, services
from .forms import LoginForm, OrganisationCreateForm, OrganisationForm, UserForm
from .http import AuthedRequest, permission_or_404
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Hand the checked password to allauth's login stages (a second factor if enrolled),
        and bring back the language the person chose last time."""
        from allauth.account.internal.flows.login import perform_password_login
        from allauth.account.models import Login
        from django.conf import settings

        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url())
        response = perform_password_login(self.request, {"username": user.username}, login)
        language = user.language
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
@permission_or_404("accounts.manage_organisations")
def organisation_list(request: AuthedRequest) -> HttpResponse:
    from .members import organisations_short_of_admins

    short = request.GET.get("short") == "1"
    everyone = selectors.organisations_for_user(request.user)
    organisations = organisations_short_of_admins() if short else everyone
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "page": _paginate(request, organisations),
            "short": short,
            "short_count": organisations_short_of_admins().count(),
            "extra_query": "short=1" if short else "",
        },
    )


@login_required
@permission_or_404("accounts.manage_organisations")
def organisation_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    from . import members
    from .member_views import send_invitation

    organisation = get_object_or_404(selectors.organisations_for_user(request.user), pk=pk) if pk else None
    if organisation is not None:
        form: OrganisationForm = OrganisationForm(request.POST or None, instance=organisation)
        if request.method == "POST" and form.is_valid():
            services.save_organisation(organisation=form.instance, by=request.user)
            messages.success(request, _("Organisation saved."))
            return redirect("accounts:organisation_list")
    else:
        form = OrganisationCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                _created, admins = members.create_organisation(
                    organisation=form.instance, administrators=form.administrators(), by=request.user
                )
            except members.MemberChangeError as error:
                form.add_error(None, str(error))
            else:
                for admin in admins:
                    send_invitation(request, admin)
                messages.success(request, _("Organisation saved; its administrators are invited by email."))
                return redirect("accounts:organisation_list")
    return render(
        request,
        "accounts/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "short_of_admins": members.is_short_of_admins(organisation),
            "admin_count": members.org_admin_count(organisation) if organisation else 0,
        },
    )


@login_required
@permission_or_404("accounts.manage_users")
def user_list(request: AuthedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = _paginate(request, selectors.users_for_user(request.user, search=search))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "q": search, "extra_query": urlencode({"q": search}) if search else ""},
    )


@login_required
@permission_or_404("accounts.manage_users")
def user_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    account: User | None = get_object_or_404(selectors.users_for_user(request.user), pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        from .members import MemberChangeError

        try:
            password = form.cleaned_data.get("password")
            services.save_user(user=form.instance, password=password, by=request.user)
        except MemberChangeError as error:
            form.add_error("is_org_admin", str(error))
        else:
            messages.success(request, _("User saved."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@login_required
@permission_or_404("accounts.manage_users")
def lockout_list(request: AuthedRequest) -> HttpResponse:
    """Failed sign-ins within the cool-off; an administrator lifts a lockout from here."""
    from django.conf import settings

    attempts = selectors.sign_in_failures_for_user(request.user)
    return render(
        request,
        "accounts/lockout_list.html",
        {"page": _paginate(request, attempts), "limit": settings.AXES_FAILURE_LIMIT},
    )


@require_POST
@login_required
@permission_or_404("accounts.manage_users")
def lockout_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(selectors.sign_in_failures_for_user(request.user), pk=pk)
    services.unlock_sign_in(attempt_id=attempt.pk, by=request.user)
    messages.success(
        request, _("Sign-in unlocked for %(who)s.") % {"who": attempt.username or attempt.ip_address}
    )
    return redirect("accounts:lockout_list")


@login_required
def security(request: AuthedRequest) -> HttpResponse:
    """One page for a person's own sign-in: second factor, sessions, password."""
    from .security import has_second_factor, requires_mfa

    return render(
        request,
        "accounts/security.html",
        {"has_second_factor": has_second_factor(request.user), "requires_mfa": requires_mfa(request.user)},
    )
