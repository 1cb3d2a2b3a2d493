"""Django admin registrations for organisations and users (the app's own screens come first)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "kind", "uscc", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(User)
class FilingDeskUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Filing Desk", {"fields": ("organisation", "role", "is_org_admin", "full_name", "language")}),
    )
