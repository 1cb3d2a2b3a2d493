"""Webhook deliveries through a real Celery worker and Redis: signed, logged, retried after a failure."""

from __future__ import annotations

import json

import pytest

from api.models import DeliveryStatus, WebhookDelivery
from api.services.webhooks import register_endpoint, retry_due_deliveries
from filings.services import transition_filing
from tests.api.conftest import Receiver, verify
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_delivers_the_signed_event_and_retries_a_failed_one(
    celery_worker, preparer, signatory, draft_filing
):
    receiver = Receiver(status=500)
    try:
        endpoint = register_endpoint(url=receiver.url, events=["filing.state_changed"], by=preparer)

        transition_filing(
            filing_id=draft_filing.pk, name="withdraw", by=signatory, reason_code="plan_changed"
        )

        delivery = wait_for(lambda: WebhookDelivery.objects.filter(attempts__gte=1).first())
        assert (delivery.status, delivery.response_code) == (DeliveryStatus.RETRYING, 500)
        receiver.status = 200
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)  # due now

        assert retry_due_deliveries() == [delivery.pk]

        delivered = wait_for(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).first())
        assert ([entry["status"] for entry in delivered.log], delivered.attempts) == ([500, 200], 2)
        body = json.loads(receiver.received[-1]["body"])
        assert (body["event"], body["data"]["from"], body["data"]["to"]) == (
            "filing.state_changed",
            "draft",
            "withdrawn",
        )
        assert verify(endpoint.secret, receiver.received[-1])
    finally:
        receiver.close()
