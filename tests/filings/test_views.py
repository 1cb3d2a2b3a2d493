"""The issuer's screens end to end through the test client."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.selectors import events_for_filing
from filings.models import Filing

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def test_preparer_creates_a_draft(client, preparer):
    client.force_login(preparer)

    response = client.post(reverse("filings:create"), {"title": "新项目", "asset_class": "trade_receivable"})

    filing = Filing.objects.get(title="新项目")
    assert response.status_code == 302 and response.url == filing.get_absolute_url()
    assert (filing.state, filing.organisation, filing.created_by) == (
        "draft",
        preparer.organisation,
        preparer,
    )


def test_another_organisations_filing_is_a_404_like_a_missing_one(client, draft_filing, other_preparer):
    client.force_login(other_preparer)

    theirs = client.get(reverse("filings:detail", args=[draft_filing.reference]))
    missing = client.get(reverse("filings:detail", args=["ABST-2099-99999"]))

    assert theirs.status_code == missing.status_code == 404
    assert draft_filing.title not in theirs.content.decode()
    assert theirs.templates[0].name == missing.templates[0].name == "errors/404.html"
    for name in ("filings:section", "filings:documents", "filings:history", "filings:preflight"):
        args = [draft_filing.reference, "entity"] if name == "filings:section" else [draft_filing.reference]
        assert client.get(reverse(name, args=args)).status_code == 404


def _entity_post(filing, **overrides):
    data = {
        "s-version": str(filing.entity.version),
        "s-uscc": "91330000MA27U0001R",
        "s-name_zh": "甲发行人有限公司",
        "s-name_en": "",
        "s-legal_representative": "陈某",
        "s-registered_capital": "1,000",
        "s-paid_in_capital": "",
        "s-establishment_date": "",
        "s-registered_address": "",
        "s-business_scope": "高速公路经营",
        "s-controlling_shareholder": "",
        "s-actual_controller": "",
        "s-actual_controller_type": "",
        "control_links-TOTAL_FORMS": "1",
        "control_links-INITIAL_FORMS": "0",
        "control_links-0-level": "1",
        "control_links-0-holder_name": "某国资公司",
        "control_links-0-holder_identifier": "",
        "control_links-0-holds_in": "甲发行人有限公司",
        "control_links-0-percentage": "100",
        "officers-TOTAL_FORMS": "1",
        "officers-INITIAL_FORMS": "0",
        "officers-0-name": "",
        "officers-0-role": "",
        "officers-0-position": "",
        "officers-0-nationality": "",  # the blank row is offered empty
        "officers-0-overseas_residence": "",
    }
    data.update(overrides)
    return data


def test_entity_section_saves_with_its_rows(client, preparer, draft_filing):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])

    response = client.post(url, _entity_post(draft_filing, **{"s-registered_capital": "1000"}))

    assert response.status_code == 302
    draft_filing.refresh_from_db()
    assert draft_filing.entity.legal_representative == "陈某"
    assert list(draft_filing.control_links.values_list("holder_name", "percentage")) == [("某国资公司", 100)]


def test_saving_a_section_keeps_the_rows_the_user_left_alone(client, preparer, draft_filing):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])
    client.post(url, _entity_post(draft_filing, **{"s-registered_capital": "1000"}))
    draft_filing = Filing.objects.get(pk=draft_filing.pk)
    link = draft_filing.control_links.get()

    # The page shows the stored row as an initial form and a blank one; only the scope is edited.
    unchanged = _entity_post(
        draft_filing,
        **{
            "s-registered_capital": "1000",
            "s-business_scope": "高速公路经营；收费公路运营管理",
            "control_links-TOTAL_FORMS": "2",
            "control_links-INITIAL_FORMS": "1",
            "control_links-0-percentage": "100.000",
            "control_links-1-level": "",  # the blank row is offered empty, not with the model default
            "control_links-1-holder_name": "",
            "control_links-1-holder_identifier": "",
            "control_links-1-holds_in": "",
            "control_links-1-percentage": "",
        },
    )
    response = client.post(url, unchanged)

    assert response.status_code == 302
    draft_filing.refresh_from_db()
    assert draft_filing.entity.business_scope == "高速公路经营；收费公路运营管理"
    assert list(draft_filing.control_links.values_list("holder_name", "holds_in", "percentage")) == [
        (link.holder_name, link.holds_in, link.percentage)
    ]


def test_banned_term_in_the_name_is_shown_and_nothing_typed_is_lost(client, preparer, draft_filing):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])

    response = client.post(
        url,
        _entity_post(
            draft_filing, **{"s-registered_capital": "1000", "s-business_scope": "数字资产及ＲＷＡ业务咨询"}
        ),
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "s-business_scope" in response.context["form"].errors.as_data()
        or "business_scope" in response.context["form"].errors
    )
    assert "数字资产及ＲＷＡ业务咨询" in body  # what the user typed is still in the form
    assert "陈某" in body
    draft_filing.refresh_from_db()
    assert draft_filing.entity.business_scope == ""


def test_invalid_uscc_is_explained(client, preparer, draft_filing):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])

    response = client.post(
        url, _entity_post(draft_filing, **{"s-uscc": "91330000MA27U0001X", "s-registered_capital": "1000"})
    )

    assert response.status_code == 200
    assert response.context["form"].errors["uscc"]


def test_two_editors_the_second_sees_a_clear_conflict_message(client, preparer, draft_filing):
    client.force_login(preparer)
    client.cookies["filingdesk_language"] = "en"
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])
    stale = _entity_post(draft_filing, **{"s-registered_capital": "1000"})
    client.post(url, _entity_post(draft_filing, **{"s-registered_capital": "2000"}))

    response = client.post(url, {**stale, "s-legal_representative": "第二人"})

    assert response.status_code == 200
    assert "Someone else saved this section" in str(response.context["form"].non_field_errors())
    assert "第二人" in response.content.decode()
    draft_filing.refresh_from_db()
    assert draft_filing.entity.registered_capital == 2000


def test_htmx_validation_does_not_save(client, preparer, draft_filing):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])

    response = client.post(
        url,
        {**_entity_post(draft_filing, **{"s-registered_capital": "1000"}), "_validate": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.templates[0].name == "filings/_section_form.html"
    draft_filing.refresh_from_db()
    assert draft_filing.entity.version == 0


def test_upload_and_download_are_recorded(client, preparer, draft_filing):
    client.force_login(preparer)
    url = reverse("filings:documents", args=[draft_filing.reference])

    client.post(
        url,
        {
            "requirement": "FILING-REPORT",
            "language": "zh-hans",
            "file": SimpleUploadedFile("备案报告.pdf", PDF),
        },
    )
    document = draft_filing.documents.get()
    response = client.get(reverse("filings:document_download", args=[draft_filing.reference, document.pk]))

    assert b"".join(response.streaming_content) == PDF
    assert [e.action for e in events_for_filing(draft_filing.pk)][-2:] == [
        "document.upload",
        "document.download",
    ]


def test_submit_with_blocking_findings_is_refused_with_reasons(client, signatory, draft_filing):
    client.force_login(signatory)

    response = client.post(
        reverse("filings:transition", args=[draft_filing.reference, "submit"]), follow=True
    )

    texts = [str(m) for m in response.context["messages"]]
    assert any("G26-1" in t for t in texts)
    draft_filing.refresh_from_db()
    assert draft_filing.state == "draft"


def test_signatory_submits_a_ready_filing(client, signatory, ready_filing):
    client.force_login(signatory)

    client.post(reverse("filings:transition", args=[ready_filing.reference, "submit"]))

    ready_filing.refresh_from_db()
    assert ready_filing.state == "submitted"
    snapshot = client.get(reverse("filings:snapshot", args=[ready_filing.reference, 1]) + "?format=json")
    import hashlib

    assert hashlib.sha256(snapshot.content).hexdigest() == ready_filing.snapshots.get().sha256


def test_rule_catalogue_lists_codes(client, preparer):
    client.force_login(preparer)
    body = client.get(reverse("filings:rule_catalogue")).content.decode()
    assert "G26-1" in body
