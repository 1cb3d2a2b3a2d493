"""Print a new API token for a user, for scripts and tests (shown only this once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.services.tokens import DEFAULT_DAYS, TokenError, create_token
from filings.models import Filing


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--scopes", default="read", help="comma-separated: read,write,tapes,answer,submit,webhooks"
        )
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
        parser.add_argument("--name", default="command line")
        parser.add_argument("--filing", default="", help="pin the token to this filing reference")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        filing = None
        if options["filing"]:
            filing = Filing.objects.filter(reference=options["filing"]).first()
            if filing is None:
                raise CommandError(f"No filing {options['filing']!r}.")
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            issued = create_token(
                owner=user, name=options["name"], scopes=scopes, days=options["days"], filing=filing
            )
        except TokenError as error:
            raise CommandError(str(error.user_message)) from None
        self.stdout.write(issued.secret)
