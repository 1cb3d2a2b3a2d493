"""Django admin for the review records: read-mostly; every change goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Assignment,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Decision,
    DeficiencyItem,
    Notice,
    OutboxMessage,
    ReviewRound,
    SupplementRequest,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of regulatory acts: visible to superusers, never edited behind the services' back."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["filing", "reviewer", "active", "conflict_declared", "declared_at", "assigned_at"]
    list_filter = ["active", "conflict_declared"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["order", "code", "group", "text_zh", "text_en", "citation", "asset_classes"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "status", "published_at"]
    inlines = [ChecklistItemInline]


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ["filing", "number", "template", "opened_at"]


@admin.register(ChecklistAnswer)
class ChecklistAnswerAdmin(ReadOnlyAdmin):
    list_display = ["round", "item", "verdict", "answered_by", "answered_at"]
    list_filter = ["verdict"]


@admin.register(DeficiencyItem)
class DeficiencyItemAdmin(ReadOnlyAdmin):
    list_display = ["filing", "number", "status", "anchor_section", "anchor_path", "citation"]
    list_filter = ["status", "anchor_section"]


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyAdmin):
    list_display = ["filing", "number", "sent_at", "reply_due_date", "resubmitted_at"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["filing", "kind", "status", "drafted_by", "confirmed_by", "confirmed_at"]
    list_filter = ["kind", "status"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "filing", "kind", "issued_at", "signed", "pdf_sha256"]
    list_filter = ["kind", "signed"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event", "to_email", "subject", "language", "status", "sent_at"]
    list_filter = ["status", "event", "language"]
