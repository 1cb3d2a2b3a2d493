"""Template helpers of the review screens: the panel on the filing page and evidence labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from filings.models import Filing, Snapshot

from .. import selectors
from ..models import ANCHOR_SECTIONS
from ..permissions import can_answer_deficiencies, can_work_on, is_active_lead

register = template.Library()


@register.simple_tag
def review_panel(filing: Filing, user: Any) -> dict[str, Any]:
    """What the filing page shows about the review to this user (a read; nothing changes)."""
    panel: dict[str, Any] = {"notices": list(selectors.notices_for(filing))}
    if getattr(user, "is_regulator_staff", False):
        assignments = list(selectors.assignments_for(filing))
        panel.update(
            regulator=True,
            assignments=assignments,
            own_pending=next(
                (a for a in assignments if a.reviewer_id == user.pk and a.awaits_declaration), None
            ),
            can_work=can_work_on(user, filing),
            is_lead=is_active_lead(user),
            drafted=selectors.drafted_decision(filing),
            open_request=selectors.open_request(filing),
        )
    elif can_answer_deficiencies(user, filing):
        panel.update(
            issuer=True,
            open_request=selectors.open_request(filing),
            has_requests=filing.supplement_requests.exists(),
        )
    return panel


@register.filter
def finding_text(snapshot: Snapshot | None, code: str) -> str:
    """The frozen message of a pre-flight finding in the reader's language."""
    if snapshot is None or not code:
        return ""
    finding = selectors.snapshot_finding(snapshot, code)
    if finding is None:
        return ""
    key = "message_zh" if (get_language() or "zh-hans").startswith("zh") else "message_en"
    return str(finding.get(key) or finding.get("message_en") or "")


@register.filter
def findings_of(snapshot: Snapshot | None, code: str) -> list[dict[str, str]]:
    """Every frozen pre-flight finding of a rule, each with its message and the field it points at."""
    if snapshot is None or not code:
        return []
    key = "message_zh" if (get_language() or "zh-hans").startswith("zh") else "message_en"
    return [
        {"text": str(f.get(key) or f.get("message_en") or ""), "field": str(f.get("field") or "")}
        for f in snapshot.data.get("preflight") or []
        if f.get("code") == code
    ]


@register.filter
def section_label(key: str) -> str:
    """A reopenable section's name in the reader's language."""
    return str(dict(ANCHOR_SECTIONS).get(key, key))


@register.filter
def notice_text(notice: Any) -> str:
    """The notice's stored text in the reader's language."""
    return notice.text_zh if (get_language() or "zh-hans").startswith("zh") else notice.text_en
