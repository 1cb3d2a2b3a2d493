"""Waivers: the issuer signatory asks to waive a warning, a reviewer rules, the snapshot keeps them."""

from __future__ import annotations

import pytest

from accounts.models import Role
from audit.selectors import events_for_filing
from filings import services
from filings.models import Filing, Waiver
from filings.waivers import WaiverError, request_waiver, rule_on_waiver, withdraw_waiver
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RULE, FIELD = "CONS-CURRENCY", "token.settlement_currency"
WHY = "结算币种为港币，汇率风险由发起机构承担，见发行文件第 7 节。"


@pytest.fixture
def warned_filing(ready_filing, preparer):
    """The ready filing settling in HKD while offering in USD: a CONS-CURRENCY warning."""
    services.update_section(
        filing_id=ready_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=ready_filing.token.version,
        by=preparer,
    )
    return Filing.objects.get(pk=ready_filing.pk)


def _set_state(filing: Filing, state: str) -> Filing:
    Filing.objects.filter(pk=filing.pk).update(state=state)  # test set-up only: services own transitions
    return Filing.objects.get(pk=filing.pk)


def _actions(filing: Filing) -> list[str]:
    return [e.action for e in events_for_filing(filing.pk) if e.action.startswith("waiver.")]


def _request(filing: Filing, by, *, rule: str = RULE, field: str = FIELD, justification: str = WHY) -> Waiver:
    return request_waiver(
        filing_id=filing.pk, rule_code=rule, field=field, justification=justification, by=by
    )


def test_the_signatory_asks_to_waive_a_reported_warning(warned_filing, signatory):
    waiver = _request(warned_filing, signatory)

    assert (waiver.rule_code, waiver.field, waiver.justification, waiver.status, waiver.requested_by) == (
        RULE,
        FIELD,
        WHY,
        "pending",
        signatory,
    )
    event = events_for_filing(warned_filing.pk).last()
    assert (event.action, event.subject_id, event.data) == (
        "waiver.request",
        waiver.pk,
        {"rule": RULE, "field": FIELD, "justification": WHY, "previous": None},
    )


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (
            "TRANCHE-PRESENT",
            "structure.tranches",
            "This finding is not reported for the filing: there is nothing to waive.",
        ),
        (
            "OFFER-FX",
            "offering.fx_route",
            "This finding is not reported for the filing: there is nothing to waive.",
        ),
        (
            RULE,
            "token.settlement_asset",
            "This finding is not reported for the filing: there is nothing to waive.",
        ),
    ],
)
def test_only_a_reported_warning_can_be_waived(warned_filing, signatory, rule, field, message):
    with pytest.raises(WaiverError) as refused:
        _request(warned_filing, signatory, rule=rule, field=field)

    assert str(refused.value.user_message) == message
    assert not Waiver.objects.exists() and _actions(warned_filing) == []


def test_a_justification_is_required(warned_filing, signatory):
    with pytest.raises(WaiverError, match="Give the justification"):
        _request(warned_filing, signatory, justification="   ")

    assert not Waiver.objects.exists()


def test_only_the_filings_own_signatory_may_ask(warned_filing, preparer, other_issuer_org):
    other_signatory = UserFactory(role=Role.SIGNATORY, organisation=other_issuer_org)

    for user in (preparer, other_signatory):
        with pytest.raises(WaiverError, match="Only the issuer signatory of this filing"):
            _request(warned_filing, user)

    assert not Waiver.objects.exists() and _actions(warned_filing) == []


def test_a_pending_request_is_not_asked_twice(warned_filing, signatory):
    _request(warned_filing, signatory)

    with pytest.raises(WaiverError, match="already pending"):
        _request(warned_filing, signatory, justification="again")

    assert list(Waiver.objects.values_list("justification", flat=True)) == [WHY]


def test_no_waiver_is_asked_once_the_filing_is_submitted(warned_filing, signatory):
    submitted = _set_state(warned_filing, "submitted")

    with pytest.raises(WaiverError, match="while the issuer can still change the filing"):
        _request(submitted, signatory)

    assert not Waiver.objects.exists()


def test_the_signatory_withdraws_a_pending_request(warned_filing, signatory, preparer):
    waiver = _request(warned_filing, signatory)
    with pytest.raises(WaiverError, match="Only the issuer signatory"):
        withdraw_waiver(waiver_id=waiver.pk, by=preparer)
    assert Waiver.objects.filter(pk=waiver.pk).exists()

    withdraw_waiver(waiver_id=waiver.pk, by=signatory)

    assert not Waiver.objects.exists()
    assert _actions(warned_filing) == ["waiver.request", "waiver.withdraw"]
    assert events_for_filing(warned_filing.pk).last().data == {
        "rule": RULE,
        "field": FIELD,
        "justification": WHY,
    }


def test_the_lead_grants_a_waiver_of_a_submitted_filing(warned_filing, signatory, lead):
    waiver = _request(warned_filing, signatory)
    _set_state(warned_filing, "submitted")

    rule_on_waiver(waiver_id=waiver.pk, grant=True, note="", by=lead)

    waiver.refresh_from_db()
    assert (waiver.status, waiver.ruled_by, waiver.ruling_note) == ("granted", lead, "")
    assert waiver.ruled_at is not None
    assert _actions(warned_filing) == ["waiver.request", "waiver.grant"]
    with pytest.raises(WaiverError, match="already been ruled on"):
        rule_on_waiver(waiver_id=waiver.pk, grant=False, note="changed my mind", by=lead)


def test_a_refusal_needs_a_reason_and_the_issuer_may_ask_again(warned_filing, signatory, lead):
    waiver = _request(warned_filing, signatory)
    _set_state(warned_filing, "submitted")
    with pytest.raises(WaiverError, match="reason for refusing"):
        rule_on_waiver(waiver_id=waiver.pk, grant=False, note=" ", by=lead)

    rule_on_waiver(waiver_id=waiver.pk, grant=False, note="请补充汇率风险承担安排。", by=lead)
    reopened = _set_state(warned_filing, "supplement_requested")
    again = _request(reopened, signatory, justification="已补充汇率风险承担安排。")

    assert again.pk == waiver.pk
    assert (again.status, again.justification, again.ruled_by, again.ruling_note) == (
        "pending",
        "已补充汇率风险承担安排。",
        None,
        "",
    )
    assert _actions(warned_filing) == ["waiver.request", "waiver.refuse", "waiver.request"]
    assert events_for_filing(warned_filing.pk).last().data["previous"] == "refused"


def test_only_regulator_reviewers_with_the_filing_in_scope_rule(
    warned_filing, signatory, reviewer, preparer, lead
):
    waiver = _request(warned_filing, signatory)
    with pytest.raises(WaiverError, match="does not exist"):
        rule_on_waiver(
            waiver_id=waiver.pk, grant=True, note="", by=lead
        )  # drafts are invisible to the regulator

    _set_state(warned_filing, "submitted")
    with pytest.raises(WaiverError, match="does not exist"):
        rule_on_waiver(waiver_id=waiver.pk, grant=True, note="", by=reviewer)  # not assigned to this filing
    with pytest.raises(WaiverError, match="Only a reviewer"):
        rule_on_waiver(waiver_id=waiver.pk, grant=True, note="", by=preparer)

    waiver.refresh_from_db()
    assert (waiver.status, waiver.ruled_by) == ("pending", None)
    assert _actions(warned_filing) == ["waiver.request"]


def test_waivers_travel_with_the_snapshot(warned_filing, signatory, monkeypatch):
    _request(warned_filing, signatory)
    # The demo filling has no documents or pool yet; this test is about what the snapshot keeps.
    monkeypatch.setattr("filings.compliance.ensure_no_blocking_findings", lambda filing: None)

    services.submit_filing(filing_id=warned_filing.pk, by=signatory)

    data = Filing.objects.get(pk=warned_filing.pk).snapshots.get().data
    [frozen] = data["waivers"]
    assert {k: v for k, v in frozen.items() if k != "requested_at"} == {
        "rule_code": RULE,
        "field": FIELD,
        "justification": WHY,
        "status": "pending",
        "requested_by": "signatory",
        "ruling": None,
    }
    assert [(f["code"], f["field"]) for f in data["preflight"] if f["severity"] == "warning"] == [
        (RULE, FIELD)
    ]
