"""An agent's API token: only the filings delegated to them and the scopes the issuers gave;
another filing is a 404, signing and submitting are refused, revocation ends it at once."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationKind, Role
from api.models import ApiToken
from api.services.tokens import TokenError, create_token, scopes_allowed
from audit.models import Event
from filings.delegations import delegate_filing, revoke_delegation
from filings.services import create_filing
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def law_firm(db):
    return OrganisationFactory(name_zh="某律师事务所", name_en="Law Firm LLP", kind=OrganisationKind.AGENT)


@pytest.fixture
def lawyer(law_firm):
    return UserFactory(username="lawyer", full_name="张律师", role=Role.AGENT, organisation=law_firm)


@pytest.fixture
def other_filing(preparer):
    return create_filing(
        organisation=preparer.organisation, title="另一单", asset_class="toll_income", by=preparer
    )


def _delegate(filing, law_firm, by, *scope):
    return delegate_filing(
        filing_id=filing.pk,
        agent_id=law_firm.pk,
        scope=list(scope),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        by=by,
    )


def test_an_agent_may_give_a_token_only_the_scopes_their_delegations_allow(
    draft_filing, signatory, law_firm, lawyer
):
    assert scopes_allowed(lawyer) == ["read"]
    _delegate(draft_filing, law_firm, signatory, "prepare", "deficiencies")

    assert scopes_allowed(lawyer) == ["read", "write", "answer"]
    for refused in (["submit"], ["webhooks"], ["tapes"]):
        with pytest.raises(TokenError):
            create_token(owner=lawyer, name="x", scopes=refused)
    assert not ApiToken.objects.filter(owner=lawyer).exists()


def test_an_agents_token_writes_the_delegated_filing_and_another_is_a_404(
    client_for, draft_filing, other_filing, signatory, law_firm, lawyer
):
    _delegate(draft_filing, law_firm, signatory, "prepare")
    api = client_for(lawyer, ["read", "write"])

    listed = api.get("/api/v1/filings/").json()
    url = f"/api/v1/filings/{draft_filing.reference}/sections/token/"
    read = api.get(url)
    saved = api.put(url, {"fields": {"network": "律所链"}}, format="json", HTTP_IF_MATCH=read["ETag"])
    other = api.get(f"/api/v1/filings/{other_filing.reference}/")
    other_write = api.put(
        f"/api/v1/filings/{other_filing.reference}/sections/token/",
        {"fields": {"network": "x"}},
        format="json",
        HTTP_IF_MATCH='"token-v0"',
    )

    assert [row["reference"] for row in listed["results"]] == [draft_filing.reference]
    assert read.json()["editable"] is True
    assert saved.status_code == 200, saved.json()
    assert (other.status_code, other_write.status_code) == (404, 404)
    draft_filing.token.refresh_from_db()
    other_filing.token.refresh_from_db()
    assert (draft_filing.token.network, other_filing.token.version) == ("律所链", 0)
    writes = Event.objects.filter(action="api.request").order_by("sequence")
    assert [(e.actor, e.data["status"]) for e in writes] == [(lawyer, 200), (lawyer, 404)]


def test_an_agents_token_never_submits_or_signs(client_for, draft_filing, signatory, law_firm, lawyer):
    _delegate(draft_filing, law_firm, signatory, "prepare", "deficiencies")
    api = client_for(lawyer, ["read", "write", "answer"])

    submit = api.post(f"/api/v1/filings/{draft_filing.reference}/submit/")
    sign = api.put(f"/api/v1/filings/{draft_filing.reference}/attestations/", {}, format="json")
    resubmit = api.post(f"/api/v1/filings/{draft_filing.reference}/resubmit/")

    assert (submit.status_code, sign.status_code, resubmit.status_code) == (403, 403, 403)
    assert submit.json()["detail"] == "Only an issuer signatory's token with the submit scope may do this."
    draft_filing.refresh_from_db()
    assert draft_filing.state == "draft"


def test_a_write_token_cannot_prepare_a_filing_delegated_only_for_answers(
    client_for, draft_filing, signatory, law_firm, lawyer, other_filing
):
    _delegate(other_filing, law_firm, signatory, "prepare")  # write scope exists, for another filing
    _delegate(draft_filing, law_firm, signatory, "deficiencies")
    api = client_for(lawyer, ["read", "write"])

    response = api.put(
        f"/api/v1/filings/{draft_filing.reference}/sections/token/",
        {"fields": {"network": "x"}},
        format="json",
        HTTP_IF_MATCH='"token-v0"',
    )

    assert response.status_code == 409
    draft_filing.token.refresh_from_db()
    assert draft_filing.token.version == 0


def test_a_revoked_delegation_ends_the_agents_token_on_the_next_request(
    client_for, draft_filing, signatory, law_firm, lawyer
):
    delegation = _delegate(draft_filing, law_firm, signatory, "prepare")
    api = client_for(lawyer, ["read"], filing=draft_filing)
    assert api.get(f"/api/v1/filings/{draft_filing.reference}/").status_code == 200

    revoke_delegation(delegation_id=delegation.pk, by=signatory)

    assert api.get(f"/api/v1/filings/{draft_filing.reference}/").status_code == 404


@pytest.mark.parametrize(
    ("language", "label"), [("en", "All filings delegated to us"), ("zh-hans", "委托给我们的全部备案")]
)
def test_an_agent_creates_a_token_on_the_token_page(
    draft_filing, signatory, law_firm, lawyer, language, label
):
    _delegate(draft_filing, law_firm, signatory, "prepare")
    client = Client()
    client.force_login(lawyer)
    page = client.get(reverse("api:tokens"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label in page and draft_filing.reference in page

    response = client.post(
        reverse("api:tokens"),
        {"name": "律所系统", "scopes": ["read", "write"], "days": 30, "filing": draft_filing.pk},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    token = ApiToken.objects.get(owner=lawyer)
    assert (token.scopes, token.filing) == (["read", "write"], draft_filing)
