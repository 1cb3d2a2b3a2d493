"""The public register's one read: filed issuances, with their public fields only.

Nothing here takes a user: the register is public, so the selector must never return more than the
fields classed public (filings/classification.py). ``PUBLISHED_FIELDS`` names every field it reads;
importing this module fails if one of them is not classed public, so a reclassification cannot leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone

from filings.classification import is_public
from filings.models import Filing, Venue
from filings.workflow import AssetClass, FilingState

# A filing stays on the register while its filing stands: filed, then issued, then closed at maturity.
# Lapsed and terminated filings no longer stand; draft, withdrawn and refused ones never did.
REGISTER_STATES = (FilingState.FILED, FilingState.ISSUED, FilingState.CLOSED)

PUBLISHED_FIELDS = (
    "entity.name_zh",
    "entity.name_en",
    "offering.total_size",
    "offering.currency",
    "venues.name",
    "venues.jurisdiction",
)
_not_public = [path for path in PUBLISHED_FIELDS if not is_public(path)]
if _not_public:  # pragma: no cover - a configuration error, caught by the test suite at import
    raise ImproperlyConfigured(f"The public register reads fields not classed public: {_not_public}")


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the public register (and of its CSV and Atom feed)."""

    notice_number: str
    filed_at: dt.datetime
    issuer_zh: str
    issuer_en: str
    asset_class: str
    amount: Decimal | None
    currency: str
    venues: tuple[tuple[str, str], ...]  # (name, jurisdiction)

    @property
    def filed_on(self) -> dt.date:
        """The filing date in Beijing time, as the notice prints it."""
        return timezone.localtime(self.filed_at).date()

    @property
    def asset_class_label(self) -> str:
        return str(dict(AssetClass.choices).get(self.asset_class, self.asset_class))

    @property
    def venue_text(self) -> str:
        return "; ".join(
            f"{jurisdiction}: {name}" if jurisdiction else name for name, jurisdiction in self.venues
        )


def public_register_entries() -> list[RegisterEntry]:
    """Every filing whose filing notice stands, newest first, as public fields only."""
    return _entries(_standing())


def public_register_entry(notice_number: str) -> RegisterEntry | None:
    """One entry by its notice number; None when no standing filing has it."""
    found = _entries(_standing().filter(notice_number=notice_number))
    return found[0] if found else None


def _standing() -> QuerySet[Filing]:
    return Filing.objects.filter(state__in=REGISTER_STATES, filed_at__isnull=False).exclude(notice_number="")


def _entries(filings: QuerySet[Filing]) -> list[RegisterEntry]:
    rows: list[Any] = list(
        filings.order_by("-filed_at", "-pk").values(
            "pk",
            "notice_number",
            "filed_at",
            "asset_class",
            "organisation__name_zh",
            "organisation__name_en",
            "entity__name_zh",
            "entity__name_en",
            "offering__total_size",
            "offering__currency",
        )
    )
    venues: dict[int, list[tuple[str, str]]] = {}
    for filing_id, name, jurisdiction in Venue.objects.filter(
        filing_id__in=[r["pk"] for r in rows]
    ).values_list("filing_id", "name", "jurisdiction"):
        venues.setdefault(filing_id, []).append((name, jurisdiction))
    return [
        RegisterEntry(
            notice_number=row["notice_number"],
            filed_at=row["filed_at"],
            # The filing entity's registered name as filed; the account's organisation name if none.
            issuer_zh=row["entity__name_zh"] or row["organisation__name_zh"],
            issuer_en=row["entity__name_en"] or row["organisation__name_en"] or "",
            asset_class=row["asset_class"],
            amount=row["offering__total_size"],
            currency=row["offering__currency"] or "",
            venues=tuple(venues.get(row["pk"], ())),
        )
        for row in rows
    ]
