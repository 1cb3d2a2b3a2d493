"""Filings through the API: the same services and scope as the web, optimistic concurrency on sections."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event
from filings.models import Filing
from filings.workflow import FilingState
from tests.api.conftest import PDF_BYTES


def test_an_issuer_creates_lists_and_reads_a_filing(client_for, preparer):
    api = client_for(preparer, ["write"])

    created = api.post(
        "/api/v1/filings/", {"title": "收费收益权 2026-1", "asset_class": "toll_income"}, format="json"
    )

    assert created.status_code == 201
    body = created.json()
    filing = Filing.objects.get()
    assert (body["reference"], body["state"], body["clocks"]) == (filing.reference, "draft", None)
    assert body["findings"]["blocking"] > 0  # an empty draft cannot be submitted yet
    assert body["links"]["section_entity"].endswith(f"/api/v1/filings/{filing.reference}/sections/entity/")
    listing = api.get("/api/v1/filings/").json()
    assert [row["reference"] for row in listing["results"]] == [filing.reference]
    assert Event.objects.filter(action="filing.create", actor=preparer).count() == 1
    assert Event.objects.filter(action="api.request", actor=preparer).get().data["status"] == 201


def test_another_organisations_filing_is_a_404_and_the_attempt_is_logged(
    client_for, other_preparer, draft_filing
):
    api = client_for(other_preparer, ["read"])

    for path in ("", "sections/entity/", "documents/", "tapes/", "notices/", "preflight/"):
        response = api.get(f"/api/v1/filings/{draft_filing.reference}/{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    assert api.get("/api/v1/filings/").json()["results"] == []
    assert Event.objects.filter(action="filing.access_refused", actor=other_preparer).count() == 6


def test_a_pinned_token_reaches_only_its_filing(client_for, preparer, draft_filing):
    from filings.services import create_filing

    other = create_filing(
        organisation=preparer.organisation, title="other", asset_class="toll_income", by=preparer
    )
    api = client_for(preparer, ["read"], filing=draft_filing)

    assert [r["reference"] for r in api.get("/api/v1/filings/").json()["results"]] == [draft_filing.reference]
    assert api.get(f"/api/v1/filings/{other.reference}/").status_code == 404


def test_a_section_write_needs_the_etag_it_read_and_a_stale_one_is_412(client_for, preparer, draft_filing):
    api = client_for(preparer, ["write"])
    url = f"/api/v1/filings/{draft_filing.reference}/sections/token/"

    read = api.get(url)
    assert read["ETag"] == '"token-v0"'
    saved = api.put(url, {"fields": {"network": "杭甬联盟链"}}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200, saved.json()
    assert saved["ETag"] == '"token-v1"'
    assert saved.json()["fields"]["network"] == "杭甬联盟链"

    stale = api.put(url, {"fields": {"network": "别的链"}}, format="json", HTTP_IF_MATCH=read["ETag"])
    missing = api.put(url, {"fields": {"network": "别的链"}}, format="json")

    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert missing.status_code == 428
    draft_filing.token.refresh_from_db()
    assert (draft_filing.token.network, draft_filing.token.version) == ("杭甬联盟链", 1)


def test_a_section_is_validated_like_the_web_form(client_for, preparer, draft_filing):
    api = client_for(preparer, ["write"])
    url = f"/api/v1/filings/{draft_filing.reference}/sections/entity/"

    response = api.put(
        url, {"fields": {"business_scope": "虚拟货币交易"}}, format="json", HTTP_IF_MATCH='"entity-v0"'
    )

    unknown = api.put(url, {"fields": {"nickname": "x"}}, format="json", HTTP_IF_MATCH='"entity-v0"')

    assert response.status_code == 400
    assert "business_scope" in response.json()["errors"]["fields"]
    assert unknown.json()["errors"]["fields"] == {"nickname": ["This section has no such field."]}
    draft_filing.entity.refresh_from_db()
    assert draft_filing.entity.version == 0


def test_a_read_only_token_cannot_write_a_section(client_for, preparer, draft_filing):
    api = client_for(preparer, ["read"])

    response = api.put(
        f"/api/v1/filings/{draft_filing.reference}/sections/token/",
        {"fields": {"network": "x"}},
        format="json",
        HTTP_IF_MATCH='"token-v0"',
    )

    assert response.status_code == 403
    draft_filing.token.refresh_from_db()
    assert draft_filing.token.version == 0


def test_documents_are_checked_by_content_and_downloaded_as_uploaded(client_for, preparer, draft_filing):
    api = client_for(preparer, ["write"])
    url = f"/api/v1/filings/{draft_filing.reference}/documents/"

    refused = api.post(
        url, {"requirement": "TRUE-SALE-OPINION", "file": SimpleUploadedFile("opinion.pdf", b"not a pdf")}
    )
    accepted = api.post(
        url,
        {
            "requirement": "TRUE-SALE-OPINION",
            "file": SimpleUploadedFile("opinion.pdf", PDF_BYTES),
            "signer_count": 2,
        },
    )

    assert refused.status_code == 422
    assert "whatever its name says" in refused.json()["detail"]
    assert accepted.status_code == 201, accepted.json()
    document = accepted.json()
    assert (document["version"], document["content_type"]) == (1, "application/pdf")
    listing = {row["code"]: row["current"] for row in api.get(url).json()}
    assert listing["TRUE-SALE-OPINION"]["id"] == document["id"]
    download = api.get(f"{url}{document['id']}/file/")
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_only_a_signatory_token_with_the_submit_scope_submits(client_for, preparer, signatory, ready_filing):
    refused = client_for(preparer, ["write"]).post(f"/api/v1/filings/{ready_filing.reference}/submit/")
    assert refused.status_code == 403
    assert Filing.objects.get(pk=ready_filing.pk).state == FilingState.DRAFT

    submitted = client_for(signatory, ["submit"]).post(f"/api/v1/filings/{ready_filing.reference}/submit/")

    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"
    assert [c["name"] for c in submitted.json()["clocks"]] == ["completeness", "review", "supplement_reply"]
    assert Event.objects.filter(action="filing.submit", actor=signatory).count() == 1


def test_submitting_with_blocking_findings_is_a_409_listing_them(client_for, signatory, draft_filing):
    response = client_for(signatory, ["submit"]).post(f"/api/v1/filings/{draft_filing.reference}/submit/")

    assert response.status_code == 409
    assert response.json()["findings"]
    assert Filing.objects.get(pk=draft_filing.pk).state == FilingState.DRAFT


def test_preflight_lists_the_findings_in_the_requested_language(client_for, preparer, draft_filing):
    english = (
        client_for(preparer, ["read"]).get(f"/api/v1/filings/{draft_filing.reference}/preflight/").json()
    )
    chinese = client_for(preparer, ["read"], language="zh-hans").get(
        f"/api/v1/filings/{draft_filing.reference}/preflight/"
    )

    assert english["blocking"] == chinese.json()["blocking"] > 0
    assert english["findings"][0]["code"] == chinese.json()["findings"][0]["code"]
    assert english["findings"][0]["message"] != chinese.json()["findings"][0]["message"]
