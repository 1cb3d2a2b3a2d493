"""What a delegation's scope lets an agent do beyond preparing: import asset tapes through the pool
screens, answer the issuer's deficiency items; never resubmit; everything under their own name and
organisation."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import OrganisationKind, Role
from assets import services as pool_services
from assets.errors import NotAllowedError as PoolNotAllowedError
from assets.models import SavedMapping, TapeImport, TapeUpload
from audit.models import Event
from filings import pools
from filings.delegations import delegate_filing
from filings.models import Filing
from filings.services import submit_filing
from filings.workflow import FilingState
from reviews import services as review_services
from reviews.errors import NotAllowedError as ReviewNotAllowedError
from reviews.models import DeficiencyResponse, ItemStatus
from tests.assets.conftest import make_filing
from tests.assets.fixtures.tapes import receivables, tape_csv
from tests.factories import OrganisationFactory, UserFactory
from tests.reviews.helpers import clear, refresh

pytestmark = pytest.mark.django_db

AGENT_LABEL = "张律师 (某律师事务所)"


@pytest.fixture
def law_firm(db):
    return OrganisationFactory(name_zh="某律师事务所", name_en="Law Firm LLP", kind=OrganisationKind.AGENT)


@pytest.fixture
def lawyer(law_firm):
    return UserFactory(username="lawyer", full_name="张律师", role=Role.AGENT, organisation=law_firm)


@pytest.fixture
def receivable_filing(preparer) -> Filing:
    return make_filing(preparer, "trade_receivable")


def _delegate(filing, agent_org, by, *scope):
    return delegate_filing(
        filing_id=filing.pk,
        agent_id=agent_org.pk,
        scope=list(scope),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        by=by,
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["filingdesk_language"] = "en"
    return client


def _upload(client, filing, content, name="tape.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content), "kind": "assets", **fields}
    return client.post(reverse("filings:pool_upload", args=[filing.reference]), data)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------------------------
# Asset tapes
# ---------------------------------------------------------------------------------------------


def test_an_agent_with_the_tapes_scope_imports_a_tape_under_their_own_name(
    receivable_filing, signatory, law_firm, lawyer, django_capture_on_commit_callbacks
):
    _delegate(receivable_filing, law_firm, signatory, "tapes")
    client = _client(lawyer)
    pool_url = reverse("filings:pool", args=[receivable_filing.reference])
    assert 'data-testid="tab-pool"' in client.get(receivable_filing.get_absolute_url()).content.decode()
    assert client.get(pool_url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, receivable_filing, tape_csv(receivables(12)), cutoff_date="2025-12-31")

    job = TapeImport.objects.get()
    assert response.url == reverse("filings:pool_import", args=[receivable_filing.reference, job.pk])
    assert (job.outcome, job.rows_stored) == ("accepted", 12)
    assert str(refresh(receivable_filing).cutoff_date) == "2025-12-31"
    events = Event.objects.filter(filing_id=receivable_filing.pk).order_by("sequence")
    mine = [(e.action, e.actor_id, e.actor_label) for e in events if e.action != "filing.delegation_grant"]
    assert mine[-3:] == [
        ("filing.cutoff_date", lawyer.pk, AGENT_LABEL),
        ("tape.upload", lawyer.pk, AGENT_LABEL),
        ("tape.import", lawyer.pk, AGENT_LABEL),
    ]


def test_a_mapping_an_agent_saves_belongs_to_the_issuer(receivable_filing, signatory, law_firm, lawyer):
    _delegate(receivable_filing, law_firm, signatory, "tapes")

    saved = pool_services.save_mapping(
        by=lawyer,
        name="发行人月度导出",
        asset_class="trade_receivable",
        kind="assets",
        mapping={"columns": {"asset_id": "编号"}},
        filing_id=receivable_filing.pk,
        pool_id=receivable_filing.pool_id,
    )

    assert (saved.organisation_id, saved.created_by_id) == (receivable_filing.organisation_id, lawyer.pk)
    event = Event.objects.get(action="tape.mapping_save")
    assert (event.actor_id, event.actor_label) == (lawyer.pk, AGENT_LABEL)
    assert event.filing_id == receivable_filing.pk


def test_an_agent_without_the_tapes_scope_gets_a_404_on_every_pool_screen(
    receivable_filing, signatory, law_firm, lawyer
):
    from django.core.cache import cache

    cache.clear()  # refusals are de-duplicated through the cache; start from none
    _delegate(receivable_filing, law_firm, signatory, "prepare", "deficiencies")
    client = _client(lawyer)
    reference = receivable_filing.reference

    overview = client.get(receivable_filing.get_absolute_url())  # the filing itself, yes
    assert overview.status_code == 200
    assert 'data-testid="tab-pool"' not in overview.content.decode()
    assert client.get(reverse("filings:pool", args=[reference])).status_code == 404
    assert client.get(reverse("filings:pool_guide", args=[reference])).status_code == 404
    assert client.get(reverse("filings:pool_template", args=[reference, "assets", "csv"])).status_code == 404
    assert _upload(client, receivable_filing, tape_csv(receivables(3))).status_code == 404
    assert client.post(reverse("filings:pool_recompute", args=[reference])).status_code == 404
    assert TapeUpload.objects.count() == 0
    # Every refusal is audited under the agent's name and organisation.
    refused = Event.objects.filter(action="access.refused", filing_id=receivable_filing.pk)
    assert sorted(e.data["url_name"] for e in refused) == [
        "filings:pool",
        "filings:pool_guide",
        "filings:pool_recompute",
        "filings:pool_template",
        "filings:pool_upload",
    ]
    assert {(e.actor_id, e.actor_label, e.data["organisation_id"]) for e in refused} == {
        (lawyer.pk, AGENT_LABEL, law_firm.pk)
    }


def test_the_services_refuse_an_agent_without_the_tapes_scope_with_a_clear_message(
    receivable_filing, signatory, law_firm, lawyer
):
    _delegate(receivable_filing, law_firm, signatory, "prepare")

    with translation.override("en"), pytest.raises(PoolNotAllowedError) as refused:
        pool_services.receive_tape(
            pool_id=receivable_filing.pool_id,
            upload=SimpleUploadedFile("tape.csv", tape_csv(receivables(3))),
            kind="assets",
            by=lawyer,
        )
    with pytest.raises(PoolNotAllowedError):
        pools.set_cutoff_date(filing=receivable_filing, cutoff=datetime.date(2025, 12, 31), by=lawyer)
    with pytest.raises(PoolNotAllowedError):
        pool_services.save_mapping(
            by=lawyer,
            name="x",
            asset_class="trade_receivable",
            kind="assets",
            mapping={},
            pool_id=receivable_filing.pool_id,
        )

    assert str(refused.value.user_message) == (
        "Only the issuer's own staff, or an agent the filing is delegated to for importing tapes, may "
        "change the asset pool."
    )
    with translation.override("zh-hans"):
        assert str(refused.value.user_message) == (
            "仅发行人本机构人员或获本次备案“导入资产清单”授权的代理机构人员可修改资产池。"
        )
    assert (TapeUpload.objects.count(), SavedMapping.objects.count()) == (0, 0)
    assert refresh(receivable_filing).cutoff_date is None


def test_a_revoked_tapes_delegation_refuses_the_next_upload(receivable_filing, signatory, law_firm, lawyer):
    from filings.delegations import revoke_delegation

    delegation = _delegate(receivable_filing, law_firm, signatory, "tapes")
    client = _client(lawyer)
    assert client.get(reverse("filings:pool", args=[receivable_filing.reference])).status_code == 200

    revoke_delegation(delegation_id=delegation.pk, by=signatory)

    assert _upload(client, receivable_filing, tape_csv(receivables(3))).status_code == 404
    assert TapeUpload.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Deficiency items
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def supplement_requested(ready_filing, signatory, reviewer, lead) -> tuple[Filing, object]:
    """The filing under review with one deficiency item sent to the issuer."""
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    clear(refresh(ready_filing), reviewer, lead)
    review_services.accept_filing(filing_id=ready_filing.pk, by=lead)
    item = review_services.draft_deficiency_item(
        filing_id=ready_filing.pk,
        by=reviewer,
        question="请说明特殊目的载体的注册编号。",
        anchor_path="structure.spv_registration_no",
        citation="证监会公告〔2026〕1号",
    )
    review_services.send_supplement_request(filing_id=ready_filing.pk, by=reviewer)
    filing = refresh(ready_filing)
    assert filing.state == FilingState.SUPPLEMENT_REQUESTED
    item.refresh_from_db()
    return filing, item


def test_an_agent_with_the_deficiencies_scope_answers_but_never_resubmits(
    supplement_requested, signatory, law_firm, lawyer
):
    filing, item = supplement_requested
    _delegate(filing, law_firm, signatory, "deficiencies")
    client = _client(lawyer)

    page = client.get(reverse("reviews:supplement", args=[filing.reference]))
    assert page.status_code == 200
    assert 'data-testid="resubmit"' not in page.content.decode()
    answered = client.post(
        reverse("reviews:supplement_answer", args=[filing.reference, item.pk]),
        {f"item{item.pk}-text": "SPV 注册编号为 HK-3210988。"},
    )
    resubmitted = client.post(reverse("reviews:supplement_resubmit", args=[filing.reference]))

    assert answered.status_code == 302
    response = DeficiencyResponse.objects.get(item=item)
    assert (response.text, response.answered_by_id) == ("SPV 注册编号为 HK-3210988。", lawyer.pk)
    assert type(item).objects.get(pk=item.pk).status == ItemStatus.ANSWERED
    event = Event.objects.get(action="deficiency.answer")
    assert (event.actor_id, event.actor_label, event.filing_id) == (lawyer.pk, AGENT_LABEL, filing.pk)
    assert _messages(resubmitted)[-1] == "Only the issuer signatory resubmits."
    assert refresh(filing).state == FilingState.SUPPLEMENT_REQUESTED
    with pytest.raises(ReviewNotAllowedError):
        review_services.resubmit_answers(filing_id=filing.pk, by=lawyer)


def test_an_agent_without_the_deficiencies_scope_cannot_answer(
    supplement_requested, signatory, law_firm, lawyer
):
    filing, item = supplement_requested
    _delegate(filing, law_firm, signatory, "prepare", "tapes")
    client = _client(lawyer)

    assert client.get(filing.get_absolute_url()).status_code == 200
    assert client.get(reverse("reviews:supplement", args=[filing.reference])).status_code == 404
    answered = client.post(
        reverse("reviews:supplement_answer", args=[filing.reference, item.pk]),
        {f"item{item.pk}-text": "越权的回答"},
    )

    assert _messages(answered)[-1] == (
        "Only the issuer's staff, or an agent the filing is delegated to for answering deficiency items, "
        "answer them."
    )
    with pytest.raises(ReviewNotAllowedError):
        review_services.answer_deficiency_item(item_id=item.pk, by=lawyer, text="越权的回答")
    assert DeficiencyResponse.objects.filter(item=item).count() == 0
    assert type(item).objects.get(pk=item.pk).status == ItemStatus.OPEN
    assert not Event.objects.filter(action="deficiency.answer").exists()


# ---------------------------------------------------------------------------------------------
# The agent's dashboard: the filings delegated to them, with scope, end date and what waits
# ---------------------------------------------------------------------------------------------


def _dashboard(user, language="en") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("desk:dashboard"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "title", "sections", "nothing"),
    [
        ("en", "Filings delegated to us", "Sections to prepare:", "No filing is delegated"),
        ("zh-hans", "委托给我们的备案", "可填写的部分：", "目前没有委托给贵机构的备案"),
    ],
)
def test_an_agent_dashboard_lists_the_delegated_draft_and_the_sections_to_prepare(
    draft_filing, signatory, law_firm, lawyer, language, title, sections, nothing
):
    assert nothing in _dashboard(lawyer, language)

    delegation = _delegate(draft_filing, law_firm, signatory, "prepare")
    body = _dashboard(lawyer, language)

    assert title in body and f'data-testid="delegated-{draft_filing.reference}"' in body
    assert sections in body and str(delegation.scope_labels()[0]) in body
    for key in ("entity", "structure", "token", "offering"):
        assert reverse("filings:section", args=[draft_filing.reference, key]) in body
    with translation.override(language):
        from django.utils.formats import date_format

        assert date_format(delegation.ends_on) in body


@pytest.mark.parametrize(
    ("language", "waiting"), [("en", "1 deficiency item to answer"), ("zh-hans", "1 项补充材料事项待答复")]
)
def test_an_answering_agent_dashboard_shows_the_open_deficiency_items(
    supplement_requested, signatory, law_firm, lawyer, language, waiting
):
    filing, _item = supplement_requested
    _delegate(filing, law_firm, signatory, "deficiencies")

    body = _dashboard(lawyer, language)

    assert waiting in body
    assert reverse("reviews:supplement", args=[filing.reference]) in body
    assert 'data-testid="section-' not in body  # no prepare scope: no section to prepare


def test_a_revoked_delegation_leaves_the_agent_dashboard(draft_filing, signatory, law_firm, lawyer):
    from filings.delegations import revoke_delegation

    delegation = _delegate(draft_filing, law_firm, signatory, "prepare")
    revoke_delegation(delegation_id=delegation.pk, by=signatory)

    assert draft_filing.reference not in _dashboard(lawyer)
