"""The review loop from the issuer's side through the API, the webhooks it sends, the regulator's queue."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from api.tasks import clear_webhook_secrets_task
from audit.models import Event
from filings.models import Filing
from filings.services import submit_filing
from filings.workflow import FilingState
from reviews import services as review_services
from tests.api.conftest import verify
from tests.reviews.helpers import clear


@pytest.fixture
def under_review(ready_filing, signatory, reviewer, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    clear(ready_filing, reviewer, lead)
    review_services.accept_filing(filing_id=ready_filing.pk, by=lead)
    return Filing.objects.get(pk=ready_filing.pk)


def _request_supplement(filing, reviewer):
    review_services.draft_deficiency_item(
        filing_id=filing.pk,
        by=reviewer,
        question="请说明募集资金调回境内的路径及比例。",
        anchor_path="offering.repatriation_plan",
        citation="银发〔2026〕42号",
    )
    return review_services.send_supplement_request(filing_id=filing.pk, by=reviewer)


def test_the_issuer_answers_a_supplement_request_and_resubmits_over_the_api(
    client_for, preparer, signatory, reviewer, under_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request_supplement(under_review, reviewer)
    base = f"/api/v1/filings/{under_review.reference}/"
    answering = client_for(preparer, ["answer", "write"])

    request = answering.get(base + "supplement-requests/").json()[0]
    item = request["items"][0]
    assert (request["number"], request["reopened_sections"], item["number"]) == (1, ["offering"], 1)
    section = answering.get(base + "sections/offering/")
    assert section.json()["editable"] is True
    saved = answering.put(
        base + "sections/offering/",
        {"fields": {"repatriation_plan": "募集资金全部经跨境人民币账户调回境内。"}},
        format="json",
        HTTP_IF_MATCH=section["ETag"],
    )
    assert saved.status_code == 200, saved.json()
    answered = answering.put(
        base + f"items/{item['id']}/answer/", {"text": "已在发行方案中补充调回路径。"}, format="json"
    )
    assert answered.status_code == 200
    assert answered.json()["items"][0]["answer"]["text"] == "已在发行方案中补充调回路径。"
    assert answering.post(base + "resubmit/").status_code == 403  # a preparer's token cannot resubmit

    resubmitted = client_for(signatory, ["submit"]).post(base + "resubmit/")

    assert resubmitted.status_code == 200, resubmitted.json()
    assert resubmitted.json()["state"] == FilingState.UNDER_REVIEW
    notices = answering.get(base + "notices/").json()
    assert [n["kind"] for n in notices] == ["supplement"]
    pdf = answering.get(notices[0]["pdf"])
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_item_is_answered_only_with_the_answer_scope(client_for, preparer, reviewer, under_review):
    _request_supplement(under_review, reviewer)
    item = under_review.deficiency_items.get()

    response = client_for(preparer, ["write"]).put(
        f"/api/v1/filings/{under_review.reference}/items/{item.pk}/answer/", {"text": "x"}, format="json"
    )

    assert response.status_code == 403
    assert not item.responses.exists()


def test_the_organisation_receives_signed_webhooks_for_its_own_filings_only(
    client_for, preparer, other_preparer, reviewer, under_review, receiver, django_capture_on_commit_callbacks
):
    hooks = client_for(preparer, ["webhooks"])
    registered = hooks.post(
        "/api/v1/webhooks/",
        {"url": receiver.url, "events": ["supplement.requested", "filing.state_changed"]},
        format="json",
    )
    assert registered.status_code == 201
    secret = registered.json()["secret"]
    client_for(other_preparer, ["webhooks"]).post(
        "/api/v1/webhooks/",
        {"url": receiver.url + "/other", "events": ["filing.state_changed"]},
        format="json",
    )

    with django_capture_on_commit_callbacks(execute=True):
        _request_supplement(under_review, reviewer)

    events = [json.loads(d["body"]) for d in receiver.received]
    assert sorted(e["event"] for e in events) == ["filing.state_changed", "supplement.requested"]
    assert all(d["headers"]["Host"] and verify(secret, d) for d in receiver.received)
    changed = next(e for e in events if e["event"] == "filing.state_changed")
    assert changed["data"]["filing"] == under_review.reference
    assert (changed["data"]["from"], changed["data"]["to"]) == ("under_review", "supplement_requested")
    log = hooks.get(f"/api/v1/webhooks/{registered.json()['id']}/deliveries/").json()
    assert [(d["status"], d["response_code"]) for d in log] == [("delivered", 204), ("delivered", 204)]
    other = client_for(other_preparer, ["webhooks"])
    assert other.get(f"/api/v1/webhooks/{registered.json()['id']}/deliveries/").status_code == 404
    assert Event.objects.filter(action="api.webhook.access_refused", actor=other_preparer).count() == 1


def test_a_failed_delivery_is_retried_with_backoff_and_a_rotated_secret_signs_twice(
    client_for, preparer, reviewer, under_review, receiver, django_capture_on_commit_callbacks
):
    from api.services.webhooks import deliver

    hooks = client_for(preparer, ["webhooks"])
    endpoint = hooks.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["supplement.requested"]}, format="json"
    )
    old_secret = endpoint.json()["secret"]
    receiver.status = 503

    with django_capture_on_commit_callbacks(execute=True):
        _request_supplement(under_review, reviewer)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.RETRYING, 1, 503)
    assert delivery.next_attempt_at is not None
    new_secret = hooks.post(f"/api/v1/webhooks/{endpoint.json()['id']}/rotate-secret/").json()["secret"]
    receiver.status = 200

    deliver(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, [e["status"] for e in delivery.log]) == (
        "delivered",
        2,
        [503, 200],
    )
    last = receiver.received[-1]
    assert verify(new_secret, last) and verify(old_secret, last)


def test_a_rotated_secret_is_forgotten_once_its_grace_period_is_over(client_for, preparer):
    hooks = client_for(preparer, ["webhooks"])
    first = hooks.post(
        "/api/v1/webhooks/", {"url": "https://a.example/hook", "events": ["notice.issued"]}, format="json"
    )
    second = hooks.post(
        "/api/v1/webhooks/", {"url": "https://b.example/hook", "events": ["notice.issued"]}, format="json"
    )
    old_secret = first.json()["secret"]
    for registered in (first, second):
        hooks.post(f"/api/v1/webhooks/{registered.json()['id']}/rotate-secret/")
    within_grace = WebhookEndpoint.objects.get(pk=second.json()["id"])
    WebhookEndpoint.objects.filter(pk=first.json()["id"]).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert clear_webhook_secrets_task.apply().get() == 1

    lapsed = WebhookEndpoint.objects.get(pk=first.json()["id"])
    assert (lapsed.previous_secret, lapsed.previous_secret_expires_at) == ("", None)
    assert old_secret not in WebhookEndpoint.objects.values_list("previous_secret", flat=True)
    kept = WebhookEndpoint.objects.get(pk=second.json()["id"])
    assert (kept.previous_secret, kept.previous_secret_expires_at) == (
        second.json()["secret"],
        within_grace.previous_secret_expires_at,
    )


def test_reviewers_read_their_queue_and_export_and_issuers_cannot(
    client_for, reviewer, lead, preparer, second_reviewer, under_review
):
    queue = client_for(reviewer, ["read"]).get("/api/v1/review/queue/").json()
    assert [row["reference"] for row in queue["results"]] == [under_review.reference]
    export = client_for(lead, ["read"]).get(queue["results"][0]["export"])
    assert export.status_code == 200
    assert (export.json()["version"], export.json()["data"]["reference"]) == (1, under_review.reference)

    assert client_for(second_reviewer, ["read"]).get("/api/v1/review/queue/").json()["results"] == []
    assert client_for(second_reviewer, ["read"]).get(queue["results"][0]["export"]).status_code == 404
    assert client_for(preparer, ["read"]).get("/api/v1/review/queue/").status_code == 403
