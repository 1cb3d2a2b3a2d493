"""Role-scoped reads of filings; anything outside a user's scope does not exist for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Delegation, Document, DocumentRequirement, Filing, FilingQuerySet, Snapshot


def filings_for_user(user: Any) -> FilingQuerySet:
    """Issuers see their organisation's filings; agents the filings delegated to them; regulator
    staff see every filing that has left draft (reviewers only those assigned to them)."""
    filings = Filing.objects.select_related("organisation")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return filings.none()
    if user.is_issuer:
        return filings.filter(organisation_id=user.organisation_id)
    if getattr(user, "is_agent", False):
        # Only the filings delegated to the agent's organisation, while the delegation lasts;
        # a revocation takes effect on the very next request.
        return filings.filter(
            pk__in=Delegation.objects.active().filter(agent_id=user.organisation_id).values("filing_id")
        )
    if user.is_administrator or user.is_lead_reviewer:
        return filings.under_regulator()
    if user.is_reviewer:
        # The content opens only once the reviewer has declared no conflict of interest. No
        # DISTINCT: a reviewer has at most one assignment per filing (a unique constraint), so the
        # join repeats no filing, and a page's total counted over DISTINCT rows of every column
        # made the reviewer's queue the slowest of the lists.
        return filings.under_regulator().filter(
            assignments__reviewer=user,
            assignments__active=True,
            assignments__declared_at__isnull=False,
            assignments__conflict_declared=False,
        )
    return filings.none()


def filing_for_user(user: Any, reference: str) -> Filing:
    """One filing by reference within the user's scope; raises Filing.DoesNotExist otherwise."""
    return filings_for_user(user).get(reference=reference)


# Large JSON columns a list row never shows: left out of list queries.
LIST_DEFERRED = ("criteria_profile", "preflight_cache", "reopened_sections", "clock_summary")

SEARCH_FIELDS = (
    "reference",
    "title",
    "notice_number",
    "receipt_number",
    "organisation__name_zh",
    "organisation__name_en",
    "organisation__uscc",
)


def text_matches(text: str, prefix: str = "") -> Q:
    """A filing whose reference, title, notice or receipt number, or issuer's name or USCC contains
    the text. ``icontains`` everywhere: on PostgreSQL it is served by the trigram indexes of
    migration filings 0007 (``UPPER(col) gin_trgm_ops``), on SQLite it is a plain scan."""
    query = Q()
    for field in SEARCH_FIELDS:
        query |= Q(**{f"{prefix}{field}__icontains": text})
    return query


def search_filings(
    queryset: QuerySet[Filing], *, text: str = "", state: str = "", asset_class: str = ""
) -> QuerySet[Filing]:
    if text:
        queryset = queryset.filter(text_matches(text))
    if state:
        queryset = queryset.filter(state=state)
    if asset_class:
        queryset = queryset.filter(asset_class=asset_class)
    return queryset


def requirements_for(filing: Filing) -> list[DocumentRequirement]:
    return [r for r in DocumentRequirement.objects.filter(is_active=True) if r.applies_to(filing.asset_class)]


def current_documents(filing: Filing) -> QuerySet[Document]:
    return filing.documents.filter(is_current=True).select_related("requirement", "uploaded_by")


def snapshots_for(filing: Filing) -> QuerySet[Snapshot]:
    return filing.snapshots.order_by("-version")
