"""Assignment and conflicts of interest: nobody sees a filing's content before declaring."""

from __future__ import annotations

import pytest

from audit.models import Event
from filings.models import Filing
from filings.selectors import filings_for_user
from reviews import services
from reviews.errors import ConflictOfInterestError, NotAllowedError, ReviewError
from reviews.models import Assignment, OutboxMessage
from reviews.selectors import coi_parties, lead_overview, pending_declarations

pytestmark = pytest.mark.django_db


def test_an_assignee_sees_nothing_until_declaring_no_conflict(submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    assert list(filings_for_user(reviewer)) == []
    assert list(pending_declarations(reviewer)) == [assignment]
    [mail] = OutboxMessage.objects.filter(event="review_assigned")
    assert (mail.recipient, mail.filing) == (reviewer, submitted)

    services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)

    assert list(filings_for_user(reviewer)) == [submitted]
    assert list(pending_declarations(reviewer)) == []
    assignment.refresh_from_db()
    assert assignment.is_cleared
    assert "甲发行人有限公司" in [p["name"] for p in assignment.declared_parties]


def test_the_declaration_names_entity_originator_and_intermediaries_from_the_snapshot(submitted):
    parties = {(p["kind"], p["name"]) for p in coi_parties(submitted)}

    assert ("entity", "甲发行人有限公司") in parties
    assert ("entity", "某省国有资本运营有限公司") in parties  # controlling shareholder
    assert ("originator", "甲发行人有限公司") in parties
    assert {
        ("intermediary", "Demo Trustee (HK) Limited"),
        ("intermediary", "某律师事务所"),
        ("intermediary", "Demo Securities (HK) Ltd"),
    } <= parties


def test_a_declared_conflict_ends_the_assignment_and_tells_the_lead(submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    services.declare_conflicts(
        assignment_id=assignment.pk, by=reviewer, conflict=True, note="曾任 Demo Trustee (HK) Limited 顾问"
    )

    assignment.refresh_from_db()
    assert (assignment.active, assignment.conflict_declared, assignment.conflict_note) == (
        False,
        True,
        "曾任 Demo Trustee (HK) Limited 顾问",
    )
    assert list(filings_for_user(reviewer)) == []
    event = Event.objects.get(action="review.coi_declared")
    assert (event.actor, event.filing_id, event.data["conflict"]) == (reviewer, submitted.pk, True)
    assert [m.recipient for m in OutboxMessage.objects.filter(event="conflict_declared")] == [lead]
    assert [f.pk for f in lead_overview(lead)["unassigned"]] == [submitted.pk]


def test_a_conflicted_reviewer_cannot_be_assigned_again(submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=True, note="亲属任职")

    with pytest.raises(ConflictOfInterestError):
        services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    assert Assignment.objects.get(pk=assignment.pk).active is False


def test_a_conflict_needs_its_details(submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    with pytest.raises(ReviewError, match="Describe the conflict"):
        services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=True, note=" ")

    assert Assignment.objects.get(pk=assignment.pk).declared_at is None


def test_only_a_lead_assigns_and_only_regulator_reviewers_are_assigned(
    submitted, reviewer, second_reviewer, lead, admin_user, preparer
):
    for not_a_lead in (reviewer, admin_user, preparer):
        with pytest.raises(NotAllowedError):
            services.assign_reviewer(filing_id=submitted.pk, reviewer_id=second_reviewer.pk, by=not_a_lead)
    for not_a_reviewer in (admin_user, preparer):
        with pytest.raises(NotAllowedError):
            services.assign_reviewer(filing_id=submitted.pk, reviewer_id=not_a_reviewer.pk, by=lead)

    assert not Assignment.objects.exists()


def test_only_the_assignee_declares(submitted, reviewer, second_reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    with pytest.raises(NotAllowedError):
        services.declare_conflicts(assignment_id=assignment.pk, by=second_reviewer, conflict=False)

    assert Assignment.objects.get(pk=assignment.pk).declared_at is None


def test_a_lead_can_recuse_and_then_may_not_act(submitted, lead):
    services.recuse(filing_id=submitted.pk, by=lead, note="持有发起机构股份")

    with pytest.raises(ConflictOfInterestError):
        services.accept_filing(filing_id=submitted.pk, by=lead)

    assert Assignment.objects.get(reviewer=lead).conflict_declared is True


def test_the_filings_has_reviewer_column_follows_its_assignments(submitted, reviewer, second_reviewer, lead):
    def has_reviewer() -> bool:
        return Filing.objects.values_list("has_reviewer", flat=True).get(pk=submitted.pk)

    seen = [has_reviewer()]
    first = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    seen.append(has_reviewer())
    services.declare_conflicts(assignment_id=first.pk, by=reviewer, conflict=True, note="亲属任职")
    seen.append(has_reviewer())
    second = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=second_reviewer.pk, by=lead)
    seen.append(has_reviewer())
    services.unassign_reviewer(assignment_id=second.pk, by=lead)
    seen.append(has_reviewer())
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=second_reviewer.pk, by=lead)
    seen.append(has_reviewer())
    services.recuse(filing_id=submitted.pk, by=second_reviewer, note="曾任顾问")
    seen.append(has_reviewer())

    assert seen == [False, True, False, True, False, True, False]
    assert [row.pk for row in lead_overview(lead)["unassigned"]] == [submitted.pk]
    assert lead_overview(lead)["counts"]["unassigned"] == 1
