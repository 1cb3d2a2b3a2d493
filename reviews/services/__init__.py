"""Every change in a review goes through one function here: lock, check, change, record, notify."""

from .assignments import assign_reviewer, declare_conflicts, recuse, unassign_reviewer
from .checklists import (
    answer_checklist_item,
    answer_checklist_items,
    create_template_draft,
    delete_template_item,
    publish_template,
    save_template_item,
)
from .decisions import (
    accept_filing,
    confirm_decision,
    draft_decision,
    not_accept_filing,
    return_decision,
    withdraw_decision,
)
from .deficiencies import (
    answer_deficiency_item,
    discard_draft_item,
    draft_deficiency_item,
    resubmit_answers,
    rule_on_item,
    send_supplement_request,
)
from .notices import hand_out_notice_pdf, issue_notice, render_notice_pdf
from .reminders import send_clock_reminders, sync_review_round, sync_review_rounds
from .rounds import ensure_round
from .waivers import rule_on_waiver_request

__all__ = [
    "accept_filing",
    "answer_checklist_item",
    "answer_checklist_items",
    "answer_deficiency_item",
    "assign_reviewer",
    "confirm_decision",
    "create_template_draft",
    "declare_conflicts",
    "delete_template_item",
    "discard_draft_item",
    "draft_decision",
    "draft_deficiency_item",
    "ensure_round",
    "hand_out_notice_pdf",
    "issue_notice",
    "not_accept_filing",
    "publish_template",
    "recuse",
    "render_notice_pdf",
    "resubmit_answers",
    "return_decision",
    "rule_on_item",
    "rule_on_waiver_request",
    "save_template_item",
    "send_clock_reminders",
    "send_supplement_request",
    "sync_review_round",
    "sync_review_rounds",
    "unassign_reviewer",
    "withdraw_decision",
]
