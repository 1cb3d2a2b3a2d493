"""Times the regulator's clock stands still: communication meetings, consultations, suspensions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PauseKind(models.TextChoices):
    MEETING = "meeting", _("Communication meeting")  # GL4 Art. 4
    CONSULTATION = "consultation", _("Consultation of other authorities")  # TM Art. 19(2)
    SUSPENSION = "suspension", _("Suspension")  # GL1 §二.11


class PauseOutcome(models.TextChoices):
    RESUMED = "resumed", _("Resumed")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClockPause(models.Model):
    """One pause of a filing's clock, from the day it started to the day it ended (open while null).

    ``started_at``/``ended_at`` are the moments the clock uses (the day the reviewer entered, never
    before the filing's previous state change); the audit events carry the same moments.
    """

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=20, choices=PauseKind.choices)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("paused from"))
    ended_at = models.DateTimeField(_("paused until"), null=True, blank=True)
    return_state = models.CharField(max_length=30, editable=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=PauseOutcome.choices, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("clock pause")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PauseKind.values), name="pause_kind_valid"),
            # At most one open pause per filing: the state machine pauses from a running state only.
            models.UniqueConstraint(
                fields=["filing"], condition=models.Q(ended_at__isnull=True), name="pause_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.kind} {self.started_at:%Y-%m-%d}"
