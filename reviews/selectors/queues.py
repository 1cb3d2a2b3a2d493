"""Queues: a reviewer's, the lead's overview, and the filters and sorting of both; the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Role, User
from filings.clock import ClockName, ClockStatus
from filings.deadlines import provisional_years
from filings.models import Filing
from filings.selectors import LIST_DEFERRED, filings_for_user, search_filings
from filings.workflow import AssetClass, FilingState

from ..models import (
    Assignment,
    Decision,
    DecisionStatus,
    OutboxMessage,
)
from ..permissions import is_active_regulator_reviewer
from .common import ACTIVE_REVIEW_STATES, S


def reviewer_queue(user: Any) -> QuerySet[Filing]:
    """Filings this reviewer is cleared to review that are still being reviewed, most urgent first."""
    return queue_filings(user)


def pending_declarations(user: Any) -> QuerySet[Assignment]:
    """Assignments waiting for this reviewer's conflict-of-interest declaration."""
    return (
        Assignment.objects.filter(
            reviewer_id=user.pk, active=True, declared_at__isnull=True, filing__state__in=ACTIVE_REVIEW_STATES
        )
        .select_related("filing", "filing__organisation", "assigned_by")
        .defer(*[f"filing__{name}" for name in LIST_DEFERRED])
        .order_by("assigned_at")
    )


def lead_overview(user: Any, *, limit: int = 5) -> dict[str, Any]:
    """What the lead reviewer must act on now: counts, and the first few queue rows of each list."""
    in_review = queue_filings(user)
    overdue, nearly_due, unassigned = row_lists(
        in_review.filter(clock_overdue=True)[:limit],
        in_review.filter(clock_nearly_due=True)[:limit],
        in_review.filter(has_reviewer=False).order_by("submitted_at", "pk")[:limit],
    )
    to_confirm = decisions_to_confirm(user)
    return {
        "counts": queue_counts(user, in_review),
        "overdue": overdue,
        "nearly_due": nearly_due,
        "unassigned": unassigned,
        "to_confirm": to_confirm[:limit],
        "to_confirm_count": to_confirm.count(),
    }


def decisions_to_confirm(user: Any) -> QuerySet[Decision]:
    """Drafted decisions this lead may confirm: not their own, not on a filing they are conflicted on."""
    if not getattr(user, "is_lead_reviewer", False):
        return Decision.objects.none()
    conflicted = Assignment.objects.filter(reviewer_id=user.pk, conflict_declared=True).values("filing_id")
    return (
        Decision.objects.filter(
            status=DecisionStatus.DRAFTED, filing__in=filings_for_user(user), filing__state=S.UNDER_REVIEW
        )
        .exclude(drafted_by_id=user.pk)
        .exclude(filing_id__in=conflicted)
        .select_related("filing", "drafted_by")
        .defer(*[f"filing__{name}" for name in LIST_DEFERRED])
        .order_by("drafted_at")
    )


@dataclass(frozen=True)
class StoredClock:
    """One clock as the filing's clock columns hold it (derived from the log by filings.deadlines)."""

    name: str
    status: str
    used: int
    limit: int
    days_left: int
    days_over: int
    due_date: dt.date | None
    overdue: bool
    nearly_due: bool

    @classmethod
    def from_summary(cls, data: dict[str, Any] | None) -> StoredClock | None:
        if not data:
            return None
        due = data.get("due_date")
        return cls(**{**data, "due_date": dt.date.fromisoformat(due) if due else None})

    @property
    def label(self) -> str:
        return str(ClockName(self.name).label)


BADGE_CSS = {"overdue": "badge bad", "nearly_due": "badge warn", "running": "badge ok"}
ROW_WORDS = {
    "paused": gettext_lazy("Paused"),
    "unassigned": gettext_lazy("Unassigned"),
    "declaration_due": gettext_lazy("declaration due"),
    "conflict": gettext_lazy("conflict"),
    "drafted": gettext_lazy("Decision drafted"),
    "provisional": gettext_lazy("provisional"),
    "provisional_title": gettext_lazy(
        "The State Council has not yet published this year’s holiday schedule: this date counts only "
        "the holidays the law fixes and may move."
    ),
}
# One queue row: a page prints 50 of them, so they are built here, not by the template's loop
# (whose variable lookups were most of a page's time). Every value is escaped by format_html.
ROW_HTML = (
    '<tr class="{css}" data-reference="{reference}">\n'
    '<td><a href="{url}">{reference}</a>{drafted}</td>\n'
    '<td>{title}<br><span class="muted small">{organisation}</span></td>\n'
    "<td>{asset_class}</td>\n"
    '<td><span class="badge state-{state}" data-testid="state">{state_label}</span></td>\n'
    "<td>{reviewers}</td>\n"
    "<td>{clocks}</td>\n"
    "<td>{due}{provisional}</td>\n"
    "</tr>"
)


@dataclass
class QueueRow:
    """One filing in a queue with the clock that matters now (read from its stored clock state).

    A page of 50 rows is read as plain values, not as filings (a filing instance costs its state
    machine's set-up), and everything the row shows is worked out once, by ``rows_for``, so that the
    template only prints it; the two cells that list several things arrive as finished HTML."""

    pk: int
    reference: str
    title: str
    state: str
    due_date: dt.date | None
    overdue: bool
    nearly_due: bool
    drafted: bool = False  # a decision on it is drafted, waiting for a lead's confirmation
    regulator_clock: StoredClock | None = None  # completeness or review: the regulator's
    reply_clock: StoredClock | None = None  # the issuer's, while a supplement is requested
    state_label: str = ""
    asset_class_label: str = ""
    organisation_name: str = ""
    url: str = ""  # the filing's review workspace
    due_text: str = ""
    reviewers_html: str = ""
    clocks_html: str = ""
    html: str = ""  # the whole <tr>

    @property
    def clock(self) -> StoredClock | None:
        """The clock running now (the issuer's while supplements are requested)."""
        return self.reply_clock or self.regulator_clock

    @property
    def clocks(self) -> list[StoredClock]:
        """The regulator's clock, then the issuer's reply clock if it runs (what a row shows)."""
        return [c for c in (self.regulator_clock, self.reply_clock) if c is not None]

    @property
    def css(self) -> str:
        return "overdue" if self.overdue else "nearly-due" if self.nearly_due else ""


@dataclass(frozen=True)
class RowReviewer:
    """A reviewer's assignment as a queue row reads it (no model instances for a page of 50 rows)."""

    name: str
    active: bool
    declared: bool
    conflict: bool


class _Labels:
    """Labels a page of rows repeats (states, classes, clock names, day counts, dates), each
    translated or formatted once per page, and the two cells that list several things (the same
    clocks, the same reviewers recur from row to row) built once per page."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, Any], str] = {}

    def get(self, kind: str, value: Any = None) -> str:
        key = (kind, value)
        if key not in self.cache:
            self.cache[key] = self._make(kind, value)
        return self.cache[key]

    def _make(self, kind: str, value: Any) -> str:
        if kind == "clocks":
            return self._clocks_cell(value)
        if kind == "reviewers":
            return self._reviewers_cell(value)
        if kind == "state":
            return str(FilingState(value).label) if value in FilingState.values else str(value)
        if kind == "asset_class":
            return str(AssetClass(value).label) if value in AssetClass.values else str(value)
        if kind == "clock":
            return str(ClockName(value).label)
        if kind == "date":
            return date_format(value, "DATE_FORMAT") if value else "—"
        if kind == "overdue":
            text = ngettext("Overdue by %(n)s working day", "Overdue by %(n)s working days", value)
            return text % {"n": value}
        if kind == "left":
            return ngettext("%(n)s working day left", "%(n)s working days left", value) % {"n": value}
        return str(ROW_WORDS[kind])

    def _clocks_cell(self, clocks: tuple[StoredClock, ...]) -> str:
        """Each clock: its name, working days used of its limit, and a badge (paused, overdue,
        nearly due with the days left, or running); "—" when no clock runs."""
        lines = []
        for clock in clocks:
            if clock.status == ClockStatus.PAUSED:
                css, text = "badge", self.get("paused")
            elif clock.overdue:
                css, text = BADGE_CSS["overdue"], self.get("overdue", clock.days_over)
            elif clock.nearly_due:
                css, text = BADGE_CSS["nearly_due"], self.get("left", clock.days_left)
            elif clock.status == ClockStatus.RUNNING:
                css, text = BADGE_CSS["running"], self.get("left", clock.days_left)
            else:
                css, text = "", ""
            badge = format_html('\n<span class="{}">{}</span>', css, text) if text else ""
            lines.append(
                format_html(
                    '<span data-clock="{}">{}: {} / {}</span>{}',
                    clock.name,
                    self.get("clock", clock.name),
                    clock.used,
                    clock.limit,
                    badge,
                )
            )
        return mark_safe("<br>".join(lines)) if lines else "—"  # each line is escaped

    def row_html(self, row: QueueRow, *, provisional: bool) -> str:
        """The row's <tr>; ``provisional`` marks a due date in a year without a holiday schedule."""
        drafted = (
            format_html('<br><span class="badge warn">{}</span>', self.get("drafted")) if row.drafted else ""
        )
        mark = ' <span class="badge warn" data-testid="due-provisional" title="{}">{}</span>'
        due_mark = (
            format_html(mark, self.get("provisional_title"), self.get("provisional")) if provisional else ""
        )
        return format_html(
            ROW_HTML,
            css=row.css,
            reference=row.reference,
            url=row.url,
            drafted=drafted,
            title=row.title,
            organisation=row.organisation_name,
            asset_class=row.asset_class_label,
            state=row.state,
            state_label=row.state_label,
            reviewers=row.reviewers_html,
            clocks=row.clocks_html,
            due=row.due_text,
            provisional=due_mark,
        )

    def _reviewers_cell(self, reviewers: tuple[RowReviewer, ...]) -> str:
        """The active reviewers (marked while their declaration is due) and those who declared a
        conflict (struck through); "Unassigned" when there is none."""
        lines = []
        for r in reviewers:
            if r.active:
                due = format_html(' <span class="badge warn">{}</span>', self.get("declaration_due"))
                lines.append(format_html("{}{}<br>", r.name, "" if r.declared else due))
            elif r.conflict:
                lines.append(
                    format_html(
                        '<s>{}</s> <span class="badge bad">{}</span><br>', r.name, self.get("conflict")
                    )
                )
        if not lines:
            return format_html('<span class="badge warn">{}</span>', self.get("unassigned"))
        return mark_safe("".join(lines))  # each line is escaped


CLOCK_FILTERS = [
    ("overdue", gettext_lazy("Overdue")),
    ("nearly_due", gettext_lazy("Nearly due")),
    ("running", gettext_lazy("Running")),
    ("paused", gettext_lazy("Paused")),
]
SORTS = [
    ("due", gettext_lazy("Due date")),
    ("left", gettext_lazy("Working days left")),
    ("used", gettext_lazy("Working days used")),
    ("state", gettext_lazy("State")),
    ("asset_class", gettext_lazy("Asset class")),
    ("submitted", gettext_lazy("Submitted")),
]
CLOCK_LOOKUPS = {
    "overdue": Q(clock_overdue=True),
    "nearly_due": Q(clock_nearly_due=True),
    "paused": Q(clock_paused=True),
    "running": Q(clock_status=ClockStatus.RUNNING),
}
ORDERINGS: dict[str, list[Any]] = {
    "due": ["-clock_overdue", F("clock_due_date").asc(nulls_last=True), "submitted_at", "pk"],
    "left": [F("clock_days_left").asc(nulls_last=True), "clock_due_date", "pk"],
    "used": [F("clock_used").desc(nulls_last=True), "pk"],
    "state": ["state_rank", "submitted_at", "pk"],
    "asset_class": ["asset_class", "submitted_at", "pk"],
    "submitted": [F("submitted_at").asc(nulls_last=True), "pk"],
}
QUEUE_PAGE_SIZE = 50


def queue_filings(
    user: Any,
    *,
    state: str = "",
    asset_class: str = "",
    assignee: str = "",
    clock: str = "",
    sort: str = "due",
    q: str = "",
) -> QuerySet[Filing]:
    """The filings in review the user may see, filtered and sorted in SQL by state, class, assignee,
    clock (the stored clock columns) and free text. Only reviewers and lead reviewers have a queue."""
    if not is_active_regulator_reviewer(user):
        return Filing.objects.none()
    scope = filings_for_user(user).filter(state__in=ACTIVE_REVIEW_STATES)
    filings = search_filings(scope.defer("criteria_profile", "preflight_cache", "reopened_sections"), text=q)
    if state:
        filings = filings.filter(state=state)
    if asset_class:
        filings = filings.filter(asset_class=asset_class)
    if assignee == "none":
        filings = filings.filter(has_reviewer=False)
    elif assignee.isdigit():
        filings = filings.filter(
            Exists(
                Assignment.objects.filter(filing_id=OuterRef("pk"), reviewer_id=int(assignee), active=True)
            )
        )
    if clock in CLOCK_LOOKUPS:
        filings = filings.filter(CLOCK_LOOKUPS[clock])
    if sort == "state":
        filings = filings.annotate(
            state_rank=Case(
                *[When(state=value, then=Value(rank)) for rank, value in enumerate(ACTIVE_REVIEW_STATES)],
                output_field=IntegerField(),
            )
        )
    return filings.order_by(*ORDERINGS.get(sort, ORDERINGS["due"]))


def rows_for(filings: QuerySet[Filing]) -> list[QueueRow]:
    """Queue rows for one page of filings: the filings, their assignments and their drafted
    decisions in three queries."""
    return _rows(list(filings.values(*ROW_FIELDS)))


def row_lists(*lists: QuerySet[Filing]) -> list[list[QueueRow]]:
    """Several short lists of queue rows (a dashboard's): one query per list, and two in all for
    their reviewers and decisions."""
    values = [list(filings.values(*ROW_FIELDS)) for filings in lists]
    rows = iter(_rows([v for list_values in values for v in list_values]))
    return [[next(rows) for _ in list_values] for list_values in values]


def _rows(values: list[dict[str, Any]]) -> list[QueueRow]:
    ids = {v["pk"] for v in values}
    reviewers: dict[int, list[RowReviewer]] = {pk: [] for pk in ids}
    # An empty list asks too (for no filing id 0), so that a page makes the same queries whatever it holds.
    ids = ids or {0}
    for filing_id, active, declared_at, conflict, username, full_name in (
        Assignment.objects.filter(filing_id__in=ids)
        .order_by("assigned_at")
        .values_list("filing_id", "active", "declared_at", "conflict_declared", *REVIEWER_NAME)
    ):
        reviewer = RowReviewer(full_name or username, active, declared_at is not None, conflict)
        reviewers[filing_id].append(reviewer)
    drafts = Decision.objects.filter(status=DecisionStatus.DRAFTED, filing_id__in=ids)
    drafted = set(drafts.values_list("filing_id", flat=True))
    labels = _Labels()
    unsure = provisional_years({v["clock_due_date"].year for v in values if v["clock_due_date"]})
    # One reverse() for the page, not one per row: the workspace URL differs only by the reference.
    workspace = reverse("reviews:workspace", args=["0"])[: -len("0/")]
    rows = []
    for v in values:
        summary = v["clock_summary"] or {}
        row = QueueRow(
            pk=v["pk"],
            reference=v["reference"],
            title=v["title"],
            state=v["state"],
            due_date=v["clock_due_date"],
            overdue=v["clock_overdue"],
            nearly_due=v["clock_nearly_due"],
            drafted=v["pk"] in drafted,
            regulator_clock=StoredClock.from_summary(summary.get("regulator")),
            reply_clock=StoredClock.from_summary(summary.get("reply")),
            state_label=labels.get("state", v["state"]),
            asset_class_label=labels.get("asset_class", v["asset_class"]),
            organisation_name=v["organisation__name_zh"],
            url=f"{workspace}{quote(v['reference'])}/",
            due_text=labels.get("date", v["clock_due_date"]),
        )
        row.clocks_html = labels.get("clocks", tuple(row.clocks))
        row.reviewers_html = labels.get("reviewers", tuple(reviewers[row.pk]))
        row.html = labels.row_html(row, provisional=row.due_date is not None and row.due_date.year in unsure)
        rows.append(row)
    return rows


REVIEWER_NAME = ("reviewer__username", "reviewer__full_name")
# What a queue row reads: the rest of a filing (its criteria, stored findings, section data) is
# not read for a page of 50.
ROW_FIELDS = (
    "pk",
    "reference",
    "title",
    "organisation__name_zh",
    "asset_class",
    "state",
    *[f"clock_{name}" for name in ("due_date", "overdue", "nearly_due", "summary")],
)


def queue_page(user: Any, *, page: Any = 1, per_page: int = QUEUE_PAGE_SIZE, **filters: str) -> Page:
    """One page of the queue; its ``object_list`` holds the QueueRows of that page only."""
    page_obj = Paginator(queue_filings(user, **filters), per_page).get_page(page)
    page_obj.object_list = rows_for(page_obj.object_list)  # type: ignore[arg-type,assignment]  # a page's slice
    return page_obj


def queue_rows(user: Any, **filters: str) -> list[QueueRow]:
    """Every row of the queue (for callers that need them all; screens use queue_page)."""
    return rows_for(queue_filings(user, **filters))


def queue_counts(user: Any, filings: QuerySet[Filing] | None = None) -> dict[str, int]:
    """What needs the person now, counted in one query: in review, overdue, nearly due, unassigned."""
    filings = filings if filings is not None else queue_filings(user)
    return filings.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(clock_overdue=True)),
        nearly_due=Count("pk", filter=Q(clock_nearly_due=True)),
        unassigned=Count("pk", filter=Q(has_reviewer=False)),
    )


def assignee_choices(user: Any) -> list[User]:
    """Regulator reviewers, for the queue's assignee filter and the assignment form."""
    return list(
        User.objects.filter(role__in=[Role.REVIEWER, Role.LEAD_REVIEWER], is_active=True).order_by("username")
    )


def outbox_for_user(user: Any, *, event: str = "", status: str = "") -> QuerySet[OutboxMessage]:
    """Administrators see every email sent; everyone else the ones sent to them."""
    messages = OutboxMessage.objects.select_related("recipient", "filing")
    if not getattr(user, "is_administrator", False):
        messages = messages.filter(recipient_id=user.pk)
    if event:
        messages = messages.filter(event=event)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")
