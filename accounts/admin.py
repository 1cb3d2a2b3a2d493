"""Django admin registrations for organisations and users (the app's own screens come first)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "kind", "uscc", "is_active"]
    list_filter = ["kind", "is_active"]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """An organisation is created on the regulator's screen only, so an issuer or agent organisation
        always starts with its two administrators (``members.create_organisation``, audited, invited)."""
        messages.info(
            request,
            _(
                "Organisations are created on the regulator's organisation screen, which names their two "
                "administrators and invites them."
            ),
        )
        return redirect("accounts:organisation_create")


@admin.register(User)
class FilingDeskUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Filing Desk", {"fields": ("organisation", "role", "is_org_admin", "full_name", "language")}),
    )
