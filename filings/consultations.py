"""Pre-filing consultation (GL4 Art. 3): open, ask, answer, close, each an FSM step with its role.

Optional and before submission: the issuer opens a consultation on the draft with a first
question; further questions are numbered in the same thread; the lead reviewer answers. The thread
stays on the filing, so the reviewers assigned after submission read what was said.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import has_transition_perm

from audit.services import record_event

from .errors import TransitionRefusedError
from .models import Consultation, ConsultationExchange, ConsultationStatus, ConsultationTopic
from .rules import can_prepare_filing
from .services import _lock
from .workflow import FilingState

MAX_QUESTION = 5000


def _text(value: str, what: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionRefusedError(_("Write the %(what)s.") % {"what": what})
    if len(value) > MAX_QUESTION:
        raise TransitionRefusedError(_("At most 5,000 characters."))
    return value


def _ask(consultation: Consultation, question: str, by: Any) -> ConsultationExchange:
    number = (consultation.exchanges.aggregate(last=Max("number"))["last"] or 0) + 1
    exchange = ConsultationExchange.objects.create(
        consultation=consultation, number=number, question=question, asked_by=by
    )
    record_event(
        action="consultation.ask",
        actor=by,
        subject=exchange,
        filing_id=consultation.filing_id,
        data={"consultation": consultation.number, "exchange": f"{consultation.number}.{number}"},
    )
    return exchange


@transaction.atomic
def open_consultation(*, filing_id: int, topic: str, question: str, by: Any) -> Consultation:
    """The issuer's staff open consultation N on a draft with its first question."""
    filing = _lock(filing_id)
    if not can_prepare_filing(by, filing):
        raise TransitionRefusedError(
            _("Only the issuer's own staff may consult the regulator on this filing.")
        )
    if filing.state != FilingState.DRAFT:
        raise TransitionRefusedError(_("A pre-filing consultation is opened before the filing is submitted."))
    if topic not in ConsultationTopic.values:
        raise TransitionRefusedError(_("Choose the topic of the consultation."))
    question = _text(question, _("question"))
    number = (filing.consultations.aggregate(last=Max("number"))["last"] or 0) + 1
    consultation = Consultation.objects.create(filing=filing, number=number, topic=topic, opened_by=by)
    record_event(
        action="consultation.open",
        actor=by,
        subject=consultation,
        filing_id=filing.pk,
        data={"consultation": number, "topic": topic},
    )
    _ask(consultation, question, by)
    return consultation


@transaction.atomic
def ask_question(*, consultation_id: int, question: str, by: Any) -> ConsultationExchange:
    """A further numbered question in an open consultation, while the filing is a draft."""
    consultation = Consultation.objects.select_related("filing").get(pk=consultation_id)
    filing = _lock(consultation.filing_id)
    if not can_prepare_filing(by, filing):
        raise TransitionRefusedError(
            _("Only the issuer's own staff may consult the regulator on this filing.")
        )
    if consultation.status != ConsultationStatus.OPEN or filing.state != FilingState.DRAFT:
        raise TransitionRefusedError(_("This consultation is closed, or the filing has been submitted."))
    return _ask(consultation, _text(question, _("question")), by)


@transaction.atomic
def answer_question(*, exchange_id: int, answer: str, by: Any) -> ConsultationExchange:
    """The lead reviewer answers question N.M (a reply, not a substantive determination)."""
    exchange = ConsultationExchange.objects.select_related("consultation__filing").get(pk=exchange_id)
    _lock(exchange.consultation.filing_id)
    exchange = (
        ConsultationExchange.objects.select_for_update().select_related("consultation").get(pk=exchange_id)
    )
    if not has_transition_perm(exchange.give_answer, by):
        raise TransitionRefusedError()
    exchange.give_answer()
    exchange.answer = _text(answer, _("answer"))
    exchange.answered_by = by
    exchange.answered_at = timezone.now()
    exchange.save()
    record_event(
        action="consultation.answer",
        actor=by,
        subject=exchange,
        filing_id=exchange.consultation.filing_id,
        data={"exchange": f"{exchange.consultation.number}.{exchange.number}"},
    )
    return exchange


@transaction.atomic
def close_consultation(*, consultation_id: int, by: Any) -> Consultation:
    consultation = Consultation.objects.select_related("filing").get(pk=consultation_id)
    _lock(consultation.filing_id)
    consultation = Consultation.objects.select_for_update().select_related("filing").get(pk=consultation_id)
    if not has_transition_perm(consultation.close, by):
        raise TransitionRefusedError()
    consultation.close()
    consultation.closed_at = timezone.now()
    consultation.save()
    record_event(
        action="consultation.close",
        actor=by,
        subject=consultation,
        filing_id=consultation.filing_id,
        data={"consultation": consultation.number},
    )
    return consultation
