"""Review models, split by sub-domain; import from here."""

from .assignments import Assignment
from .checklists import (
    ChecklistAnswer,
    ChecklistGroup,
    ChecklistItem,
    ChecklistTemplate,
    ReviewRound,
    TemplateStatus,
    Verdict,
)
from .decisions import Decision, DecisionKind, DecisionStatus, Notice, NoticeKind
from .deficiencies import (
    ANCHOR_SECTIONS,
    DeficiencyItem,
    DeficiencyResponse,
    ItemStatus,
    RequestItem,
    Ruling,
    SupplementRequest,
)
from .outbox import OutboxMessage, OutboxStatus, Reminder

__all__ = [
    "ANCHOR_SECTIONS",
    "Assignment",
    "ChecklistAnswer",
    "ChecklistGroup",
    "ChecklistItem",
    "ChecklistTemplate",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "DeficiencyItem",
    "DeficiencyResponse",
    "ItemStatus",
    "Notice",
    "NoticeKind",
    "OutboxMessage",
    "OutboxStatus",
    "Reminder",
    "RequestItem",
    "ReviewRound",
    "Ruling",
    "SupplementRequest",
    "TemplateStatus",
    "Verdict",
]
