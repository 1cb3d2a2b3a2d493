"""The reviewer checklist in force, and re-seeding version 1 where a database lost it."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from .models import ChecklistTemplate, TemplateStatus

SEED_MIGRATION = "reviews.migrations.0003_seed_checklist"


def ensure_checklist_in_force() -> ChecklistTemplate:
    """The published version; re-seeds version 1 (domain.md §6.5) if none exists, e.g. after a test
    database was flushed. The content lives in the data migration, so there is one copy of it."""
    template = ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED).order_by("-version").first()
    if template is not None:
        return template
    import_module(SEED_MIGRATION).seed(apps, None)
    return ChecklistTemplate.objects.get(version=1)
