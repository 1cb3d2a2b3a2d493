"""After the filing notice: material changes block the issuance until acknowledged; the issuance report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.selectors import events_for_filing
from filings.errors import TransitionRefusedError, UploadRejectedError
from filings.models import MaterialEvent
from filings.reports import acknowledge_report, report_after_filing
from filings.services import transition_filing
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def filed(under_review, lead):
    transition_filing(filing_id=under_review.pk, name="decide_file", by=lead)
    return refresh(under_review)


def _issuance(filing, signatory, **extra):
    values = {
        "kind": "issuance_completion",
        "occurred_on": timezone.localdate(),
        "description": "发行完成",
        "amount_issued": Decimal("100000000"),
        "venue": "HKEX-linked licensed platform",
        "token_details": "ERC-3643, permissioned chain, 100,000 tokens",
    }
    values.update(extra)
    return report_after_filing(filing_id=filing.pk, by=signatory, **values)


def test_an_unacknowledged_material_change_blocks_the_issuance_report(filed, signatory, reviewer):
    change = report_after_filing(
        filing_id=filed.pk,
        kind="control_change",
        occurred_on=timezone.localdate(),
        description="实际控制人变更",
        by=signatory,
        document=SimpleUploadedFile("股权转让协议.pdf", PDF),
    )
    assert change.attachment_name == "股权转让协议.pdf" and len(change.attachment_sha256) == 64

    with pytest.raises(TransitionRefusedError) as error:
        _issuance(filed, signatory)
    assert "awaits the reviewer's acknowledgement" in str(error.value.user_message)
    assert refresh(filed).state == "filed"

    acknowledge_report(report_id=change.pk, by=reviewer, note="已核查")
    _issuance(filed, signatory)

    filing = refresh(filed)
    change = MaterialEvent.objects.get(pk=change.pk)  # the status is protected: reload, not refresh
    assert filing.state == "issued"
    assert (change.status, change.acknowledged_by, change.acknowledgement_note) == (
        "acknowledged",
        reviewer,
        "已核查",
    )
    actions = [e.action for e in events_for_filing(filed.pk)]
    assert actions[-4:] == [
        "report.material_event",
        "report.acknowledge",
        "filing.report_issuance",
        "report.material_event",
    ]


def test_a_change_reported_after_three_working_days_is_flagged_late(filed, signatory):
    change = report_after_filing(
        filing_id=filed.pk,
        kind="plan_change",
        occurred_on=timezone.localdate() - dt.timedelta(days=30),
        description="发行场所变更为新加坡",
        by=signatory,
    )

    assert change.is_late
    assert change.due_on < timezone.localdate()


def test_the_issuance_report_is_due_three_working_days_after_completion(filed, signatory):
    report = _issuance(filed, signatory, occurred_on=dt.date(2026, 9, 30))

    # 1–7 Oct is the National Day holiday; 8 and 9 Oct count, and Saturday 10 Oct is a make-up working day.
    assert report.due_on == dt.date(2026, 10, 10)
    assert (report.venue, report.amount_issued) == ("HKEX-linked licensed platform", Decimal("100000000.00"))


def test_the_issuance_report_needs_venue_and_token_details(filed, signatory):
    with pytest.raises(TransitionRefusedError):
        _issuance(filed, signatory, venue="", token_details="")
    assert refresh(filed).state == "filed"


def test_only_a_reviewer_acknowledges_and_only_once(filed, signatory, preparer, lead):
    change = report_after_filing(
        filing_id=filed.pk,
        kind="business_change",
        occurred_on=timezone.localdate(),
        description="主营业务变更",
        by=signatory,
    )
    with pytest.raises(TransitionRefusedError):
        acknowledge_report(report_id=change.pk, by=signatory)
    acknowledge_report(report_id=change.pk, by=lead)
    with pytest.raises(TransitionRefusedError):
        acknowledge_report(report_id=change.pk, by=lead)
    assert MaterialEvent.objects.get(pk=change.pk).acknowledged_by == lead


def test_a_document_that_is_not_what_it_claims_is_refused(filed, signatory):
    with pytest.raises(UploadRejectedError):
        report_after_filing(
            filing_id=filed.pk,
            kind="pool_change",
            occurred_on=timezone.localdate(),
            description="资产池调整",
            by=signatory,
            document=SimpleUploadedFile("fake.pdf", b"MZ not a pdf"),
        )
    assert not MaterialEvent.objects.filter(filing=filed).exists()


def test_the_reports_page_and_the_reviewer_dashboard_show_what_waits(client, filed, signatory, reviewer):
    client.force_login(signatory)
    url = reverse("filings:reports", args=[filed.reference])
    response = client.post(
        url,
        {
            "kind": "control_change",
            "occurred_on": timezone.localdate().isoformat(),
            "description": "控制权变更",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "blocks issuance" in page and 'data-testid="issuance-blocked"' in page

    client.force_login(reviewer)
    dashboard = client.get(reverse("desk:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Post-filing reports awaiting acknowledgement" in dashboard and filed.reference in dashboard
    change = MaterialEvent.objects.get(filing=filed)
    client.post(reverse("filings:report_acknowledge", args=[filed.reference, change.pk]), {"note": "ok"})
    assert MaterialEvent.objects.get(pk=change.pk).status == "acknowledged"
    assert (
        "No report is waiting."
        in client.get(reverse("desk:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


# -- a material change that makes filed materials out of date: an update round ----------------------


def _change(filed, signatory, **extra):
    return report_after_filing(
        filing_id=filed.pk,
        kind="control_change",
        occurred_on=timezone.localdate(),
        description="实际控制人变更",
        by=signatory,
        **extra,
    )


def test_acknowledging_a_change_can_reopen_sections_until_the_update_is_sent(filed, signatory, reviewer):
    from filings.reports import send_update

    assert not filed.section_is_editable("entity")
    change = _change(filed, signatory)
    acknowledge_report(report_id=change.pk, by=reviewer, update_sections=["documents", "entity"])

    filing = refresh(filed)
    assert filing.reopened_sections == ["entity", "documents"]
    assert filing.section_is_editable("entity") and filing.section_is_editable("documents")
    assert not filing.section_is_editable("offering")
    with pytest.raises(TransitionRefusedError) as error:
        _issuance(filing, signatory)
    assert "send them before reporting the issuance" in str(error.value.user_message)

    versions_before = filing.snapshots.count()
    send_update(report_id=change.pk, by=signatory)

    filing = refresh(filed)
    change = MaterialEvent.objects.get(pk=change.pk)
    assert filing.reopened_sections == [] and not filing.section_is_editable("entity")
    assert change.update_snapshot.version == versions_before + 1
    assert not change.update_pending
    sent = [e for e in events_for_filing(filed.pk) if e.action == "report.update_sent"]
    assert len(sent) == 1 and sent[0].data["sections"] == ["entity", "documents"]
    _issuance(filing, signatory)
    assert refresh(filed).state == "issued"


def test_a_document_uploaded_in_the_update_round_is_a_new_version(filed, signatory, reviewer):
    from filings.models import DocumentRequirement
    from filings.services import upload_document

    change = _change(filed, signatory)
    acknowledge_report(report_id=change.pk, by=reviewer, update_sections=["documents"])
    requirement = DocumentRequirement.objects.filter(is_active=True).first()
    document = upload_document(
        filing_id=filed.pk,
        requirement_code=requirement.code,
        upload=SimpleUploadedFile("更新后的章程.pdf", PDF),
        by=signatory,
    )
    assert document.is_current and document.original_name == "更新后的章程.pdf"


def test_only_a_material_change_before_issuance_can_ask_for_updated_materials(filed, signatory, reviewer):
    event = report_after_filing(
        filing_id=filed.pk,
        kind="material_risk",
        occurred_on=timezone.localdate(),
        description="重大风险",
        by=signatory,
    )
    with pytest.raises(TransitionRefusedError) as error:
        acknowledge_report(report_id=event.pk, by=reviewer, update_sections=["entity"])
    assert "only for a material change before issuance" in str(error.value.user_message)
    change = _change(filed, signatory)
    with pytest.raises(TransitionRefusedError):
        acknowledge_report(report_id=change.pk, by=reviewer, update_sections=["attestations"])
    assert MaterialEvent.objects.get(pk=change.pk).status == "reported"


def test_the_update_is_sent_by_the_signatory_only_once(filed, signatory, reviewer, preparer):
    from filings.reports import send_update

    change = _change(filed, signatory)
    with pytest.raises(TransitionRefusedError):
        send_update(report_id=change.pk, by=signatory)  # nothing was asked for
    acknowledge_report(report_id=change.pk, by=reviewer, update_sections=["offering"])
    with pytest.raises(TransitionRefusedError):
        send_update(report_id=change.pk, by=preparer)
    send_update(report_id=change.pk, by=signatory)
    with pytest.raises(TransitionRefusedError) as error:
        send_update(report_id=change.pk, by=signatory)
    assert "No update of the filed materials is outstanding" in str(error.value.user_message)


def test_the_update_round_through_the_pages_in_both_languages(client, filed, signatory, reviewer):
    change = _change(filed, signatory)
    client.force_login(reviewer)
    url = reverse("filings:reports", args=[filed.reference])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "要求更新" in page
    client.post(
        reverse("filings:report_acknowledge", args=[filed.reference, change.pk]),
        {"note": "请更新", "update_sections": ["entity"]},
    )
    assert refresh(filed).reopened_sections == ["entity"]

    client.force_login(signatory)
    section = reverse("filings:section", args=[filed.reference, "entity"])
    assert client.get(section).context["editable"] is True
    offering = reverse("filings:section", args=[filed.reference, "offering"])
    assert client.get(offering).context["editable"] is False
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Updated materials asked for" in page and f'data-testid="send-update-{change.pk}"' in page
    response = client.post(reverse("filings:report_send_update", args=[filed.reference, change.pk]))
    assert response.status_code == 302
    assert refresh(filed).reopened_sections == []
    assert client.get(section).context["editable"] is False
    assert "Updated materials sent" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_downloading_a_report_document_is_audited(client, filed, signatory, reviewer):
    change = _change(filed, signatory, document=SimpleUploadedFile("股权转让协议.pdf", PDF))
    client.force_login(reviewer)
    response = client.get(reverse("filings:report_document", args=[filed.reference, change.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    downloads = [e for e in events_for_filing(filed.pk) if e.action == "report.document_download"]
    assert [(e.actor, e.data["sha256"]) for e in downloads] == [(reviewer, change.attachment_sha256)]
