"""Send today's clock reminders now; the periodic task does the same, and nothing is sent twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reviews.services import send_clock_reminders


class Command(BaseCommand):
    help = "Remind whoever must act when a review clock is nearly due or overdue (once per clock per day)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_clock_reminders()
        for reference, clock in sent:
            self.stdout.write(f"{reference} {clock}")
        self.stderr.write(f"{len(sent)} reminder(s) sent.")
