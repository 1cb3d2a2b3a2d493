"""Who may act for whom: delegation of one filing to an agent, and organisation administrators."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts import members
from accounts.models import OrganisationKind, Role, User
from audit.models import Event
from filings.delegations import delegate_filing, revoke_delegation
from filings.errors import TransitionRefusedError
from filings.selectors import filings_for_user
from filings.services import create_filing, update_section
from filings.workflow import AssetClass
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def law_firm(db):
    return OrganisationFactory(name_zh="某律师事务所", name_en="Law Firm LLP", kind=OrganisationKind.AGENT)


@pytest.fixture
def lawyer(law_firm):
    return UserFactory(username="lawyer", role=Role.AGENT, organisation=law_firm)


@pytest.fixture
def second_filing(preparer):
    return create_filing(
        organisation=preparer.organisation, by=preparer, title="第二单", asset_class=AssetClass.TOLL_INCOME
    )


def _delegate(filing, agent_org, by, scope=("prepare",), days=30):
    return delegate_filing(
        filing_id=filing.pk,
        agent_id=agent_org.pk,
        scope=list(scope),
        ends_on=timezone.localdate() + datetime.timedelta(days=days),
        by=by,
    )


def test_agent_sees_only_the_filing_delegated_to_them(
    draft_filing, second_filing, signatory, law_firm, lawyer
):
    assert list(filings_for_user(lawyer)) == []

    _delegate(draft_filing, law_firm, signatory)

    assert list(filings_for_user(lawyer)) == [draft_filing]
    client = Client()
    client.force_login(lawyer)
    assert client.get(draft_filing.get_absolute_url()).status_code == 200
    assert client.get(second_filing.get_absolute_url()).status_code == 404


def test_agent_prepares_a_section_under_their_own_name(draft_filing, signatory, law_firm, lawyer):
    _delegate(draft_filing, law_firm, signatory)
    structure = draft_filing.structure

    update_section(
        filing_id=draft_filing.pk,
        section="structure",
        fields={"spv_name": "律所填写的SPV"},
        rows={},
        expected_version=structure.version,
        by=lawyer,
    )

    event = Event.objects.filter(filing_id=draft_filing.pk).order_by("-sequence").first()
    assert event.actor == lawyer
    assert event.actor.organisation == law_firm


def test_agent_without_the_prepare_scope_cannot_edit(draft_filing, signatory, law_firm, lawyer):
    _delegate(draft_filing, law_firm, signatory, scope=("deficiencies",))

    with pytest.raises(TransitionRefusedError):
        update_section(
            filing_id=draft_filing.pk,
            section="structure",
            fields={"spv_name": "x"},
            rows={},
            expected_version=draft_filing.structure.version,
            by=lawyer,
        )


def test_an_agent_never_signs_or_submits(ready_filing, signatory, law_firm, lawyer):
    from django_fsm import has_transition_perm

    _delegate(ready_filing, law_firm, signatory, scope=("prepare", "tapes", "deficiencies"))

    assert not has_transition_perm(ready_filing.submit, lawyer)
    assert has_transition_perm(ready_filing.submit, signatory)


def test_revocation_takes_effect_on_the_next_request(draft_filing, signatory, law_firm, lawyer):
    delegation = _delegate(draft_filing, law_firm, signatory)
    client = Client()
    client.force_login(lawyer)
    assert client.get(draft_filing.get_absolute_url()).status_code == 200

    revoke_delegation(delegation_id=delegation.pk, by=signatory)

    assert client.get(draft_filing.get_absolute_url()).status_code == 404
    assert Event.objects.filter(action="filing.delegation_revoke", actor=signatory).exists()


def test_a_delegation_ends_after_its_end_date(draft_filing, signatory, law_firm, lawyer):
    delegation = _delegate(draft_filing, law_firm, signatory)
    type(delegation).objects.filter(pk=delegation.pk).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert list(filings_for_user(lawyer)) == []


def test_only_signatories_and_org_admins_of_the_issuer_delegate(
    draft_filing, preparer, other_preparer, law_firm
):
    for outsider in (preparer, other_preparer):
        with pytest.raises(TransitionRefusedError):
            _delegate(draft_filing, law_firm, outsider)
    preparer.is_org_admin = True
    preparer.save()
    assert _delegate(draft_filing, law_firm, preparer).is_active


def test_signatory_delegates_from_the_screen(client, draft_filing, signatory, law_firm):
    client.force_login(signatory)
    url = reverse("filings:delegations", args=[draft_filing.reference])
    ends = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    response = client.post(url, {"agent": law_firm.pk, "scope": ["prepare"], "ends_on": ends})

    assert response.status_code == 302
    assert draft_filing.delegations.get().scope == ["prepare"]


# --- organisation administrators -------------------------------------------------------------


@pytest.fixture
def org_admins(issuer_org):
    return [
        UserFactory(
            username=f"org-admin-{n}", role=Role.SIGNATORY, organisation=issuer_org, is_org_admin=True
        )
        for n in (1, 2)
    ]


def test_org_admin_invites_a_preparer_by_email(org_admins, issuer_org):
    client = Client()
    client.force_login(org_admins[0])

    response = client.post(
        reverse("accounts:member_invite"),
        {"username": "new-hire", "full_name": "新同事", "email": "new@example.test", "role": "preparer"},
    )

    assert response.status_code == 302
    person = User.objects.get(username="new-hire")
    assert (person.organisation, person.role, person.has_usable_password()) == (issuer_org, "preparer", False)
    assert [m.to for m in mail.outbox] == [["new@example.test"]]
    assert Event.objects.filter(action="member.invite", actor=org_admins[0]).exists()


def test_the_last_two_administrators_cannot_be_demoted_or_deactivated(org_admins):
    first, second = org_admins
    for change in ({"is_org_admin": False, "is_active": True}, {"is_org_admin": True, "is_active": False}):
        with pytest.raises(members.MemberChangeError):
            members.change_member(member_id=second.pk, role="signatory", by=first, **change)
    third = UserFactory(role=Role.PREPARER, organisation=first.organisation)
    members.change_member(member_id=third.pk, role="preparer", is_org_admin=True, is_active=True, by=first)
    members.change_member(member_id=second.pk, role="signatory", is_org_admin=False, is_active=True, by=first)
    assert members.org_admin_count(first.organisation) == 2


def test_an_org_admin_cannot_manage_another_organisation(org_admins, other_preparer):
    with pytest.raises(members.MemberChangeError):
        members.change_member(
            member_id=other_preparer.pk,
            role="signatory",
            is_org_admin=False,
            is_active=True,
            by=org_admins[0],
        )
    client = Client()
    client.force_login(org_admins[0])
    assert client.get(reverse("accounts:member_edit", args=[other_preparer.pk])).status_code == 404


def test_people_page_is_for_org_admins_only(client, preparer):
    client.force_login(preparer)
    assert client.get(reverse("accounts:member_list")).status_code == 404


def test_unconfirmed_access_ends_after_a_year_with_a_reminder_before(org_admins, preparer, issuer_org):
    today = timezone.localdate()
    User.objects.filter(pk=preparer.pk).update(access_confirmed_on=today - datetime.timedelta(days=340))
    User.objects.filter(pk__in=[a.pk for a in org_admins]).update(access_confirmed_on=today)

    # A month before: both administrators are told; nobody loses access yet.
    assert members.send_confirmation_reminders(today=today) == 2
    assert "preparer" in mail.outbox[0].body
    assert members.expire_unconfirmed_access(today=today) == []

    # Not confirmed in time: access ends, and the log says so.
    expired = members.expire_unconfirmed_access(today=today + datetime.timedelta(days=30))
    assert expired == ["preparer"]
    assert not User.objects.get(pk=preparer.pk).is_active
    assert Event.objects.filter(action="member.access_expired", data__username="preparer").exists()


def test_a_confirmed_person_keeps_access_for_another_year(org_admins, preparer, issuer_org):
    today = timezone.localdate()
    User.objects.filter(pk=preparer.pk).update(access_confirmed_on=today - datetime.timedelta(days=360))

    members.confirm_access(organisation=issuer_org, member_ids=[preparer.pk], by=org_admins[0])

    assert members.expire_unconfirmed_access(today=today + datetime.timedelta(days=30)) == []
    assert Event.objects.filter(action="member.confirm_access", actor=org_admins[0]).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "The user name “org-admin-2” belongs to another account: choose another one, for example "
            "“new@example.test”.",
        ),
        ("zh-hans", "用户名“org-admin-2”已被其他账户使用：请另选一个，例如“new@example.test”。"),
    ],
)
def test_an_invitation_with_a_taken_user_name_names_the_conflict_and_suggests_the_address(
    org_admins, language, message
):
    client = Client()
    client.force_login(org_admins[0])

    response = client.post(
        reverse("accounts:member_invite"),
        {"username": "org-admin-2", "full_name": "新同事", "email": "new@example.test", "role": "preparer"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new@example.test").exists() and mail.outbox == []


def test_the_suggestion_skips_names_that_are_taken_too(org_admins):
    UserFactory(username="new@example.test")
    UserFactory(username="Org-Admin-12")

    with pytest.raises(members.UsernameTakenError) as error, translation.override("en"):
        members.invite_member(
            organisation=org_admins[0].organisation,
            username="ORG-ADMIN-1",  # user names differ by more than their case
            email="new@example.test",
            full_name="新同事",
            role="preparer",
            is_org_admin=False,
            by=org_admins[0],
        )
    assert str(error.value) == (
        "The user name “ORG-ADMIN-1” belongs to another account: choose another one, for example "
        "“ORG-ADMIN-13”."
    )
