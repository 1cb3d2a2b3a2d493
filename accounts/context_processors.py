"""Role-aware navigation shown in the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it). URL names are resolved in the template, so this
# module depends on no app above accounts.
NAV_ITEMS: list[tuple[str, Any, frozenset[str]]] = [
    (
        "desk:dashboard",
        _("Dashboard"),
        frozenset({"preparer", "signatory", "reviewer", "lead_reviewer", "administrator", "agent"}),
    ),
    (
        "filings:list",
        _("Filings"),
        frozenset({"preparer", "signatory", "reviewer", "lead_reviewer", "administrator", "agent"}),
    ),
    ("reviews:queue", _("Review queue"), frozenset({"reviewer", "lead_reviewer"})),
    (
        "filings:rule_catalogue",
        _("Rule catalogue"),
        frozenset({"preparer", "signatory", "reviewer", "lead_reviewer", "administrator"}),
    ),
    ("accounts:organisation_list", _("Organisations"), frozenset({"administrator"})),
    ("accounts:user_list", _("Users"), frozenset({"administrator"})),
    ("accounts:lockout_list", _("Failed sign-ins"), frozenset({"administrator"})),
    ("audit:event_list", _("Audit log"), frozenset({"administrator"})),
    ("reviews:template_list", _("Checklists"), frozenset({"administrator"})),
    (
        "reviews:outbox",
        _("Outbox"),
        frozenset({"preparer", "signatory", "reviewer", "lead_reviewer", "administrator"}),
    ),
    ("filings:settings_checklist", _("Settings"), frozenset({"administrator"})),
    (
        "accounts:security",
        _("Security"),
        frozenset({"preparer", "signatory", "reviewer", "lead_reviewer", "administrator", "agent"}),
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from django.urls import NoReverseMatch, reverse

    items = []
    for name, label, roles in NAV_ITEMS:
        if user.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a capability not installed yet
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    short_of_admins = False
    if getattr(user, "is_org_admin", False):
        from .members import is_short_of_admins

        url = reverse("accounts:member_list")
        items.append({"url": url, "label": _("People"), "active": request.path.startswith(url)})
        # The banner asking this administrator to appoint a second one.
        short_of_admins = is_short_of_admins(user.organisation)
    return {"nav_items": items, "org_short_of_admins": short_of_admins}
