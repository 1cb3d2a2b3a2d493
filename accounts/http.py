"""The request type of views behind ``login_required`` (the user is a real account), and a
permission check that refuses with a 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def permission_or_404(perm: str) -> Callable[[View], View]:
    """Like rules' ``permission_required``, but a person without the permission gets a 404: a
    refusal does not confirm that the page or the object exists."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
