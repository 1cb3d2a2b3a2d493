"""Render the PDF of every notice that has none yet (e.g. after a worker outage)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reviews.models import Notice
from reviews.services import render_notice_pdf


class Command(BaseCommand):
    help = "Render missing notice PDFs from their stored text (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for notice_id in Notice.objects.filter(pdf="").values_list("pk", flat=True):
            notice = render_notice_pdf(notice_id)
            self.stdout.write(f"{notice.number} {notice.pdf_sha256}")
