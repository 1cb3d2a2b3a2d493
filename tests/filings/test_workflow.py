"""The lifecycle: who may take which step from which state, and what a step leaves behind."""

from __future__ import annotations

import itertools

import pytest

from audit.selectors import events_for_filing
from filings.errors import TransitionRefusedError
from filings.models import Filing
from filings.refiling import refile_filing
from filings.services import submit_filing, transition_filing
from filings.workflow import TRANSITIONS, FilingState

pytestmark = pytest.mark.django_db

S = FilingState


def test_submit_freezes_snapshot_and_records_event(signatory, ready_filing):
    submit_filing(filing_id=ready_filing.pk, by=signatory)

    ready_filing.refresh_from_db()
    snapshot = ready_filing.snapshots.get()
    assert ready_filing.state == S.SUBMITTED
    assert snapshot.version == 1
    assert snapshot.data["reference"] == ready_filing.reference
    assert snapshot.data["tranches"][0]["name"] == "A"
    assert ready_filing.receipt_number == f"FD-{ready_filing.submitted_at.year}-{ready_filing.pk:06d}"
    actions = [e.action for e in events_for_filing(ready_filing.pk)]
    assert actions[0] == "filing.create" and actions[-1] == "filing.submit"


def test_preparer_cannot_submit(preparer, ready_filing):
    with pytest.raises(TransitionRefusedError):
        submit_filing(filing_id=ready_filing.pk, by=preparer)

    ready_filing.refresh_from_db()
    assert ready_filing.state == S.DRAFT
    assert not ready_filing.snapshots.exists()


def test_signatory_of_another_issuer_cannot_submit(ready_filing, other_issuer_org):
    from tests.factories import UserFactory

    stranger = UserFactory(role="signatory", organisation=other_issuer_org)

    with pytest.raises(TransitionRefusedError):
        submit_filing(filing_id=ready_filing.pk, by=stranger)
    assert Filing.objects.get(pk=ready_filing.pk).state == S.DRAFT


def test_supplement_during_review_returns_to_review_on_resubmission(signatory, lead, reviewer, ready_filing):
    from filings.services import resubmit_filing

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    transition_filing(filing_id=ready_filing.pk, name="request_supplement", by=reviewer)
    assert Filing.objects.get(pk=ready_filing.pk).state == S.SUPPLEMENT_REQUESTED

    resubmit_filing(filing_id=ready_filing.pk, by=signatory)

    filing = Filing.objects.get(pk=ready_filing.pk)
    assert filing.state == S.UNDER_REVIEW
    assert list(filing.snapshots.values_list("version", flat=True)) == [1, 2]


def test_supplement_during_completeness_returns_to_completeness(signatory, lead, ready_filing):
    from filings.services import resubmit_filing

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="request_supplement", by=lead)
    resubmit_filing(filing_id=ready_filing.pk, by=signatory)

    assert Filing.objects.get(pk=ready_filing.pk).state == S.SUBMITTED


def test_filed_decision_issues_a_numbered_notice(signatory, lead, ready_filing):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    transition_filing(filing_id=ready_filing.pk, name="decide_file", by=lead)

    filing = Filing.objects.get(pk=ready_filing.pk)
    assert filing.state == S.FILED
    assert filing.notice_number.startswith("证监备〔") and filing.notice_number.endswith("号")
    assert filing.filed_at is not None


def test_state_cannot_be_assigned_directly(draft_filing):
    with pytest.raises(AttributeError):
        draft_filing.state = S.FILED


ALL_STATES = [s.value for s in S]
PAUSE_TRANSITIONS = {"pause_review", "resume_review", "suspend", "resume"}


def _take(filing, name, actor):
    """A pause transition through its own service (it needs a reason and a day)."""
    from django.utils import timezone

    from filings.pauses import end_pause, pause_clock

    today = timezone.localdate()
    if name in {"pause_review", "suspend"}:
        kind = "suspension" if name == "suspend" else "consultation"
        pause_clock(filing_id=filing.pk, kind=kind, reason="测试", started_on=today, by=actor)
    else:
        end_pause(filing_id=filing.pk, ended_on=today, by=actor, name=name)


def _walk_to(filing, state, people):
    """Drive a filing to ``state`` through the services."""
    signatory, lead, reviewer = people
    paths = {
        S.DRAFT: [],
        S.SUBMITTED: ["submit"],
        S.UNDER_REVIEW: ["submit", "accept"],
        S.SUPPLEMENT_REQUESTED: ["submit", "accept", "request_supplement"],
        S.FILED: ["submit", "accept", "decide_file"],
        S.ISSUED: ["submit", "accept", "decide_file", "report_issuance"],
        S.CLOSED: ["submit", "accept", "decide_file", "report_issuance", "close"],
        S.REJECTED: ["submit", "accept", "decide_reject"],
        S.NOT_ACCEPTED: ["submit", "not_accept"],
        S.WITHDRAWN: ["withdraw"],
        S.TERMINATED: ["terminate"],
        S.LAPSED: ["submit", "accept", "decide_file", "lapse"],
        S.REVIEW_PAUSED: ["submit", "accept", "pause_review"],
        S.SUSPENDED: ["submit", "accept", "suspend"],
        S.REFILED: ["submit", "accept", "decide_file", "lapse", "refile"],
    }
    actor_for = {
        "submit": signatory,
        "report_issuance": signatory,
        "close": signatory,
        "withdraw": signatory,
        "request_supplement": reviewer,
        "refile": signatory,
    }
    for name in paths[state]:
        if name == "submit":
            submit_filing(filing_id=filing.pk, by=signatory)
        elif name in PAUSE_TRANSITIONS:
            _take(filing, name, lead)
        elif name == "refile":
            refile_filing(filing_id=filing.pk, by=signatory)
        else:
            transition_filing(
                filing_id=filing.pk, name=name, by=actor_for.get(name, lead), reason_code="other"
            )


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (state, name)
        for state, name in itertools.product(ALL_STATES, TRANSITIONS)
        if state not in TRANSITIONS[name][0]
    ],
)
def test_transitions_the_table_forbids_are_refused(state, name, ready_filing, signatory, lead, reviewer):
    _walk_to(ready_filing, state, (signatory, lead, reviewer))
    before = Filing.objects.get(pk=ready_filing.pk)
    assert before.state == state
    actor = signatory if TRANSITIONS[name][2].startswith("issuer") else lead

    with pytest.raises(TransitionRefusedError):
        if name == "submit":
            submit_filing(filing_id=ready_filing.pk, by=actor)
        elif name == "resubmit":
            from filings.services import resubmit_filing

            resubmit_filing(filing_id=ready_filing.pk, by=actor)
        elif name in PAUSE_TRANSITIONS:
            _take(ready_filing, name, actor)
        elif name == "refile":
            refile_filing(filing_id=ready_filing.pk, by=actor)
        else:
            transition_filing(filing_id=ready_filing.pk, name=name, by=actor, reason_code="other")

    assert Filing.objects.get(pk=ready_filing.pk).state == state


@pytest.mark.parametrize("name", ["accept", "not_accept", "decide_file", "decide_reject", "terminate"])
def test_issuer_cannot_take_regulator_steps(name, ready_filing, signatory, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    if name in {"decide_file", "decide_reject"}:
        transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    state = Filing.objects.get(pk=ready_filing.pk).state

    with pytest.raises(TransitionRefusedError):
        transition_filing(filing_id=ready_filing.pk, name=name, by=signatory, reason_code="other")
    assert Filing.objects.get(pk=ready_filing.pk).state == state


@pytest.mark.parametrize("name", ["withdraw", "terminate"])
def test_endings_need_a_reason_code(name, draft_filing, signatory, lead):
    actor = signatory if name == "withdraw" else lead
    with pytest.raises(TransitionRefusedError):
        transition_filing(filing_id=draft_filing.pk, name=name, by=actor)

    transition_filing(filing_id=draft_filing.pk, name=name, by=actor, reason_code="other", reason="测试")

    filing = Filing.objects.get(pk=draft_filing.pk)
    assert (filing.reason_code, filing.closed_reason) == ("other", "测试")


def test_a_lapsed_filing_is_refiled_from_its_last_snapshot_as_a_linked_draft(ready_filing, signatory, lead):
    _walk_to(ready_filing, S.LAPSED, (signatory, lead, None))
    old = Filing.objects.get(pk=ready_filing.pk)
    frozen = old.snapshots.get(version=1).data

    new = Filing.objects.get(pk=refile_filing(filing_id=old.pk, by=signatory).pk)

    old = Filing.objects.get(pk=ready_filing.pk)
    assert (old.state, old.refiling, new.state, new.refiled_from) == (S.REFILED, new, S.DRAFT, old)
    assert new.reference != old.reference
    assert new.structure.spv_name == frozen["structure"]["spv_name"]
    assert [t.name for t in new.tranches.order_by("id")] == [t["name"] for t in frozen["tranches"]]
    assert sorted(new.documents.values_list("sha256", flat=True)) == sorted(
        d["sha256"] for d in frozen["documents"]
    )
    assert not new.attestations.filter(
        signed_at__isnull=False
    ).exists()  # signed again for the new submission
    assert [e.action for e in events_for_filing(new.pk)] == ["filing.create", "filing.refiled_from"]


def test_a_filing_terminated_for_an_investigation_cannot_be_refiled(ready_filing, signatory, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="terminate", by=lead, reason_code="investigation")

    with pytest.raises(TransitionRefusedError):
        refile_filing(filing_id=ready_filing.pk, by=signatory)
    assert Filing.objects.get(pk=ready_filing.pk).state == S.TERMINATED
    assert Filing.objects.filter(refiled_from=ready_filing).count() == 0


def test_a_filing_terminated_because_the_reply_deadline_passed_can_be_refiled(ready_filing, signatory, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="terminate", by=lead, reason_code="deadline_missed")

    new = refile_filing(filing_id=ready_filing.pk, by=signatory)

    assert new.refiled_from_id == ready_filing.pk
