"""Who reviews which filing; conflicts of interest are declared before any content is seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """A reviewer assigned to a filing by the lead reviewer.

    Until ``declared_at`` is set with no conflict, the filing's content stays closed to the reviewer
    (filings.selectors.filings_for_user). A declared conflict deactivates the assignment for good.
    """

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)
    conflict_declared = models.BooleanField(_("conflict declared"), default=False)
    conflict_note = models.TextField(_("conflict details"), blank=True)
    declared_at = models.DateTimeField(_("declaration made"), null=True, blank=True)
    # The names the reviewer declared against, as shown to them (entity, originator, intermediaries).
    declared_parties = models.JSONField(_("parties declared against"), default=list, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "reviewer"], name="assignment_unique_reviewer"),
        ]
        indexes = [
            # The lead's "unassigned" count and list probe this per filing in review (an anti-join
            # over thousands of filings on the lead's dashboard and queue).
            models.Index(
                fields=["filing"],
                condition=models.Q(active=True, conflict_declared=False),
                name="assignment_active_cleared",
            ),
        ]
        verbose_name = _("assignment")

    def __str__(self) -> str:
        return f"{self.filing_id} · {self.reviewer_id}"

    @property
    def is_cleared(self) -> bool:
        """Declared, without conflict, and still active: the reviewer may open the filing."""
        return self.active and self.declared_at is not None and not self.conflict_declared

    @property
    def awaits_declaration(self) -> bool:
        return self.active and self.declared_at is None
