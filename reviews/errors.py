"""Errors the review services raise; each carries a message the person can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from filings.errors import FilingError


class ReviewError(FilingError):
    """Base class; a FilingError, so views catch one family for both apps."""

    default_message = _("This review step could not be completed.")


class NotAllowedError(ReviewError):
    default_message = _("Your role or assignment does not allow this step on this filing.")


class ConflictOfInterestError(ReviewError):
    default_message = _("You declared a conflict of interest on this filing and may not act on it.")


class FourEyesError(ReviewError):
    default_message = _(
        "A decision must be confirmed by a different lead reviewer than the one who drafted it."
    )


class EvidenceError(ReviewError):
    default_message = _("The evidence does not point at anything in the snapshot under review.")


class AlreadyDecidedError(ReviewError):
    default_message = _("This decision has already been confirmed, returned or withdrawn.")


class WrongStateError(ReviewError):
    default_message = _("This step is not possible in the filing's current state.")
