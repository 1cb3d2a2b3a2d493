"""Each notification kind's label in the reader's language: codes never reach people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# kind → label with %(reference)s (and %(due)s where the kind carries a due date).
KIND_LABELS: dict[str, Any] = {
    "review_assigned": _("You were assigned to review %(reference)s: declare any conflict of interest"),
    "conflict_declared": _("A reviewer declared a conflict of interest on %(reference)s"),
    "review_started": _("The regulator accepted %(reference)s for review"),
    "not_accepted": _("The regulator did not accept %(reference)s"),
    "supplement_requested": _("Supplement request on %(reference)s: answer by %(due)s"),
    "resubmitted": _("The issuer answered the supplement request on %(reference)s"),
    "decision_drafted": _("A decision on %(reference)s awaits your confirmation"),
    "decision_returned": _("Your draft decision on %(reference)s was returned"),
    "decision_confirmed": _("The decision on %(reference)s is confirmed"),
    "clock_reminder": _("Deadline reminder for %(reference)s: due %(due)s"),
    "ready_for_signature": _("%(reference)s is ready for your signature"),
    "import_finished": _("%(reference)s: the import of %(file)s finished, %(rows)s rows stored"),
    "import_refused": _("%(reference)s: the import of %(file)s was refused (errors to correct: %(errors)s)"),
    "import_failed": _("%(reference)s: the import of %(file)s failed; start it again"),
}
# Kinds told in the app only, never by email (the person started the work and the task inbox lists it).
IN_APP_ONLY = frozenset({"import_finished", "import_refused", "import_failed"})
# A kind without a due date says so in words, never with an empty placeholder.
KIND_LABELS_NO_DUE: dict[str, Any] = {
    "supplement_requested": _("Supplement request on %(reference)s: answer the items"),
    "clock_reminder": _("Deadline reminder for %(reference)s"),
}
KIND_NAMES: dict[str, Any] = {
    "review_assigned": _("Review assigned"),
    "conflict_declared": _("Conflict of interest declared"),
    "review_started": _("Review started"),
    "not_accepted": _("Not accepted"),
    "supplement_requested": _("Supplement requested"),
    "resubmitted": _("Answers resubmitted"),
    "decision_drafted": _("Decision drafted"),
    "decision_returned": _("Decision returned"),
    "decision_confirmed": _("Decision confirmed"),
    "clock_reminder": _("Deadline reminder"),
    "ready_for_signature": _("Ready for signature"),
    "import_finished": _("Import finished"),
    "import_refused": _("Import refused"),
    "import_failed": _("Import failed"),
}


def notification_label(kind: str, params: dict[str, Any] | None) -> str:
    """The sentence a person reads for a notification; an unknown kind reads as a plain notice."""
    params = dict(params or {})
    reference = str(params.get("reference") or "—")
    due = params.get("due")
    if kind not in KIND_LABELS:
        return gettext("A notification about %(reference)s") % {"reference": reference}
    if kind in KIND_LABELS_NO_DUE and not due:
        return str(KIND_LABELS_NO_DUE[kind]) % {"reference": reference}
    due_text = formats.date_format(dt.date.fromisoformat(due), "DATE_FORMAT") if due else ""
    return str(KIND_LABELS[kind]) % {
        "reference": reference,
        "due": due_text,
        "file": params.get("file") or "—",
        "rows": formats.number_format(params.get("rows") or 0, force_grouping=True),
        "errors": formats.number_format(params.get("errors") or 0, force_grouping=True),
    }


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, gettext("Notification")))
