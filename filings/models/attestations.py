"""The six prohibited circumstances of CSRC announcement 〔2026〕1号, answered and signed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PROHIBITED_CIRCUMSTANCES: list[tuple[str, Any]] = [
    (
        "G26-1",
        _(
            "Laws, administrative regulations or State rules expressly prohibit financing through capital "
            "markets with these assets or this entity."
        ),
    ),
    (
        "G26-2",
        _(
            "A competent State Council department has determined that the offshore issuance may endanger "
            "national security."
        ),
    ),
    (
        "G26-3",
        _(
            "Within the last three years the entity, its controlling shareholder or actual controller "
            "committed corruption, bribery, embezzlement, misappropriation of property or crimes undermining "
            "the socialist market economic order."
        ),
    ),
    (
        "G26-4",
        _(
            "The entity is under formal investigation for a suspected crime or major violation, with no "
            "clear conclusion yet."
        ),
    ),
    (
        "G26-5",
        _(
            "The underlying assets are subject to a major ownership dispute, or may not be transferred by "
            "law."
        ),
    ),
    ("G26-6", _("The underlying assets fall within the domestic asset-securitisation negative list.")),
]


class Attestation(models.Model):
    """The issuer's answer to one prohibited circumstance: does it apply, and on what evidence."""

    ANSWER_CHOICES = [("", _("Not answered")), ("no", _("Does not apply")), ("yes", _("Applies"))]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="attestations")
    code = models.CharField(max_length=10)
    answer = models.CharField(_("answer"), max_length=3, choices=ANSWER_CHOICES, blank=True)
    evidence = models.TextField(_("evidence and explanation"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["filing", "code"], name="attestation_unique_code")]

    @property
    def text(self) -> str:
        return str(dict(PROHIBITED_CIRCUMSTANCES).get(self.code, self.code))
