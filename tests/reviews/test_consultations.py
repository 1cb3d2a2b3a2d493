"""Pre-filing consultation: the issuer's numbered questions before submission, the lead's answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.labels import action_label
from audit.selectors import events_for_filing
from filings.consultations import answer_question, ask_question, close_consultation, open_consultation
from filings.errors import TransitionRefusedError
from filings.models import Consultation, ConsultationExchange

pytestmark = pytest.mark.django_db


def test_a_consultation_numbers_its_exchanges_and_the_lead_answers(ready_filing, preparer, lead):
    consultation = open_consultation(
        filing_id=ready_filing.pk, topic="scope", question="收费收益权是否属于指引范围？", by=preparer
    )
    second = ask_question(consultation_id=consultation.pk, question="境外SPV是否需要ODI备案？", by=preparer)
    answer_question(exchange_id=second.pk, answer="需按规定办理ODI备案。", by=lead)

    exchanges = list(ConsultationExchange.objects.filter(consultation=consultation).order_by("number"))
    assert [(e.number, e.status) for e in exchanges] == [(1, "asked"), (2, "answered")]
    assert (exchanges[1].answer, exchanges[1].answered_by) == ("需按规定办理ODI备案。", lead)
    actions = [e.action for e in events_for_filing(ready_filing.pk) if e.action.startswith("consultation.")]
    assert actions == ["consultation.open", "consultation.ask", "consultation.ask", "consultation.answer"]
    assert action_label("consultation.open") == "Pre-filing consultation opened"


@pytest.mark.parametrize("who", ["signatory_of_other", "reviewer", "lead"])
def test_only_the_issuers_staff_open_and_ask(ready_filing, who, reviewer, lead, other_preparer):
    person = {"signatory_of_other": other_preparer, "reviewer": reviewer, "lead": lead}[who]
    with pytest.raises(TransitionRefusedError):
        open_consultation(filing_id=ready_filing.pk, topic="other", question="?", by=person)
    assert not Consultation.objects.exists()


def test_only_the_lead_answers_and_only_once(ready_filing, preparer, reviewer, lead):
    consultation = open_consultation(filing_id=ready_filing.pk, topic="other", question="问题", by=preparer)
    exchange = consultation.exchanges.get()
    for person in (preparer, reviewer):
        with pytest.raises(TransitionRefusedError):
            answer_question(exchange_id=exchange.pk, answer="答复", by=person)
    answer_question(exchange_id=exchange.pk, answer="答复", by=lead)
    with pytest.raises(TransitionRefusedError):
        answer_question(exchange_id=exchange.pk, answer="再答复", by=lead)
    assert ConsultationExchange.objects.get(pk=exchange.pk).answer == "答复"


def test_a_closed_consultation_or_a_submitted_filing_takes_no_more_questions(submitted, preparer, signatory):
    with pytest.raises(TransitionRefusedError):
        open_consultation(filing_id=submitted.pk, topic="other", question="?", by=preparer)


def test_closing_is_the_issuers_step(ready_filing, preparer, lead):
    consultation = open_consultation(
        filing_id=ready_filing.pk, topic="structure", question="问题", by=preparer
    )
    with pytest.raises(TransitionRefusedError):
        close_consultation(consultation_id=consultation.pk, by=lead)
    close_consultation(consultation_id=consultation.pk, by=preparer)
    with pytest.raises(TransitionRefusedError):
        ask_question(consultation_id=consultation.pk, question="再问", by=preparer)
    assert Consultation.objects.get(pk=consultation.pk).status == "closed"


def test_the_reviewer_reads_the_thread_after_submission(
    client, ready_filing, preparer, lead, assigned, reviewer
):
    consultation = Consultation.objects.create(filing=assigned, number=1, topic="scope", opened_by=preparer)
    ConsultationExchange.objects.create(
        consultation=consultation, number=1, question="范围问题", asked_by=preparer
    )
    client.force_login(reviewer)

    page = client.get(reverse("filings:consultations", args=[assigned.reference]), HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert page.status_code == 200
    assert "范围问题" in html and 'data-exchange="1.1"' in html
    assert "Open a consultation" not in html


def test_the_issuer_opens_one_on_the_page(client, ready_filing, preparer):
    client.force_login(preparer)
    url = reverse("filings:consultations", args=[ready_filing.reference])
    response = client.post(url, {"action": "open", "topic": "scope", "question": "是否在范围内？"})
    assert response.status_code == 302
    assert "是否在范围内？" in client.get(url).content.decode()
    bad = client.post(url, {"action": "ask", "consultation": "999999", "text": "x"})
    assert bad.status_code == 404
