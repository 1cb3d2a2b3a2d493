"""The task inbox on each dashboard: what waits for the person, one query (and one count) per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models import TapeImport
from filings.deadlines import calendar_warning, provisional_years
from filings.models import Filing
from filings.workflow import FilingState
from jobs.models import JobStatus
from reviews.models import SupplementRequest
from reviews.selectors import decisions_to_confirm, pending_declarations

TASK_ROWS = 5  # a dashboard shows the first few of each kind; the link behind it lists them all
IMPORT_DAYS = 7  # an import stays in the preparer's inbox for a week after it finished


@dataclass(frozen=True)
class Task:
    """One thing that waits for the person: what, on which filing, by when, and where to do it."""

    label: str
    url: str
    reference: str = ""
    due: dt.date | None = None
    provisional: bool = False
    bad: bool = False  # shown as a failure (a failed import)
    when: dt.datetime | None = None  # since when it waits (handed over, finished)


@dataclass
class TaskGroup:
    """One kind of task: its title, how many there are, the first few, and the full list."""

    code: str
    title: Any
    count: int
    tasks: list[Task] = field(default_factory=list)
    more_url: str = ""


Known = tuple[list[Any], int]  # rows a dashboard already read, and their count


def unsure_years(today: dt.date | None = None) -> set[int]:
    """Of last year, this year and next (the years a running clock's due date falls in), those whose
    holiday schedule is not loaded: one look at the cached calendar per page, however many rows."""
    year = (today or timezone.localdate()).year
    return provisional_years(range(year - 1, year + 2))


def task_inbox(
    user: Any,
    *,
    limit: int = TASK_ROWS,
    declarations: Known | None = None,
    decisions: Known | None = None,
    unsure: set[int] | None = None,
) -> list[TaskGroup]:
    """Every kind of task the person may have, in the order they should be done; empty kinds out.

    A dashboard that already read the declarations or decisions passes them in, so the inbox
    repeats none of its queries. Due dates in a year whose holiday schedule is missing are marked
    provisional."""
    groups: list[TaskGroup] = []
    if user.is_signatory or user.is_org_admin:
        groups.append(ready_for_signature(user, limit=limit))
    if user.is_issuer:
        groups.append(supplement_requests_to_answer(user, limit=limit))
    if user.is_issuer or user.is_agent:
        groups.append(finished_imports(user, limit=limit))
    if user.is_reviewer or user.is_lead_reviewer:
        groups.append(declarations_to_make(user, limit=limit, known=declarations))
    if user.is_lead_reviewer:
        groups.append(decisions_to_confirm_group(user, limit=limit, known=decisions))
    if user.is_administrator:
        groups.append(calendar_to_load(user))
    groups = [group for group in groups if group.count]
    if unsure is None:  # asked even with no date to mark: the same queries at any data size
        unsure = provisional_years({task.due.year for group in groups for task in group.tasks if task.due})
    for group in groups:
        group.tasks = [
            replace(task, provisional=bool(task.due and task.due.year in unsure)) for task in group.tasks
        ]
    return groups


def _group(
    code: str,
    title: Any,
    rows: Any,
    task: Callable[[Any], Task],
    *,
    limit: int,
    known: Known | None = None,
    more_url: str = "",
) -> TaskGroup:
    """One kind of task: the first ``limit`` of ``rows`` made into tasks, and how many there are
    (two queries whatever the data, or none if the dashboard already read them as ``known``)."""
    first, count = (
        (list(known[0])[:limit], known[1]) if known is not None else (list(rows[:limit]), rows.count())
    )
    return TaskGroup(
        code=code, title=title, count=count, tasks=[task(row) for row in first], more_url=more_url
    )


def ready_for_signature(user: Any, *, limit: int) -> TaskGroup:
    """Drafts of the person's organisation that a preparer handed over for signature."""
    filings = Filing.objects.filter(
        organisation_id=user.organisation_id,
        state=FilingState.DRAFT,
        ready_for_signature_at__isnull=False,
    ).order_by("ready_for_signature_at", "pk")
    return _group(
        "ready_for_signature",
        _("Ready for your signature"),
        filings.only("pk", "reference", "title", "ready_for_signature_at"),
        lambda f: Task(
            label=str(
                _("%(reference)s — %(title)s: sign and submit") % {"reference": f.reference, "title": f.title}
            ),
            url=reverse("filings:detail", args=[f.reference]),
            reference=f.reference,
            when=f.ready_for_signature_at,
        ),
        limit=limit,
        more_url=reverse("filings:list") + "?state=draft",
    )


def supplement_requests_to_answer(user: Any, *, limit: int) -> TaskGroup:
    """Open supplement requests to the person's organisation, soonest reply due first."""
    requests = (
        SupplementRequest.objects.filter(
            filing__organisation_id=user.organisation_id,
            filing__state=FilingState.SUPPLEMENT_REQUESTED,
            resubmitted_at__isnull=True,
        )
        .annotate(item_count=Count("request_items"))
        .order_by("reply_due_date", "pk")
    )
    return _group(
        "items_to_answer",
        _("Deficiency items to answer"),
        requests.select_related("filing").only("pk", "number", "reply_due_date", "filing__reference"),
        lambda r: Task(
            label=str(
                _("%(reference)s — supplement request %(number)s: %(items)s items to answer")
                % {"reference": r.filing.reference, "number": r.number, "items": r.item_count}
            ),
            url=reverse("reviews:supplement", args=[r.filing.reference]),
            reference=r.filing.reference,
            due=r.reply_due_date,
        ),
        limit=limit,
        more_url=reverse("filings:list") + "?state=supplement_requested",
    )


def finished_imports(user: Any, *, limit: int) -> TaskGroup:
    """The person's own tape imports that finished or failed this past week, newest first."""
    since = timezone.now() - dt.timedelta(days=IMPORT_DAYS)
    imports = TapeImport.objects.filter(
        requested_by_id=user.pk,
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED],
        finished_at__gte=since,
        pool__filing__isnull=False,
    ).order_by("-finished_at", "-pk")
    return _group(
        "imports",
        _("Tape imports finished"),
        imports.select_related("pool__filing").only(
            "pk", "status", "file_name", "rows_stored", "finished_at", "pool__filing__reference"
        ),
        _import_task,
        limit=limit,
    )


def _import_task(job: TapeImport) -> Task:
    reference = job.pool.filing.reference
    words = {"reference": reference, "file": job.file_name, "rows": job.rows_stored}
    if job.status == JobStatus.FAILED:
        label = _("%(reference)s — import of %(file)s failed") % words
    else:
        label = _("%(reference)s — import of %(file)s finished: %(rows)s rows stored") % words
    return Task(
        label=str(label),
        url=reverse("filings:pool_import", args=[reference, job.pk]),
        reference=reference,
        bad=job.status == JobStatus.FAILED,
        when=job.finished_at,
    )


def declarations_to_make(user: Any, *, limit: int, known: Known | None = None) -> TaskGroup:
    """Assignments that wait for the person's conflict-of-interest declaration."""
    return _group(
        "declarations",
        _("Conflict-of-interest declarations to make"),
        pending_declarations(user),
        lambda a: Task(
            label=str(
                _("%(reference)s — %(title)s: declare conflicts of interest")
                % {"reference": a.filing.reference, "title": a.filing.title}
            ),
            url=reverse("reviews:declaration", args=[a.pk]),
            reference=a.filing.reference,
            due=a.filing.clock_due_date,
        ),
        limit=limit,
        known=known,
        more_url=reverse("reviews:queue"),
    )


def decisions_to_confirm_group(user: Any, *, limit: int, known: Known | None = None) -> TaskGroup:
    """Decisions another lead drafted that wait for this lead's (four-eyes) confirmation."""
    return _group(
        "decisions",
        _("Decisions awaiting your confirmation"),
        decisions_to_confirm(user),
        lambda d: Task(
            label=str(
                _("%(reference)s — %(kind)s, drafted by %(who)s")
                % {"reference": d.filing.reference, "kind": d.get_kind_display(), "who": d.drafted_by}
            ),
            url=reverse("reviews:decision", args=[d.filing.reference]),
            reference=d.filing.reference,
            due=d.filing.clock_due_date,
        ),
        limit=limit,
        known=known,
        more_url=reverse("reviews:queue"),
    )


def calendar_to_load(user: Any) -> TaskGroup:
    """The administrator's: the State Council schedule of this year or next, while it is missing."""
    year = calendar_warning()
    tasks = []
    if year is not None:
        tasks.append(
            Task(
                label=str(_("Load the State Council holiday schedule for %(year)s") % {"year": year}),
                url=reverse("filings:calendar_year"),
            )
        )
    return TaskGroup(code="calendar", title=_("Settings to complete"), count=len(tasks), tasks=tasks)
