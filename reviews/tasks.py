"""Celery tasks of the review app; thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from . import notifications, services


@shared_task(acks_late=True)
def send_clock_reminders_task() -> list[tuple[str, str]]:
    """Periodic: remind whoever must act before a clock runs out (once per clock per day)."""
    return services.send_clock_reminders()


@shared_task(acks_late=True)
def render_notice_pdf_task(notice_id: int) -> str:
    """Render a notice's PDF from its stored text; a no-op once it exists."""
    return services.render_notice_pdf(notice_id).pdf_sha256


@shared_task(acks_late=True)
def send_outbox_task(message_ids: list[int]) -> int:
    """Send queued outbox messages; a message already sent is skipped."""
    return notifications.send_outbox(message_ids)
