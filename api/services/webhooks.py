"""Webhooks: endpoints an organisation registers, deliveries signed with HMAC-SHA256 over a timestamp
and the body, retried with backoff and logged with every response code; secrets rotate."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event

from ..models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from ..selectors import webhooks_for_organisation
from .tokens import TokenError

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-FilingDesk-Signature"
TIMESTAMP_HEADER = "X-FilingDesk-Timestamp"
EVENT_HEADER = "X-FilingDesk-Event"
DELIVERY_HEADER = "X-FilingDesk-Delivery"
# Seconds to wait before attempt 2, 3, …; after the last the delivery is failed.
BACKOFF = (10, 60, 300, 1800, 7200)
ROTATION_GRACE = timedelta(hours=24)
DELIVER_TASK = "api.tasks.deliver_webhook_task"


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256 of ``<timestamp>.<body>``: the receiver recomputes it and checks the time."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _check(url: str, events: list[str]) -> list[str]:
    if not url.startswith(("https://", "http://")):
        raise TokenError(_("The URL must start with https:// (or http:// for a test receiver)."))
    chosen = sorted(set(events))
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if not chosen or unknown:
        raise TokenError(_("Choose events among: %(events)s.") % {"events": ", ".join(WebhookEvent.values)})
    return chosen


@transaction.atomic
def register_endpoint(*, url: str, events: list[str], by: Any) -> WebhookEndpoint:
    """An issuer's staff registers a receiver for their organisation's filings; the secret is shown once."""
    chosen = _check(url, events)
    endpoint = WebhookEndpoint.objects.create(
        organisation_id=by.organisation_id, url=url, events=chosen, secret=new_secret(), created_by=by
    )
    record_event(
        action="api.webhook.register", actor=by, subject=endpoint, data={"url": url, "events": chosen}
    )
    return endpoint


@transaction.atomic
def rotate_secret(*, endpoint_id: int, by: Any) -> WebhookEndpoint:
    """A new secret; the old one still signs (a second signature) for a day so receivers can switch."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(
        pk=endpoint_id, organisation_id=by.organisation_id
    )
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + ROTATION_GRACE
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    record_event(action="api.webhook.rotate", actor=by, subject=endpoint, data={"url": endpoint.url})
    return endpoint


def clear_expired_secrets() -> int:
    """Forget the old secrets whose grace period after a rotation is over (run hourly by beat): a
    leaked old secret stops mattering, and nothing keeps it after it stopped signing. The number
    of endpoints cleared."""
    expired = WebhookEndpoint.objects.filter(previous_secret_expires_at__lte=timezone.now())
    return expired.update(previous_secret="", previous_secret_expires_at=None)


@transaction.atomic
def remove_endpoint(*, endpoint_id: int, by: Any) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(
        pk=endpoint_id, organisation_id=by.organisation_id
    )
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])
    record_event(action="api.webhook.remove", actor=by, subject=endpoint, data={"url": endpoint.url})


def record_refused_access(*, endpoint_id: int, by: Any, path: str) -> None:
    """Someone asked for another organisation's endpoint: they get a 404, the log gets the attempt."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is not None:
        record_event(
            action="api.webhook.access_refused", actor=by, subject=endpoint, data={"path": path[:300]}
        )


def on_event(event: str, payload: dict[str, Any]) -> None:
    """The audit hook receiver: one delivery per endpoint of the filing's organisation that wants it."""
    endpoints = webhooks_for_organisation(payload.get("organisation_id"))
    event_id = uuid.uuid4().hex
    body = {
        "id": event_id,
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": {k: v for k, v in payload.items() if k not in {"organisation_id", "filing_id"}},
    }
    for endpoint in endpoints:
        if event not in endpoint.events:
            continue
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, event_id=event_id, payload=body
        )
        enqueue_delivery(delivery.pk)


def enqueue_delivery(delivery_id: int, *, countdown: int = 0) -> None:
    from celery import current_app

    from jobs.runner import dispatch

    # By the task's name: the tasks module imports this one, never the other way round.
    try:
        if countdown and not settings.CELERY_TASK_ALWAYS_EAGER:
            current_app.send_task(DELIVER_TASK, args=(delivery_id,), countdown=countdown)
        elif not countdown:
            dispatch(DELIVER_TASK, delivery_id)
        # Embedded mode has no delayed tasks: retry_due_deliveries (beat) sends it when it is due.
    except Exception:  # the row stays pending; retry_due_deliveries sends it
        logger.exception("Could not enqueue webhook delivery %s", delivery_id)


def deliver(delivery_id: int) -> WebhookDelivery | None:
    """One attempt: POST the signed body, log the response code, schedule the next attempt if it failed."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING])
            .first()
        )
        if delivery is None:
            return None  # delivered already, given up, or another worker is on it
        endpoint = delivery.endpoint
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        signatures = [f"v1={sign(endpoint.secret, timestamp, body)}"]
        expires = endpoint.previous_secret_expires_at
        if endpoint.previous_secret and expires is not None and expires > timezone.now():
            signatures.append(f"v1={sign(endpoint.previous_secret, timestamp, body)}")
        code, error = _post(
            endpoint.url,
            body,
            {
                "Content-Type": "application/json",
                "User-Agent": "FilingDesk-Webhooks/1",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: ",".join(signatures),
                EVENT_HEADER: delivery.event,
                DELIVERY_HEADER: delivery.event_id,
            },
        )
        now = timezone.now()
        delivery.attempts += 1
        delivery.response_code = code
        delivery.log = [*delivery.log, {"at": now.isoformat(), "status": code, "error": error[:300]}]
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            countdown = 0
        elif delivery.attempts > len(BACKOFF) or not endpoint.is_active:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            countdown = 0
        else:
            countdown = BACKOFF[delivery.attempts - 1]
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + timedelta(seconds=countdown)
        delivery.save()
    if countdown:
        enqueue_delivery(delivery.pk, countdown=countdown)
    return delivery


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.API_WEBHOOK_TIMEOUT) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), str(error.reason)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(error)


def retry_due_deliveries() -> list[int]:
    """Send deliveries whose next attempt is due (and pending ones a lost enqueue left behind)."""
    now = timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.RETRYING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )
    ) + list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, created_at__lt=now - timedelta(minutes=2)
        ).values_list("pk", flat=True)
    )
    for delivery_id in due:
        enqueue_delivery(delivery_id)
    return due
