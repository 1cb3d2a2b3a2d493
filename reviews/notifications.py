"""Emails to whoever must act next: rendered in the recipient's language, kept in the outbox,
sent only after the change that caused them has committed; each comes with an in-app notification."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Role, User
from filings.models import Filing
from inbox.services import record_notifications
from jobs.runner import dispatch

from .models import Assignment, OutboxMessage, OutboxStatus

# Event → email template (templates/emails/<event>.txt: first line subject, then the body).
EVENTS = {
    "review_assigned",
    "conflict_declared",
    "review_started",
    "not_accepted",
    "supplement_requested",
    "resubmitted",
    "decision_drafted",
    "decision_returned",
    "decision_confirmed",
    "clock_reminder",
    "ready_for_signature",
}


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def issuer_contacts(filing: Filing) -> QuerySet[User]:
    """The issuer's preparers and signatories: they answer supplement requests and receive notices."""
    return User.objects.filter(
        organisation_id=filing.organisation_id, role__in=[Role.PREPARER, Role.SIGNATORY], is_active=True
    )


def lead_reviewers(filing: Filing, exclude: Iterable[int] = ()) -> QuerySet[User]:
    """Active lead reviewers, without those who declared a conflict on this filing."""
    conflicted = Assignment.objects.filter(filing=filing, conflict_declared=True).values("reviewer_id")
    return (
        User.objects.filter(role=Role.LEAD_REVIEWER, is_active=True)
        .exclude(pk__in=conflicted)
        .exclude(pk__in=list(exclude))
    )


def assigned_reviewers(filing: Filing, *, cleared_only: bool = True) -> QuerySet[User]:
    assignments = Assignment.objects.filter(filing=filing, active=True, conflict_declared=False)
    if cleared_only:
        assignments = assignments.filter(declared_at__isnull=False)
    return User.objects.filter(pk__in=assignments.values("reviewer_id"), is_active=True)


def notify(
    *,
    recipients: Iterable[User],
    event: str,
    filing: Filing | None = None,
    context: dict[str, Any] | None = None,
) -> list[OutboxMessage]:
    """Write one outbox message per recipient (in their language) and send them after commit, and
    one in-app notification per recipient (also to those without an email address)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    written: list[OutboxMessage] = []
    seen: set[int] = set()
    told: list[User] = []
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        told.append(user)
        if not user.email:
            continue
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            text = render_to_string(
                f"emails/{event}.txt",
                {**(context or {}), "recipient": user, "filing": filing, "site_url": site_url()},
            )
        subject, _sep, body = text.strip().partition("\n")
        written.append(
            OutboxMessage.objects.create(
                recipient=user,
                to_email=user.email,
                subject=subject.strip()[:300],
                body=body.strip() + "\n",
                language=language,
                event=event,
                filing=filing,
            )
        )
    if filing is not None:
        _record_in_app(told, event, filing, context or {})
    if written:
        # By name, in the caller's transaction: the messages and the request to send them commit
        # together (the outbox relay sends it if the broker is down at commit).
        dispatch("reviews.tasks.send_outbox_task", [message.pk for message in written])
    return written


def _record_in_app(users: list[User], event: str, filing: Filing, context: dict[str, Any]) -> None:
    """The bell's side of the same message: a kind code and the parameters its label needs."""
    params: dict[str, Any] = {}
    due = getattr(context.get("request"), "reply_due_date", None) or getattr(
        context.get("clock"), "due_date", None
    )
    if due is not None:
        params["due"] = due.isoformat()
    assignment = context.get("assignment")
    by_user: dict[bool, list[User]] = {}
    for user in users:
        # The assignment's declaration page is the assigned reviewer's own, not the lead's.
        by_user.setdefault(assignment is not None and assignment.reviewer_id == user.pk, []).append(user)
    for own, group in by_user.items():
        record_notifications(
            recipients=group,
            kind=event,
            filing=filing,
            params=params,
            assignment_id=assignment.pk
            if own and assignment is not None and event == "review_assigned"
            else None,
        )


def send_outbox(ids: Iterable[int]) -> int:
    """Send queued messages; each is claimed under a row lock, so a retried task sends nothing twice."""
    sent = 0
    for message_id in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=message_id, status=OutboxStatus.QUEUED)
                .first()
            )
            if message is None:
                continue
            try:
                send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to_email])
            except Exception as error:
                message.status = OutboxStatus.FAILED
                message.error = repr(error)[:2000]
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = timezone.now()
                sent += 1
            message.save(update_fields=["status", "sent_at", "error"])
    return sent
