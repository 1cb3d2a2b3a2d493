"""Every refused access is in the audit log, however the view refused it.

The walk introspects the URLconf: every route that takes a filing reference and an object id is
asked for, under the person's own filing, with the real ids of another organisation's objects.
Each answer must be a 404 and each must have left an ``access.refused`` event (0 untraced).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import QuerySet
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from accounts.models import OrganisationKind, Role
from assets.models import TapeImport, TapeUpload
from audit.models import Event
from desk.refusals import record_refused_access
from filings.delegations import delegate_filing
from filings.models import Delegation, Document, DossierRender, Filing, MaterialEvent, PreflightRun, Waiver
from reviews.models import Assignment, Decision, DeficiencyItem, Notice
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ID_KWARGS = ("pk", "item_pk")
# The object each id-taking route looks up, as a query over the filings it belongs to. A new
# route that takes an id must be added here (the walk fails until it is).
OBJECTS: dict[str, Callable[[QuerySet[Filing]], QuerySet[Any]]] = {
    "filings:document_download": lambda fs: Document.objects.filter(filing__in=fs),
    "filings:preflight_status": lambda fs: PreflightRun.objects.filter(filing__in=fs),
    "filings:dossier_status": lambda fs: DossierRender.objects.filter(snapshot__filing__in=fs),
    "filings:dossier_download": lambda fs: DossierRender.objects.filter(snapshot__filing__in=fs),
    "filings:pool_mapping": lambda fs: TapeUpload.objects.filter(pool__filing__in=fs),
    "filings:pool_mapping_check": lambda fs: TapeUpload.objects.filter(pool__filing__in=fs),
    "filings:pool_import": lambda fs: TapeImport.objects.filter(pool__filing__in=fs),
    "filings:pool_import_status": lambda fs: TapeImport.objects.filter(pool__filing__in=fs),
    "filings:pool_import_errors": lambda fs: TapeImport.objects.filter(pool__filing__in=fs),
    "filings:pool_tape_file": lambda fs: TapeImport.objects.filter(pool__filing__in=fs),
    "filings:delegation_revoke": lambda fs: Delegation.objects.filter(filing__in=fs),
    "filings:report_acknowledge": lambda fs: MaterialEvent.objects.filter(filing__in=fs),
    "filings:report_document": lambda fs: MaterialEvent.objects.filter(filing__in=fs),
    "filings:report_send_update": lambda fs: MaterialEvent.objects.filter(filing__in=fs),
    "reviews:unassign": lambda fs: Assignment.objects.filter(filing__in=fs),
    "reviews:item_discard": lambda fs: DeficiencyItem.objects.filter(filing__in=fs),
    "reviews:item_rule": lambda fs: DeficiencyItem.objects.filter(filing__in=fs),
    "reviews:supplement_answer": lambda fs: DeficiencyItem.objects.filter(filing__in=fs),
    "reviews:decision_act": lambda fs: Decision.objects.filter(filing__in=fs),
    "reviews:waiver_rule": lambda fs: Waiver.objects.filter(filing__in=fs),
    "reviews:notice": lambda fs: Notice.objects.filter(filing__in=fs),
    "reviews:notice_pdf": lambda fs: Notice.objects.filter(filing__in=fs),
}
OTHER_KWARGS = {"fmt": "csv", "action": "confirm"}
IDS_PER_ROUTE = 3


def _routes(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    """(view name, converter kwargs) of every named route, depth first."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}", list(entry.pattern.converters)


def object_routes() -> list[str]:
    return [
        name
        for name, kwargs in _routes()
        if "reference" in kwargs
        and any(k in ID_KWARGS for k in kwargs)
        # The API answers bearer tokens, not sessions: tests/api walks its cross-tenant ids.
        and not name.startswith(("admin:", "api:"))
    ]


def test_every_route_taking_an_object_id_is_walked():
    assert sorted(object_routes()) == sorted(OBJECTS)


@pytest.fixture
def demo() -> dict[str, Any]:
    """The demo data: two issuers with filings in every state, documents, tapes, renders, review."""
    from desk.demo import seed_demo
    from reviews import services as review_services

    people, filings = seed_demo()
    # A reviewer on one filing of one issuer only, to walk the review routes with.
    own = next(
        f
        for f in filings
        if f.state == "under_review" and f.organisation == people["sz-preparer"].organisation
    )
    reviewer = UserFactory(
        username="walk-reviewer", role=Role.REVIEWER, organisation=people["lead"].organisation
    )
    assignment = review_services.assign_reviewer(filing_id=own.pk, reviewer_id=reviewer.pk, by=people["lead"])
    review_services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)
    # What the demo does not make: a pre-flight run and a render of sz, and a waiver of hz.
    from desk.demo import fill_filing
    from filings import services as filing_services
    from filings.compliance.jobs import request_preflight
    from filings.waivers import request_waiver

    sz_draft = next(f for f in filings if f.state == "draft" and f.organisation == own.organisation)
    request_preflight(filing_id=sz_draft.pk, by=people["sz-preparer"])
    # A render request of the other issuer (queued: the test transaction never commits to send it).
    filing_services.request_dossier(
        snapshot_id=own.snapshots.order_by("-version").first().pk,
        language="zh-hans",
        copy="issuer",
        by=people["sz-signatory"],
    )
    hz_preparer, hz_signatory = people["hz-preparer"], people["hz-signatory"]
    hz_draft = filing_services.create_filing(
        organisation=hz_preparer.organisation,
        title="走查用草稿",
        asset_class="trade_receivable",
        by=hz_preparer,
    )
    fill_filing(
        hz_draft,
        hz_preparer,
        hz_signatory,
        name_zh="浙江某交通投资集团有限公司",
        code=hz_preparer.organisation.uscc,
    )
    hz_draft = Filing.objects.get(pk=hz_draft.pk)
    # A delegation of the other issuer's draft to a law firm, for the revoke route.
    law_firm = OrganisationFactory(kind=OrganisationKind.AGENT, name_zh="走查律师事务所", name_en="Walk LLP")
    delegate_filing(
        filing_id=sz_draft.pk,
        agent_id=law_firm.pk,
        scope=["prepare"],
        ends_on=dt.date.today() + dt.timedelta(days=30),
        by=people["sz-signatory"],
    )
    filing_services.update_section(
        filing_id=hz_draft.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=hz_draft.token.version,
        by=hz_preparer,
    )
    request_waiver(
        filing_id=hz_draft.pk,
        rule_code="CONS-CURRENCY",
        field="token.settlement_currency",
        justification="汇率风险由发起机构承担。",
        by=hz_signatory,
    )
    # A post-filing report with its document on each demo filing, for the report routes.
    from django.core.files.base import ContentFile

    for filing in filings:
        report = MaterialEvent(
            filing=filing,
            kind="control_change",
            occurred_on=dt.date.today(),
            description="走查",
            due_on=dt.date.today(),
            reported_by=people["lead"],
            attachment_name="walk.pdf",
        )
        report.attachment.save("walk.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        report.save()
    return {"people": people, "filings": filings, "reviewer": reviewer, "reviewer_filing": own}


def _walk(
    client, user, own: Filing, foreign: QuerySet[Filing], routes: list[str]
) -> list[tuple[str, str, int]]:
    client.force_login(user)
    asked = []
    for name in routes:
        ids = list(OBJECTS[name](foreign).order_by("pk").values_list("pk", flat=True)[:IDS_PER_ROUTE])
        assert ids, f"the demo has no {name} object of another organisation to ask for"
        for pk in ids:
            kwargs = {"reference": own.reference, "pk": pk}
            route = next(k for n, k in _routes() if n == name)
            kwargs.update({k: v for k, v in OTHER_KWARGS.items() if k in route})
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            asked.append((name, url, response.status_code))
    return asked


def _traced(user, url: str) -> bool:
    return Event.objects.filter(action="access.refused", actor=user, data__path=url).exists()


@override_settings(AUDIT_REFUSAL_LIMIT=10_000)
def test_another_organisations_ids_under_ones_own_filing_are_404_and_all_audited(client, demo):
    cache.clear()
    people = demo["people"]
    issuer = people["hz-preparer"]
    own_issuer_filing = next(f for f in demo["filings"] if f.organisation == issuer.organisation)
    other_orgs = Filing.objects.exclude(organisation=issuer.organisation)
    issuer_routes = [
        name for name in OBJECTS if name.startswith("filings:") or name == "reviews:supplement_answer"
    ]
    reviewer = demo["reviewer"]
    reviewer_foreign = Filing.objects.exclude(organisation=demo["reviewer_filing"].organisation)
    review_routes = [
        name for name in OBJECTS if name.startswith("reviews:") and name != "reviews:supplement_answer"
    ]

    asked = _walk(client, issuer, own_issuer_filing, other_orgs, issuer_routes)
    asked_reviewer = _walk(client, reviewer, demo["reviewer_filing"], reviewer_foreign, review_routes)

    assert [a for a in asked + asked_reviewer if a[2] != 404] == []
    untraced = [url for _n, url, _s in asked if not _traced(issuer, url)]
    untraced += [url for _n, url, _s in asked_reviewer if not _traced(reviewer, url)]
    assert untraced == []
    assert len(asked) + len(asked_reviewer) >= len(OBJECTS)


def test_the_event_names_who_where_and_what(client, draft_filing, other_preparer):
    cache.clear()
    client.force_login(other_preparer)

    response = client.get(f"/filings/{draft_filing.reference}/documents/")

    assert response.status_code == 404
    event = Event.objects.get(action="access.refused")
    assert (event.actor, event.filing_id) == (other_preparer, draft_filing.pk)
    assert event.data == {
        "method": "GET",
        "path": f"/filings/{draft_filing.reference}/documents/",
        "url_name": "filings:documents",
        "kwargs": {"reference": draft_filing.reference},
        "status": 404,
        "organisation_id": other_preparer.organisation_id,
    }


def test_a_role_refusal_is_a_404_and_audited(client, preparer):
    cache.clear()
    client.force_login(preparer)

    response = client.get("/audit/")

    assert response.status_code == 404
    event = Event.objects.get(action="access.refused")
    assert (event.actor_id, event.data["url_name"], event.data["status"]) == (
        preparer.pk,
        "audit:event_list",
        404,
    )


def test_a_page_that_does_not_exist_and_anonymous_visitors_are_not_refusals(client, preparer):
    cache.clear()
    client.get("/filings/ABST-2026-99999/")  # anonymous: redirected to sign in
    client.force_login(preparer)
    client.get("/no-such-page/")

    assert not Event.objects.filter(action__startswith="access.").exists()


def test_a_crawler_cannot_flood_the_log(preparer):
    cache.clear()
    ask = {"by": preparer, "method": "GET", "url_name": "filings:detail", "status": 404}

    with override_settings(AUDIT_REFUSAL_LIMIT=3):
        outcomes = [
            record_refused_access(path=f"/filings/X-{n}/", kwargs={"reference": f"X-{n}"}, **ask)
            for n in range(6)
        ]
        repeat = record_refused_access(path="/filings/X-0/", kwargs={"reference": "X-0"}, **ask)

    assert outcomes == ["recorded", "recorded", "recorded", "suppressed", "over_limit", "over_limit"]
    assert repeat == "repeat"
    assert list(Event.objects.values_list("action", flat=True)) == ["access.refused"] * 3 + [
        "access.refused_suppressed"
    ]


def test_the_audit_screen_shows_the_refusal_in_the_readers_language(client, admin_user, preparer):
    cache.clear()
    record_refused_access(
        by=preparer, method="GET", path="/audit/", url_name="audit:event_list", kwargs={}, status=403
    )
    client.force_login(admin_user)

    with translation.override("zh-hans"):
        body = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "拒绝访问" in body
