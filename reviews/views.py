"""The regulator's review screens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import lead_overview, reviewer_queue


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_reviewer or user.is_lead_reviewer):
        raise PermissionDenied
    context = lead_overview(user) if user.is_lead_reviewer else {"queue": reviewer_queue(user)}
    return render(request, "reviews/queue.html", context)
