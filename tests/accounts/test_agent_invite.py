"""The issuer's organisation administrator invites a named lawyer into the agent organisation a
filing is delegated to; the lawyer sees that filing once they set a password."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationKind, Role, User
from audit.models import Event
from filings.delegations import delegate_filing, invite_agent_member, revoke_delegation
from filings.errors import TransitionRefusedError
from filings.selectors import filings_for_user
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ENDS_ON = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def law_firm(db):
    return OrganisationFactory(name_zh="某律师事务所", name_en="Law Firm LLP", kind=OrganisationKind.AGENT)


@pytest.fixture
def issuer_admin(signatory):
    signatory.is_org_admin = True
    signatory.save(update_fields=["is_org_admin"])
    return signatory


def _delegation(filing, law_firm, by):
    return delegate_filing(
        filing_id=filing.pk,
        agent_id=law_firm.pk,
        scope=["prepare"],
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        by=by,
    )


def test_delegating_with_an_invitation_brings_the_lawyer_to_the_filing(
    client, draft_filing, issuer_admin, law_firm
):
    client.force_login(issuer_admin)

    response = client.post(
        reverse("filings:delegations", args=[draft_filing.reference]),
        {
            "agent": law_firm.pk,
            "scope": ["prepare"],
            "ends_on": ENDS_ON,
            "invite_username": "lawyer",
            "invite_full_name": "王律师",
            "invite_email": "lawyer@lawfirm.test",
        },
    )

    assert response.status_code == 302
    lawyer = User.objects.get(username="lawyer")
    assert (lawyer.organisation, lawyer.role, lawyer.is_org_admin, lawyer.has_usable_password()) == (
        law_firm,
        Role.AGENT,
        False,
        False,
    )
    assert [m.to for m in mail.outbox] == [["lawyer@lawfirm.test"]]
    assert re.search(r"/accounts/password/reset/key/\S+", mail.outbox[0].body)
    event = Event.objects.get(action="member.invite")
    assert (event.actor, event.filing_id, event.data["organisation_id"]) == (
        issuer_admin,
        draft_filing.pk,
        law_firm.pk,
    )
    # On accepting (setting a password) the lawyer works on the delegated filing and no other.
    lawyer.set_password("Opinion-Ledger-7781")
    lawyer.save()
    assert list(filings_for_user(lawyer)) == [draft_filing]


def test_an_issuer_administrator_invites_into_a_running_delegation(
    client, draft_filing, issuer_admin, law_firm
):
    delegation = _delegation(draft_filing, law_firm, issuer_admin)
    client.force_login(issuer_admin)
    page = client.get(reverse("filings:delegations", args=[draft_filing.reference]))
    assert 'data-testid="agent-invite-form"' in page.content.decode()

    response = client.post(
        reverse("filings:delegation_invite", args=[draft_filing.reference]),
        {
            "delegation": delegation.pk,
            "invite_username": "associate",
            "invite_full_name": "周律师",
            "invite_email": "associate@lawfirm.test",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="associate").organisation == law_firm


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "To invite someone, give their user name, full name and email."),
        ("zh-hans", "邀请人员时，请填写其用户名、姓名和电子邮箱。"),
    ],
)
def test_an_incomplete_invitation_is_refused_in_the_readers_language(
    client, draft_filing, issuer_admin, law_firm, language, message
):
    delegation = _delegation(draft_filing, law_firm, issuer_admin)
    client.force_login(issuer_admin)

    response = client.post(
        reverse("filings:delegation_invite", args=[draft_filing.reference]),
        {"delegation": delegation.pk, "invite_username": "associate", "invite_full_name": "周律师"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="associate").exists()


def test_a_signatory_who_is_not_an_organisation_administrator_cannot_invite(
    client, draft_filing, signatory, law_firm
):
    delegation = _delegation(draft_filing, law_firm, signatory)
    client.force_login(signatory)

    response = client.post(
        reverse("filings:delegation_invite", args=[draft_filing.reference]),
        {
            "delegation": delegation.pk,
            "invite_username": "x",
            "invite_full_name": "x",
            "invite_email": "x@x.test",
        },
    )

    assert response.status_code == 404
    with pytest.raises(TransitionRefusedError):
        invite_agent_member(
            delegation_id=delegation.pk, username="x", full_name="x", email="x@x.test", by=signatory
        )
    assert not User.objects.filter(username="x").exists()


def test_no_one_is_invited_into_a_revoked_delegation(draft_filing, issuer_admin, law_firm):
    delegation = _delegation(draft_filing, law_firm, issuer_admin)
    revoke_delegation(delegation_id=delegation.pk, by=issuer_admin)

    with pytest.raises(TransitionRefusedError, match="This delegation has ended"):
        invite_agent_member(
            delegation_id=delegation.pk, username="x", full_name="x", email="x@x.test", by=issuer_admin
        )
    assert not User.objects.filter(username="x").exists()


def test_another_issuers_administrator_cannot_invite_into_this_delegation(
    draft_filing, issuer_admin, law_firm, other_preparer
):
    delegation = _delegation(draft_filing, law_firm, issuer_admin)
    other_admin = UserFactory(
        username="other-admin",
        role=Role.SIGNATORY,
        organisation=other_preparer.organisation,
        is_org_admin=True,
    )
    client = Client()
    client.force_login(other_admin)

    response = client.post(
        reverse("filings:delegation_invite", args=[draft_filing.reference]),
        {
            "delegation": delegation.pk,
            "invite_username": "x",
            "invite_full_name": "x",
            "invite_email": "x@x.test",
        },
    )

    assert response.status_code == 404
    assert not User.objects.filter(username="x").exists()
