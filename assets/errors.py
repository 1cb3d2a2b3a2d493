"""Errors the asset services raise, each with a message a person can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import TapeImport


class TapeImportError(Exception):
    """An upload or import request the services refuse (before any row is read)."""

    default_message: Any = _("The tape could not be imported.")

    def __init__(self, message: Any = None) -> None:
        self.user_message = message if message is not None else self.default_message
        super().__init__(str(self.user_message))


class PoolLockedError(TapeImportError):
    default_message = _(
        "The asset pool can be changed only while the filing is a draft, or when the reviewers have "
        "reopened the assets section."
    )


class NotAllowedError(TapeImportError):
    default_message = _(
        "Only the issuer's own staff, or an agent the filing is delegated to for importing tapes, may "
        "change the asset pool."
    )


class DuplicateTapeError(TapeImportError):
    """The same file (same SHA-256) is already the current tape of its table, or is being imported."""

    def __init__(self, existing: TapeImport) -> None:
        self.existing = existing
        if existing.is_current:
            message = _(
                "This file (SHA-256 %(sha256)s) is already the current %(kind)s tape, imported on "
                "%(date)s; it was not imported again."
            )
        else:
            message = _(
                "This file (SHA-256 %(sha256)s) is already being imported as the %(kind)s tape; follow "
                "that import instead."
            )
        super().__init__(
            message
            % {
                "sha256": existing.sha256[:12],
                "kind": existing.get_kind_display(),
                "date": date_format(localdate(existing.created_at)) if existing.created_at else "—",
            }
        )
