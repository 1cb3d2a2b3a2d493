"""Four eyes under contention: two lead reviewers confirming one draft at once give one decision."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import Role
from audit.models import Event
from audit.services import verify_chain
from filings.errors import FilingError
from filings.models import Filing
from filings.services import submit_filing
from reviews import services
from reviews.checklists import ensure_checklist_in_force
from reviews.models import Decision, DecisionStatus, Notice
from tests.factories import UserFactory
from tests.reviews.helpers import answer_everything, clear

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def reseed_checklists(transactional_db) -> None:
    """An earlier transactional test flushed what the migrations seed (the materials checklist the
    demo filling uploads against, the review checklist); put both back. serialized_rollback cannot:
    its restore collides with the content types the flush re-creates."""
    from importlib import import_module

    from django.apps import apps

    import_module("filings.migrations.0002_materials_checklist").seed(apps, None)
    ensure_checklist_in_force()


def test_two_confirmations_racing_produce_exactly_one_decision(
    ready_filing, signatory, reviewer, lead, regulator_org
):
    other_lead = UserFactory(username="lead-2", role=Role.LEAD_REVIEWER, organisation=regulator_org)
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    clear(ready_filing, reviewer, lead)
    services.accept_filing(filing_id=ready_filing.pk, by=lead)
    answer_everything(Filing.objects.get(pk=ready_filing.pk), reviewer)
    draft = services.draft_decision(filing_id=ready_filing.pk, by=reviewer, kind="file")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(who) -> None:
        barrier.wait()
        try:
            services.confirm_decision(decision_id=draft.pk, by=who)
            outcomes.append("confirmed")
        except FilingError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(who,)) for who in (lead, other_lead)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["confirmed", "refused"]
    assert Filing.objects.get(pk=ready_filing.pk).state == "filed"
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.CONFIRMED
    assert Notice.objects.filter(filing_id=ready_filing.pk, kind="filing").count() == 1
    assert Event.objects.filter(filing_id=ready_filing.pk, action="decision.confirm").count() == 1
    assert Event.objects.filter(filing_id=ready_filing.pk, action="filing.decide_file").count() == 1
    assert verify_chain().ok
