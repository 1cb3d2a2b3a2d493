"""The filing: one issuance's application to the CSRC and the lifecycle it moves through."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from ..workflow import (
    OPEN_STATES,
    PAUSABLE_STATES,
    PRE_DECISION_STATES,
    REFILABLE_STATES,
    AssetClass,
    FilingState,
)

S = FilingState
# Post-filing reports that are material changes (GL1 §二.10): each blocks issuance until acknowledged.
CHANGE_KINDS = ("business_change", "control_change", "plan_change", "pool_change", "structure_change")
# The states the review queue lists (reviews.selectors.ACTIVE_REVIEW_STATES): its indexes cover them.
IN_REVIEW = [
    S.SUBMITTED.value,
    S.UNDER_REVIEW.value,
    S.SUPPLEMENT_REQUESTED.value,
    S.REVIEW_PAUSED.value,
    S.SUSPENDED.value,
]


def _is_issuer_signatory(filing: Any, user: Any) -> bool:
    return bool(
        getattr(user, "is_signatory", False)
        and user.is_active
        and user.organisation_id == filing.organisation_id
    )


def _is_lead(filing: Any, user: Any) -> bool:
    return bool(getattr(user, "is_lead_reviewer", False) and user.is_active)


def _is_regulator_reviewer(filing: Any, user: Any) -> bool:
    return bool(
        (getattr(user, "is_reviewer", False) or getattr(user, "is_lead_reviewer", False)) and user.is_active
    )


def _is_lead_or_assigned(filing: Any, user: Any) -> bool:
    """The lead reviewer, or a reviewer cleared on this filing (declared, no conflict, active)."""
    if _is_lead(filing, user):
        return True
    return bool(
        getattr(user, "is_reviewer", False)
        and user.is_active
        and filing.assignments.filter(
            reviewer=user, active=True, declared_at__isnull=False, conflict_declared=False
        ).exists()
    )


def _has_no_unacknowledged_changes(filing: Any) -> bool:
    """Issuance waits until the reviewer has acknowledged every material change reported."""
    return not filing.material_events.filter(kind__in=CHANGE_KINDS, status="reported").exists()


def _open_pause_state(filing: Any) -> str:
    pause = filing.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    return pause.return_state if pause is not None else S.UNDER_REVIEW


def _ended_by_lapse(filing: Any) -> bool:
    """Lapsed, or terminated because a deadline passed: the issuer may start again from the last
    snapshot. Other terminations (investigation, false statements...) stay final."""
    return filing.state == S.LAPSED or filing.reason_code == ReasonCode.DEADLINE_MISSED


def _is_system_or_lead(filing: Any, user: Any) -> bool:
    return user is None or _is_lead(filing, user)


class ReasonCode(models.TextChoices):
    """Why a filing ended without (or after) a filing notice."""

    ISSUER_REQUEST = "issuer_request", _("Withdrawn at the issuer's request")
    PLAN_CHANGED = "plan_changed", _("Issuance plan abandoned or changed")
    INCOMPLETE = "incomplete", _("Materials incomplete or not in the required form")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the scope of the guideline")
    PROHIBITED = "prohibited", _("A prohibited circumstance applies")
    NEGATIVE_LIST = "negative_list", _("Underlying assets on the negative list")
    STRUCTURE = "structure", _("Transaction structure not compliant")
    RISK_ISOLATION = "risk_isolation", _("Risk isolation not effective")
    AUTHENTICITY = "authenticity", _("Authenticity of the assets not established")
    DEADLINE_MISSED = "deadline_missed", _("Reply deadline missed")
    INVESTIGATION = "investigation", _("Investigation or sanction")
    OTHER = "other", _("Other (see the explanation)")


class FilingQuerySet(models.QuerySet["Filing"]):
    def open(self) -> FilingQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def under_regulator(self) -> FilingQuerySet:
        return self.exclude(state=S.DRAFT)


class Filing(ConcurrentTransitionMixin, models.Model):
    """An ABS-token issuance filed with the CSRC by the domestic entity controlling the assets."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="filings", verbose_name=_("issuer")
    )
    title = models.CharField(_("issuance name"), max_length=200)
    asset_class = models.CharField(_("asset class"), max_length=30, choices=AssetClass.choices)
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True)
    pool = models.OneToOneField(
        "assets.AssetPool",
        on_delete=models.PROTECT,
        related_name="filing",
        null=True,
        blank=True,
        verbose_name=_("asset pool"),
    )
    cutoff_date = models.DateField(_("pool cut-off date"), null=True, blank=True)
    criteria_profile = models.JSONField(_("criteria profile"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, blank=True)
    supplement_return_state = models.CharField(max_length=30, blank=True, editable=False)
    notice_number = models.CharField(_("filing notice number"), max_length=40, blank=True)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=30, choices=ReasonCode.choices, blank=True)
    closed_reason = models.TextField(_("reason"), blank=True)
    # Set by the review service when it requests supplements: only these sections reopen.
    reopened_sections = models.JSONField(default=list, blank=True, editable=False)
    # The clock state derived from the audit log (filings/clock.py), stored so that queues can
    # filter, sort and page in SQL. Written by filings.deadlines.store_clocks whenever a service
    # moves the clock and at each working-day rollover; the log stays the source of truth.
    clock_phase = models.CharField(_("running clock"), max_length=20, blank=True, editable=False)
    clock_status = models.CharField(_("clock status"), max_length=12, blank=True, editable=False)
    clock_used = models.PositiveSmallIntegerField(_("working days used"), null=True, editable=False)
    clock_limit = models.PositiveSmallIntegerField(_("working days allowed"), null=True, editable=False)
    clock_days_left = models.SmallIntegerField(_("working days left"), null=True, editable=False)
    clock_due_date = models.DateField(_("due date"), null=True, editable=False)
    clock_overdue = models.BooleanField(_("overdue"), default=False, editable=False)
    clock_nearly_due = models.BooleanField(_("nearly due"), default=False, editable=False)
    clock_paused = models.BooleanField(_("regulator's clock paused"), default=False, editable=False)
    clock_summary = models.JSONField(default=dict, blank=True, editable=False)
    clock_as_of = models.DateField(null=True, editable=False)  # the local working day computed on
    # Whether an assignment is active and not conflicted (kept true by reviews.services.assignments):
    # the lead's "waiting for assignment" list and count read it through an index.
    has_reviewer = models.BooleanField(_("has a reviewer"), default=False, editable=False)
    # A refiling starts from the last snapshot of the filing it replaces (lapsed or terminated by lapse).
    refiled_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refiling",
        editable=False,
        verbose_name=_("refiling of"),
    )
    # The pre-flight findings with the fingerprint of the data they were computed on
    # (filings.compliance.cache): a read recomputes them only when that data changed.
    preflight_cache = models.JSONField(default=dict, blank=True, editable=False)
    # The preparer's hand-off (desk.services.mark_ready_for_signature): set on a draft whose
    # pre-flight has no blocking findings, cleared by the next edit of a section or a document.
    ready_for_signature_at = models.DateTimeField(
        _("ready for signature since"), null=True, blank=True, editable=False
    )
    ready_for_signature_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("marked ready by"),
    )
    ready_for_signature_note = models.TextField(_("note to the signatories"), blank=True, editable=False)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at"]
        indexes = [
            # The review queue's two main orders over the filings in review, in the queue's exact
            # ORDER BY: a page of 50 reads 50 index entries instead of sorting every filing in review.
            models.Index(
                fields=["-clock_overdue", "clock_due_date", "submitted_at", "id"],
                condition=models.Q(state__in=IN_REVIEW),
                name="filing_queue_due",
            ),
            models.Index(
                fields=["clock_days_left", "clock_due_date", "id"],
                condition=models.Q(state__in=IN_REVIEW),
                name="filing_queue_left",
            ),
            # The lead's oldest unassigned filings, in submission order.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(state__in=IN_REVIEW, has_reviewer=False),
                name="filing_unassigned",
            ),
            # The lead's counts (in review, overdue, nearly due, unassigned) from the index alone.
            models.Index(
                fields=["clock_overdue", "clock_nearly_due", "has_reviewer"],
                include=["state", "id"],
                condition=models.Q(state__in=IN_REVIEW),
                name="filing_in_review_counts",
            ),
            models.Index(fields=["clock_as_of"], name="filing_clock_as_of"),
            models.Index(fields=["-created_at"], name="filing_newest_first"),  # the lists' order
            # The signatory's inbox: the organisation's drafts handed over for signature.
            models.Index(
                fields=["organisation", "ready_for_signature_at"],
                condition=models.Q(ready_for_signature_at__isnull=False),
                name="filing_ready_for_signature",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=S.values), name="filing_state_valid"),
            models.CheckConstraint(
                condition=models.Q(asset_class__in=AssetClass.values), name="filing_class_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("filings:detail", args=[self.reference])

    # Transitions. They change only ``state``; the service in filings/services.py locks the
    # row, calls one of these, saves, records the event and schedules side effects.

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED, permission=_is_issuer_signatory)
    def submit(self) -> None:
        """The issuer signatory sends the filing; the service freezes snapshot 1."""

    @transition(field=state, source=S.SUBMITTED, target=S.UNDER_REVIEW, permission=_is_lead)
    def accept(self) -> None:
        """Materials complete: the 20-working-day review clock starts."""

    @transition(field=state, source=S.SUBMITTED, target=S.NOT_ACCEPTED, permission=_is_lead)
    def not_accept(self) -> None:
        """The filing does not meet the guideline and is not accepted."""

    @transition(
        field=state,
        source=[S.SUBMITTED, S.UNDER_REVIEW],
        target=S.SUPPLEMENT_REQUESTED,
        permission=_is_regulator_reviewer,
    )
    def request_supplement(self) -> None:
        """Deficiency items go to the issuer; the regulator's clock stops."""
        self.supplement_return_state = self.state

    @transition(
        field=state,
        source=S.SUPPLEMENT_REQUESTED,
        target=RETURN_VALUE(S.SUBMITTED, S.UNDER_REVIEW),
        permission=_is_issuer_signatory,
    )
    def resubmit(self) -> str:
        """Answers go back to where the request was made (completeness or review)."""
        return self.supplement_return_state or S.UNDER_REVIEW

    @transition(field=state, source=S.UNDER_REVIEW, target=S.FILED, permission=_is_lead)
    def decide_file(self) -> None:
        """Confirmed decision to file: a numbered filing notice is issued."""

    @transition(field=state, source=S.UNDER_REVIEW, target=S.REJECTED, permission=_is_lead)
    def decide_reject(self) -> None:
        """Confirmed decision not to file, with reasons."""

    @transition(
        field=state,
        source=S.FILED,
        target=S.ISSUED,
        conditions=[_has_no_unacknowledged_changes],
        permission=_is_issuer_signatory,
    )
    def report_issuance(self) -> None:
        """The issuer reports that the offshore issuance has completed."""

    @transition(field=state, source=S.ISSUED, target=S.CLOSED, permission=_is_issuer_signatory)
    def close(self) -> None:
        """The tokens are redeemed or matured."""

    @transition(field=state, source=S.FILED, target=S.LAPSED, permission=_is_system_or_lead)
    def lapse(self) -> None:
        """Twelve months after filing without issuance the filing lapses."""

    @transition(field=state, source=PRE_DECISION_STATES, target=S.WITHDRAWN, permission=_is_issuer_signatory)
    def withdraw(self) -> None:
        """The issuer withdraws before a decision."""

    @transition(field=state, source=OPEN_STATES, target=S.TERMINATED, permission=_is_lead)
    def terminate(self) -> None:
        """The regulator ends the procedure (e.g. reply deadline missed)."""

    @transition(field=state, source=PAUSABLE_STATES, target=S.REVIEW_PAUSED, permission=_is_lead_or_assigned)
    def pause_review(self) -> None:
        """A communication meeting or a consultation of other authorities: the clock stops."""

    @transition(
        field=state,
        source=S.REVIEW_PAUSED,
        target=RETURN_VALUE(*PAUSABLE_STATES),
        permission=_is_lead_or_assigned,
    )
    def resume_review(self) -> str:
        """The meeting or consultation is over: back to where the clock stopped."""
        return _open_pause_state(self)

    @transition(field=state, source=PAUSABLE_STATES, target=S.SUSPENDED, permission=_is_lead)
    def suspend(self) -> None:
        """The procedure is suspended (GL1 §二.11); it is later resumed or terminated."""

    @transition(field=state, source=S.SUSPENDED, target=RETURN_VALUE(*PAUSABLE_STATES), permission=_is_lead)
    def resume(self) -> str:
        """The cause of the suspension is gone: the procedure resumes where it stood."""
        return _open_pause_state(self)

    @transition(
        field=state,
        source=REFILABLE_STATES,
        target=S.REFILED,
        conditions=[_ended_by_lapse],
        permission=_is_issuer_signatory,
    )
    def refile(self) -> None:
        """The issuer starts again: a new draft from the last snapshot, linked to this filing."""

    def section_is_editable(self, section: str) -> bool:
        """Drafts are open everywhere; during a supplement request, or after filing while a material
        change's update round is open, only the reopened sections."""
        if self.state == S.DRAFT:
            return True
        return self.state in (S.SUPPLEMENT_REQUESTED, S.FILED) and section in (self.reopened_sections or [])
