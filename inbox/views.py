"""The notifications page, and marking notifications read (in place with HTMX, or by a plain POST)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest

from . import selectors, services
from .models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    """The person's notifications, newest first, a page at a time (or only the unread ones)."""
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.notifications_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "inbox/notifications.html",
        {"page": page, "unread_only": unread_only, "extra_query": "show=unread" if unread_only else ""},
    )


@require_POST
@login_required
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one notification read; with HTMX the row and the bell change in place. Another person's
    notification is not found."""
    try:
        notification = services.mark_read(notification_id=pk, by=request.user)
    except Notification.DoesNotExist as missing:
        raise Http404 from missing
    if request.htmx:
        return render(
            request,
            "inbox/_notification_read.html",
            {"n": notification, "unread_notifications": selectors.unread_count(request.user)},
        )
    return _back(request)


@require_POST
@login_required
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    count = services.mark_all_read(by=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", count)
            % {"n": count},
        )
    else:
        messages.info(request, _("Every notification was already read."))
    return _back(request)


def _back(request: AuthedRequest) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("inbox:list")
