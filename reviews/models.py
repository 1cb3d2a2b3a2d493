"""Who reviews which filing; conflicts of interest are declared before any content is seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """A reviewer assigned to a filing by the lead reviewer."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("reviewer")
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)
    conflict_declared = models.BooleanField(_("conflict declared"), default=False)
    conflict_note = models.TextField(_("conflict details"), blank=True)
    declared_at = models.DateTimeField(_("declaration made"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "reviewer"], name="assignment_unique_reviewer"),
        ]
        verbose_name = _("assignment")
