"""Role-scoped reads of filings; anything outside a user's scope does not exist for them."""

from __future__ import annotations

import re
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


def delegations_for_agent(user: Any) -> QuerySet[Delegation]:
    """The running delegations to the agent's organisation, soonest ending first."""
    if not (getattr(user, "is_agent", False) and user.is_active):
        return Delegation.objects.none()
    return (
        Delegation.objects.active()
        .filter(agent_id=user.organisation_id)
        .select_related("filing", "filing__organisation")
        .order_by("ends_on", "pk")
    )


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
    migration filings 0007 (``UPPER(col) gin_trgm_ops``), on SQLite it is a plain scan. NUL
    characters are dropped: nobody types them, and PostgreSQL refuses them in a query."""
    text = text.replace("\x00", "")
    query = Q()
    for field in SEARCH_FIELDS:
        query |= Q(**{f"{prefix}{field}__icontains": text})
    return query


def search_filings(
    queryset: QuerySet[Filing], *, text: str = "", state: str = "", asset_class: str = ""
) -> QuerySet[Filing]:
    if text.replace("\x00", ""):
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


def document_rows(filing: Filing, *, only: str | None = None) -> list[dict[str, Any]]:
    """The materials checklist of a filing: each item with its current document and every version
    (newest first); ``only`` narrows it to one item's row (an upload swaps that row in place)."""
    requirements = [r for r in requirements_for(filing) if only is None or r.code == only]
    documents = filing.documents.select_related("uploaded_by").order_by("-version")
    if only is not None:
        documents = documents.filter(requirement__code=only)
    history: dict[int, list[Document]] = {}
    for document in documents:
        history.setdefault(document.requirement_id, []).append(document)
    rows = []
    for requirement in requirements:
        versions = history.get(requirement.pk, [])
        rows.append(
            {
                "requirement": requirement,
                "current": next((d for d in versions if d.is_current), None),
                "history": versions,
                "keywords": requirement_keywords(requirement),
            }
        )
    return rows


def requirement_keywords(requirement: DocumentRequirement) -> str:
    """Words a file name of this checklist item is likely to contain, "|"-separated, for the page's
    guess of which item a dropped file belongs to: the code and the names' distinctive parts."""
    code = requirement.code.lower()
    words = {code, code.replace("-", "_"), code.replace("-", " "), code.replace("-", "")}
    words.add(requirement.name_zh)
    words.update(p for p in re.split(r"[/（）()、，及和或含]+", requirement.name_zh) if len(p) >= 2)
    words.add(requirement.name_en.lower())
    return "|".join(sorted(w for w in words if w))


def snapshots_for(filing: Filing) -> QuerySet[Snapshot]:
    return filing.snapshots.order_by("-version")


def reports_awaiting_acknowledgement(user: Any) -> QuerySet[Any]:
    """Post-filing reports no reviewer has acknowledged yet, oldest due first (late ones on top)."""
    from .models import MaterialEvent, ReportStatus

    return (
        MaterialEvent.objects.filter(status=ReportStatus.REPORTED, filing__in=filings_for_user(user))
        .select_related("filing")
        .order_by("due_on", "reported_at")
    )
