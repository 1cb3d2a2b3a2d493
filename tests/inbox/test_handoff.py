"""The preparer hands a draft that passes pre-flight to the signatories; an edit takes the mark away."""

from __future__ import annotations

import pytest

from audit.models import Event
from desk.selectors import task_inbox
from desk.services import mark_ready_for_signature
from filings.errors import BlockingFindingsError, TransitionRefusedError
from filings.services import update_section
from inbox.models import Notification
from reviews.models import OutboxMessage
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db


def test_marking_ready_logs_it_and_tells_the_signatories_in_the_desk_and_by_email(
    ready_filing, preparer, signatory
):
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer, note="请于周五前签署")

    filing = refresh(ready_filing)
    assert (filing.ready_for_signature_by, filing.ready_for_signature_note) == (preparer, "请于周五前签署")
    event = Event.objects.filter(filing_id=filing.pk).latest("sequence")
    assert (event.action, event.data) == (
        "handoff.ready",
        {"note": "请于周五前签署", "signatories": ["signatory"]},
    )
    note = Notification.objects.get(kind="ready_for_signature")
    assert (note.recipient, note.kind, note.target) == (
        signatory,
        "ready_for_signature",
        f"/filings/{filing.reference}/",
    )
    email = OutboxMessage.objects.get(event="ready_for_signature")
    assert email.recipient == signatory and "请于周五前签署" in email.body

    [group] = task_inbox(signatory)
    assert (group.code, group.count, [t.reference for t in group.tasks]) == (
        "ready_for_signature",
        1,
        [filing.reference],
    )
    assert "ready_for_signature" not in [g.code for g in task_inbox(preparer)]  # nothing to sign


def test_marking_again_while_marked_tells_nobody_twice(ready_filing, preparer):
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer)
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer)

    assert Notification.objects.filter(kind="ready_for_signature").count() == 1
    assert Event.objects.filter(action="handoff.ready").count() == 1


def test_a_filing_with_blocking_findings_is_not_handed_over(gapped_filing, preparer):
    with pytest.raises(BlockingFindingsError):
        mark_ready_for_signature(filing_id=gapped_filing.pk, by=preparer)

    assert refresh(gapped_filing).ready_for_signature_at is None
    assert not Notification.objects.filter(kind="ready_for_signature").exists()
    assert not Event.objects.filter(action="handoff.ready").exists()


@pytest.mark.parametrize("who", ["signatory", "other_preparer", "reviewer"])
def test_only_the_issuers_preparers_mark_ready(ready_filing, who, request):
    with pytest.raises(TransitionRefusedError):
        mark_ready_for_signature(filing_id=ready_filing.pk, by=request.getfixturevalue(who))

    assert refresh(ready_filing).ready_for_signature_at is None


def test_a_submitted_filing_is_not_marked(submitted, preparer):
    with pytest.raises(TransitionRefusedError) as refused:
        mark_ready_for_signature(filing_id=submitted.pk, by=preparer)

    assert str(refused.value.user_message) == "Only a draft can be marked ready for signature."


def test_editing_a_section_afterwards_clears_the_mark_and_says_why(ready_filing, preparer, signatory):
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer)

    update_section(
        filing_id=ready_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=refresh(ready_filing).token.version,
        by=preparer,
    )

    assert refresh(ready_filing).ready_for_signature_at is None
    cleared = Event.objects.get(action="handoff.cleared")
    assert cleared.data == {"section": "token"}
    assert task_inbox(signatory) == []


def test_saving_a_section_unchanged_keeps_the_mark(ready_filing, preparer):
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer)
    token = refresh(ready_filing).token

    update_section(
        filing_id=ready_filing.pk,
        section="token",
        fields={"settlement_currency": token.settlement_currency},
        rows={},
        expected_version=token.version,
        by=preparer,
    )

    assert refresh(ready_filing).ready_for_signature_at is not None


def test_uploading_a_new_document_version_afterwards_clears_the_mark(ready_filing, preparer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings.services import upload_document

    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer)

    upload_document(
        filing_id=ready_filing.pk,
        requirement_code="TRUE-SALE-OPINION",
        by=preparer,
        upload=SimpleUploadedFile(
            "true-sale-v2.pdf", b"%PDF-1.4\n% v2\n%%EOF\n", content_type="application/pdf"
        ),
        signer_count=2,
        conclusion_text="构成真实出售。",
    )

    assert refresh(ready_filing).ready_for_signature_at is None
    assert Event.objects.get(action="handoff.cleared").data == {"section": "documents"}


@pytest.mark.parametrize(("scope", "allowed"), [(["prepare"], True), (["deficiencies"], False)])
def test_an_agent_hands_over_only_with_the_prepare_scope(ready_filing, signatory, scope, allowed):
    import datetime

    from django.utils import timezone

    from accounts.models import OrganisationKind, Role
    from filings.delegations import delegate_filing
    from tests.factories import OrganisationFactory, UserFactory

    firm = OrganisationFactory(name_zh="某律师事务所", name_en="Law Firm LLP", kind=OrganisationKind.AGENT)
    lawyer = UserFactory(username="lawyer", role=Role.AGENT, organisation=firm)
    delegate_filing(
        filing_id=ready_filing.pk,
        agent_id=firm.pk,
        scope=scope,
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        by=signatory,
    )

    if allowed:
        mark_ready_for_signature(filing_id=ready_filing.pk, by=lawyer)
    else:
        with pytest.raises(TransitionRefusedError):
            mark_ready_for_signature(filing_id=ready_filing.pk, by=lawyer)

    assert (refresh(ready_filing).ready_for_signature_by == lawyer) is allowed
    assert Notification.objects.filter(recipient=signatory).count() == (1 if allowed else 0)
