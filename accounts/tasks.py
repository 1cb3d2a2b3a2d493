"""Periodic work on accounts: the yearly access confirmation."""

from __future__ import annotations

from celery import shared_task

from . import members


@shared_task(acks_late=True)
def yearly_access_confirmation_task() -> None:
    members.send_confirmation_reminders()
    members.expire_unconfirmed_access()
