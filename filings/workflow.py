"""The filing's states, its transitions as a table, and the pure predicates that guard them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    FILED = "filed", _("Filed")
    ISSUED = "issued", _("Issued")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")
    LAPSED = "lapsed", _("Lapsed")
    REVIEW_PAUSED = "review_paused", _("Review paused")
    SUSPENDED = "suspended", _("Suspended")
    REFILED = "refiled", _("Refiled")


S = FilingState
# The clock stops in these (GL4 Art. 4; TM Art. 19(2) consultation; GL1 §二.11 suspension); the
# filing returns to the state it was paused from (ClockPause.return_state).
PAUSE_STATES: list[str] = [S.REVIEW_PAUSED, S.SUSPENDED]
PAUSABLE_STATES: list[str] = [S.SUBMITTED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED]
PRE_DECISION_STATES: list[str] = [S.DRAFT, *PAUSABLE_STATES, *PAUSE_STATES]
OPEN_STATES: list[str] = [*PRE_DECISION_STATES, S.FILED, S.ISSUED]
# A filing that ended this way can be refiled from its last snapshot as a new, linked draft.
REFILABLE_STATES: list[str] = [S.LAPSED, S.TERMINATED]
# States in which the issuer may change the filing's content (in supplement_requested only the
# sections the open deficiency items anchor to).
EDITABLE_STATES: list[str] = [S.DRAFT, S.SUPPLEMENT_REQUESTED]


class AssetClass(models.TextChoices):
    TRADE_RECEIVABLE = "trade_receivable", _("Trade receivables")
    FINANCE_LEASE = "finance_lease", _("Finance-lease receivables")
    TOLL_INCOME = "toll_income", _("Toll-road income rights")


# name: (sources, target, who) — the lifecycle on one screen; the model methods implement it.
TRANSITIONS: dict[str, tuple[list[str], str, str]] = {
    "submit": ([S.DRAFT], S.SUBMITTED, "issuer signatory"),
    "accept": ([S.SUBMITTED], S.UNDER_REVIEW, "lead reviewer"),
    "not_accept": ([S.SUBMITTED], S.NOT_ACCEPTED, "lead reviewer"),
    "request_supplement": ([S.SUBMITTED, S.UNDER_REVIEW], S.SUPPLEMENT_REQUESTED, "reviewer"),
    "resubmit": ([S.SUPPLEMENT_REQUESTED], S.UNDER_REVIEW, "issuer signatory"),
    "decide_file": ([S.UNDER_REVIEW], S.FILED, "lead reviewer (confirming)"),
    "decide_reject": ([S.UNDER_REVIEW], S.REJECTED, "lead reviewer (confirming)"),
    "report_issuance": ([S.FILED], S.ISSUED, "issuer signatory"),
    "close": ([S.ISSUED], S.CLOSED, "issuer signatory"),
    "lapse": ([S.FILED], S.LAPSED, "system"),
    "withdraw": (PRE_DECISION_STATES, S.WITHDRAWN, "issuer signatory"),
    "terminate": (OPEN_STATES, S.TERMINATED, "lead reviewer"),
    "pause_review": (PAUSABLE_STATES, S.REVIEW_PAUSED, "lead or assigned reviewer"),
    "resume_review": ([S.REVIEW_PAUSED], "(the state it was paused from)", "lead or assigned reviewer"),
    "suspend": (PAUSABLE_STATES, S.SUSPENDED, "lead reviewer"),
    "resume": ([S.SUSPENDED], "(the state it was suspended from)", "lead reviewer"),
    "refile": (REFILABLE_STATES, S.REFILED, "issuer signatory"),
}
