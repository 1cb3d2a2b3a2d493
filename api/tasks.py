"""Celery tasks of the API: thin wrappers over the webhook services."""

from __future__ import annotations

from celery import shared_task

from .services import webhooks


@shared_task(acks_late=True)
def deliver_webhook_task(delivery_id: int) -> None:
    webhooks.deliver(delivery_id)


@shared_task(acks_late=True)
def retry_webhooks_task() -> list[int]:
    return webhooks.retry_due_deliveries()


@shared_task(acks_late=True)
def clear_webhook_secrets_task() -> int:
    return webhooks.clear_expired_secrets()
