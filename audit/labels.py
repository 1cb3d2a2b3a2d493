"""People's words for the audit log: each action, detail key and known code by its translated label.

The log stores stable codes (``filing.submit``, ``{"from": "draft"}``); people read labels. Apps
above audit register the labels of their own codes (states, sections, verdicts) at start-up, so
audit depends on nobody. Exports carry the details as JSON and the action in both languages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

ACTION_LABELS: dict[str, Any] = {
    "attestations.sign": _("Attestations signed"),
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.logout": _("Signed out"),
    "checklist.answer": _("Checklist item answered"),
    "checklist_template.draft": _("Checklist version drafted"),
    "checklist_template.item_delete": _("Checklist item removed"),
    "checklist_template.item_save": _("Checklist item saved"),
    "checklist_template.publish": _("Checklist version published"),
    "consultation.answer": _("Consultation question answered"),
    "consultation.ask": _("Consultation question asked"),
    "consultation.close": _("Consultation closed"),
    "consultation.open": _("Pre-filing consultation opened"),
    "decision.confirm": _("Decision confirmed"),
    "decision.draft": _("Decision drafted"),
    "decision.return": _("Decision returned to its drafter"),
    "decision.withdraw": _("Draft decision withdrawn"),
    "deficiency.answer": _("Deficiency item answered"),
    "deficiency.discard": _("Draft deficiency item discarded"),
    "deficiency.draft": _("Deficiency item drafted"),
    "deficiency.rule": _("Ruling on a deficiency answer"),
    "document.download": _("Document downloaded"),
    "document.upload": _("Document uploaded"),
    "dossier.download": _("Dossier downloaded"),
    "dossier.render": _("Dossier rendered"),
    "dossier.request": _("Dossier requested"),
    "filing.access_refused": _("Access to a filing refused"),
    "filing.create": _("Filing created"),
    "filing.cutoff_date": _("Cut-off date set"),
    "filing.report_issuance": _("Issuance reported"),
    "handoff.cleared": _("Ready-for-signature mark cleared by an edit"),
    "handoff.ready": _("Marked ready for signature"),
    "notice.download": _("Notice downloaded"),
    "notice.issue": _("Notice issued"),
    "notice.render": _("Notice rendered"),
    "organisation.create": _("Organisation created"),
    "pool.recompute": _("Pool figures recomputed"),
    "preflight.request": _("Pre-flight check requested"),
    "preflight.run": _("Pre-flight check run"),
    "report.acknowledge": _("Post-filing report acknowledged"),
    "report.document_download": _("Post-filing report document downloaded"),
    "report.material_event": _("Material event reported"),
    "report.update_sent": _("Updated materials sent after a material change"),
    "review.answers_received": _("Supplement answers received"),
    "review.assign": _("Reviewer assigned"),
    "review.coi_declared": _("Conflict of interest declared"),
    "review.reminder": _("Clock reminder sent"),
    "review.round_open": _("Review round opened"),
    "review.supplement_request": _("Supplement request sent"),
    "review.unassign": _("Reviewer unassigned"),
    "section.update": _("Section saved"),
    "settings.calendar.load_year": _("Holiday schedule loaded"),
    "settings.calendar.save": _("Calendar override saved"),
    "settings.checklist.save": _("Materials checklist saved"),
    "settings.limit.change": _("Time limit changed"),
    "settings.limits.save": _("Limit or threshold saved"),
    "tape.download": _("Tape downloaded"),
    "tape.import": _("Tape imported"),
    "tape.mapping_save": _("Column mapping saved"),
    "tape.upload": _("Tape uploaded"),
    "user.create": _("User created"),
    "waiver.grant": _("Waiver ruled on"),
    "waiver.request": _("Waiver requested"),
    "waiver.withdraw": _("Waiver request withdrawn"),
}
FILING_TRANSITION = _("Filing: %(transition)s")

KEY_LABELS: dict[str, Any] = {
    "from": _("from"),
    "to": _("to"),
    "reason": _("reason"),
    "reason_code": _("reason code"),
    "note": _("note"),
    "round": _("round"),
    "template": _("checklist version"),
    "item": _("item"),
    "items": _("items"),
    "verdict": _("verdict"),
    "document": _("document"),
    "page": _("page"),
    "path": _("data field"),
    "finding": _("pre-flight finding"),
    "year": _("year"),
    "holidays": _("days off"),
    "working_days": _("make-up working days"),
    "request": _("request"),
    "reopened_sections": _("reopened sections"),
    "version": _("version"),
    "section": _("section"),
    "changes": _("changes"),
    "rows": _("rows"),
    "reference": _("reference"),
    "title": _("title"),
    "asset_class": _("asset class"),
    "snapshot": _("snapshot"),
    "language": _("language"),
    "kind": _("kind"),
    "code": _("code"),
    "deficiency_item": _("deficiency item"),
    "started_on": _("start date"),
    "ended_on": _("end date"),
    "effective_at": _("counted from"),
    "occurred_on": _("occurred on"),
    "due_on": _("report due"),
    "late": _("late"),
    "limit": _("limit"),
    "before": _("before"),
    "after": _("after"),
    "assumed": _("assumed"),
    "consultation": _("consultation"),
    "exchange": _("question"),
    "topic": _("topic"),
    "refiled_as": _("refiled as"),
    "refiling_of": _("refiling of"),
    "venue": _("venue"),
    "amount_issued": _("amount issued"),
}

# key → {code: label}, filled by the apps that own the codes (see register_value_labels).
VALUE_LABELS: dict[str, dict[str, Any]] = {}
# Actions' second part registered by apps with their own vocabulary (filing transitions).
TRANSITION_LABELS: dict[str, Any] = {}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:[._][a-z0-9]+)+$")


def register_value_labels(keys: tuple[str, ...], labels: Mapping[str, Any]) -> None:
    """Let an app above audit name its codes (e.g. filing states under "from" and "to")."""
    for key in keys:
        VALUE_LABELS.setdefault(key, {}).update(labels)


def register_transition_labels(labels: Mapping[str, Any]) -> None:
    TRANSITION_LABELS.update(labels)


def humanise(code: str) -> str:
    """A code nobody registered, readable all the same: ``reason_code`` → "Reason code"."""
    text = re.sub(r"[._]+", " ", code).strip()
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    from .models import ACTION_LABELS as EVENT_LABELS  # the names the Event model already gives

    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    head, _dot, rest = action.partition(".")
    if head == "filing" and rest:
        return str(FILING_TRANSITION % {"transition": TRANSITION_LABELS.get(rest, humanise(rest))})
    return humanise(action)


def key_label(key: str) -> str:
    return str(KEY_LABELS.get(key) or humanise(key))


def value_text(key: str, value: Any) -> str:
    """One detail value as people read it: yes/no, lists joined, codes by their label."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(value_text(key, item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key_label(str(k))}: {value_text(str(k), v)}" for k, v in value.items())
    text = str(value)
    if _ISO_DATE.fullmatch(text):  # dates are stored ISO; people read the page's one date format
        try:
            return formats.date_format(dt.date.fromisoformat(text))
        except ValueError:
            return text
    labels = VALUE_LABELS.get(key, {})
    if text in labels:
        return str(labels[text])
    if isinstance(value, str) and _SNAKE.match(text) and key not in {"path", "field", "anchor"}:
        for known in VALUE_LABELS.values():  # a state or section code under a key nobody registered
            if text in known:
                return str(known[text])
    return text


def detail_pairs(data: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    return [(key_label(str(key)), value_text(str(key), value)) for key, value in (data or {}).items()]


def details_json(data: Mapping[str, Any] | None) -> str:
    """The details for an export: JSON, as stored (codes stay codes for programs)."""
    return json.dumps(data or {}, ensure_ascii=False, sort_keys=True, default=str)


def action_label_in(action: str, language: str) -> str:
    with translation.override(language):
        return action_label(action)
