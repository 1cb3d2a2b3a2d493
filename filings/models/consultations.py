"""Pre-filing consultation (GL4 Art. 3): the issuer's numbered questions to the regulator before
submission, and the regulator's answers, kept on the filing for the reviewers who come later."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


def _is_issuer_staff(obj: Any, user: Any) -> bool:
    filing = obj.filing if hasattr(obj, "filing") else obj.consultation.filing
    return bool(
        user is not None
        and user.is_active
        and (getattr(user, "is_preparer", False) or getattr(user, "is_signatory", False))
        and user.organisation_id == filing.organisation_id
    )


def _is_lead(obj: Any, user: Any) -> bool:
    return bool(user is not None and user.is_active and getattr(user, "is_lead_reviewer", False))


class ConsultationTopic(models.TextChoices):
    SCOPE = "scope", _("Whether the issuance falls within the guideline")
    STRUCTURE = "structure", _("Control structure or transaction structure")
    REGULATION = "regulation", _("Industry regulation and policy")
    OTHER = "other", _("Other")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ExchangeStatus(models.TextChoices):
    ASKED = "asked", _("Awaiting the regulator's answer")
    ANSWERED = "answered", _("Answered")


class Consultation(models.Model):
    """Consultation N of a filing, opened by the issuer before submission."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="consultations")
    number = models.PositiveSmallIntegerField(_("number"))
    topic = models.CharField(_("topic"), max_length=20, choices=ConsultationTopic.choices)
    status = FSMField(
        _("status"), default=ConsultationStatus.OPEN, choices=ConsultationStatus.choices, protected=True
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["filing", "number"]
        verbose_name = _("pre-filing consultation")
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="consultation_unique_number")
        ]

    @transition(
        field=status,
        source=ConsultationStatus.OPEN,
        target=ConsultationStatus.CLOSED,
        permission=_is_issuer_staff,
    )
    def close(self) -> None:
        """The issuer has what it needed; no further questions in this consultation."""


class ConsultationExchange(models.Model):
    """Question N.M and, once given, the regulator's answer (not a substantive determination, GL4 Art. 10)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="exchanges")
    number = models.PositiveSmallIntegerField(_("number"))
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    status = FSMField(
        _("status"), default=ExchangeStatus.ASKED, choices=ExchangeStatus.choices, protected=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("consultation exchange")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="exchange_unique_number")
        ]

    @property
    def filing(self) -> Any:
        return self.consultation.filing

    @transition(
        field=status, source=ExchangeStatus.ASKED, target=ExchangeStatus.ANSWERED, permission=_is_lead
    )
    def give_answer(self) -> None:
        """The regulator answers the question."""
