"""Offshore investor eligibility per venue, checked against the categories administrators accept.

The accepted (jurisdiction, investor category) pairs arrive as ``data["venue_rules"]`` (added by
``preflight_data`` from the VenueEligibility table), so the rule never lists them itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...models.sections import Venue
from ..registry import BLOCKING, WARNING, Finding, rule
from .common import find, rows, text

CHOICES = dict(Venue.ELIGIBILITY_CHOICES)


def _key(jurisdiction: Any) -> str:
    return text(jurisdiction).upper()


@rule(
    "INVESTOR-VENUE",
    severity=BLOCKING,
    section="offering",
    title=_("Each venue admits an investor category its jurisdiction's rules define"),
    source="证监会公告〔2023〕43号",
    article="Art. 10 by analogy; HK Securities and Futures (Professional Investor) Rules (Cap. 571D), "
    "SG Securities and Futures Act s.4A (accredited investors)",
    confirmed=False,
)
def investor_venue(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if "venue_rules" not in data:
        return  # data frozen before the table existed: nothing to check against
    accepted: dict[str, set[str]] = {}
    for item in rows(data, "venue_rules"):
        accepted.setdefault(_key(item.get("jurisdiction")), set()).add(text(item.get("investor_eligibility")))
    for venue in rows(data, "venues"):
        name, jurisdiction = text(venue.get("name")), _key(venue.get("jurisdiction"))
        category = text(venue.get("investor_eligibility"))
        if not jurisdiction or not category:
            continue  # VENUE-OFFSHORE and INVESTOR-ELIG ask for them
        allowed = accepted.get(jurisdiction)
        if not allowed:
            yield find(
                _(
                    "No investor category is configured for jurisdiction %(jurisdiction)s (venue %(venue)s): "
                    "the reviewer checks the venue's investor rules by hand."
                ),
                "offering.venues",
                severity=WARNING,
                venue=name,
                jurisdiction=jurisdiction,
            )
        elif category not in allowed:
            yield find(
                _(
                    "Venue %(venue)s in %(jurisdiction)s admits “%(category)s”, which is not an investor "
                    "category accepted for %(jurisdiction)s (accepted: %(accepted)s)."
                ),
                "offering.venues",
                venue=name,
                jurisdiction=jurisdiction,
                category=CHOICES.get(category, category),
                accepted="、".join(str(CHOICES.get(c, c)) for c in sorted(allowed)),
            )
