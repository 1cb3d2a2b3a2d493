"""Session limits and the second-factor rule, checked on every request before any view runs."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .security import REGULATOR_SESSION_ROLES, has_second_factor, requires_mfa, session_passed_mfa

SESSION_STARTED = "fd_session_started"
SESSION_SEEN = "fd_session_seen"

# Pages a person who still owes a second factor may open: enrolment, sign-out, language, help.
MFA_OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/language/",
    "/accounts/reauthenticate/",
)


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


class SessionLimitsMiddleware:
    """Sign a person out after idle time (shorter for the regulator) and at an absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            idle = (
                settings.SESSION_IDLE_SECONDS_REGULATOR
                if getattr(user, "role", "") in REGULATOR_SESSION_ROLES
                else settings.SESSION_IDLE_SECONDS
            )
            if now - seen > idle or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return _login_redirect(request)
            # Write at most once a minute: every page view need not rewrite the session row.
            if now - seen > 60 or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Send people who must use a second factor to enrolment before anything else.

    A session of such a person that did not pass a second factor (opened some other way than our
    sign-in) is ended. The Django admin is only for staff whose session passed a second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = request.path
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
        if path.startswith(static):
            return self.get_response(request)
        if path.startswith("/django-admin/"):
            if not user.is_authenticated:
                return _login_redirect(request)
            if not (user.is_staff and user.is_active and session_passed_mfa(request)):
                raise Http404
        if user.is_authenticated and requires_mfa(user) and not path.startswith(MFA_OPEN_PREFIXES):
            if not has_second_factor(user):
                messages.warning(
                    request, _("Your role requires a second factor. Set up an authenticator app first.")
                )
                return redirect("mfa_activate_totp")
            if not session_passed_mfa(request):
                logout(request)
                return _login_redirect(request)
        return self.get_response(request)
