"""Who may buy at each offshore venue: the investor categories an administrator accepts per jurisdiction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueEligibility(models.Model):
    """One accepted (jurisdiction, investor category) pair, with the rule that defines the category.

    Maintained by administrators on the settings screens (audited there); the pre-flight rule
    INVESTOR-VENUE checks each venue of a filing against the active rows of its jurisdiction.
    """

    jurisdiction = models.CharField(_("jurisdiction"), max_length=60)
    investor_eligibility = models.CharField(
        _("investor eligibility"),
        max_length=20,
        choices=[
            ("hk_pi", _("Hong Kong professional investors")),
            ("sg_ai", _("Singapore accredited investors")),
            ("qualified", _("Other qualified investors")),
            ("retail", _("Retail investors")),
        ],
    )
    definition = models.CharField(_("legal definition"), max_length=300)
    threshold = models.CharField(_("threshold"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["jurisdiction", "investor_eligibility"]
        verbose_name = _("venue investor eligibility")
        verbose_name_plural = _("venue investor eligibility")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "investor_eligibility"], name="venue_eligibility_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.investor_eligibility}"
