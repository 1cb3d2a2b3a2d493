"""Errors the filing services raise, each with a message a person can act on."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class FilingError(Exception):
    """Base class: ``user_message`` is translated and safe to show."""

    default_message = _("The action could not be completed.")

    def __init__(self, message: Any = None) -> None:
        self.user_message: Any = message if message is not None else self.default_message
        super().__init__(str(self.user_message))


class TransitionRefusedError(FilingError):
    default_message = _("This action is not possible in the filing's current state or for your role.")


class StaleEditError(FilingError):
    default_message = _(
        "Someone else saved this section while you were editing it. Your changes were not saved; "
        "the form below shows what you typed — reload the section to see their version, "
        "then apply your changes again."
    )


class SectionLockedError(FilingError):
    default_message = _("This section cannot be edited in the filing's current state.")


class UploadRejectedError(FilingError):
    default_message = _("The file was not accepted.")


class BlockingFindingsError(FilingError):
    default_message = _("The filing has blocking findings; fix them before submitting.")

    def __init__(self, findings: list[Any], message: Any = None) -> None:
        self.findings = findings
        super().__init__(message)
