"""Who sees which filing: one case per role; outside the scope a filing does not exist."""

from __future__ import annotations

import pytest
from django.utils import timezone

from filings.selectors import filings_for_user
from filings.services import submit_filing
from reviews.models import Assignment

pytestmark = pytest.mark.django_db


def test_issuers_see_their_own_drafts_only(draft_filing, preparer, other_preparer):
    assert list(filings_for_user(preparer)) == [draft_filing]
    assert list(filings_for_user(other_preparer)) == []


def test_regulator_never_sees_drafts(draft_filing, lead, admin_user, reviewer):
    for user in (lead, admin_user, reviewer):
        assert list(filings_for_user(user)) == []


def test_lead_and_admin_see_submitted_filings(ready_filing, signatory, lead, admin_user):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    assert list(filings_for_user(lead)) == [ready_filing]
    assert list(filings_for_user(admin_user)) == [ready_filing]


def test_reviewers_see_only_assigned_filings(ready_filing, signatory, reviewer, second_reviewer, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    # declared_at: the reviewer declared no conflict of interest, so the content opens to them
    Assignment.objects.create(
        filing=ready_filing, reviewer=reviewer, assigned_by=lead, declared_at=timezone.now()
    )

    assert list(filings_for_user(reviewer)) == [ready_filing]
    assert list(filings_for_user(second_reviewer)) == []


def test_inactive_and_anonymous_users_see_nothing(draft_filing, preparer):
    from django.contrib.auth.models import AnonymousUser

    preparer.is_active = False
    assert list(filings_for_user(preparer)) == []
    assert list(filings_for_user(AnonymousUser())) == []
