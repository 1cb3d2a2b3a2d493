"""Scale data: N filings over many issuer organisations, in every state, with their audit trail.

Written in bulk (bulk_create in large batches) so that 10 000 filings load in well under five
minutes on PostgreSQL. The audit events are hash-chained here exactly as audit.services.record_event
chains them one by one (global chain and per-filing chain), so ``verify_audit`` still passes; the
clock columns are then derived from those events by filings.deadlines like any other filing's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from assets.criteria import DEFAULT_CRITERIA
from assets.models import AssetPool
from audit.models import GENESIS_HASH, ChainHead, Event, FilingChainHead
from audit.services import canonical_json, compute_hash
from desk.demo import DEMO_PASSWORD, LAW_FIRM, ORGANISATIONS, REGULATOR, enrol_demo_mfa, seed_people, uscc
from filings.bulk import update_columns
from filings.calendar import SHANGHAI, local_date
from filings.deadlines import refresh_clocks, store_clocks
from filings.models import (
    PROHIBITED_CIRCUMSTANCES,
    Attestation,
    ClockPause,
    EntitySection,
    Filing,
    OfferingSection,
    PauseKind,
    PauseOutcome,
    Snapshot,
    StructureSection,
    TokenSection,
)
from filings.workflow import PAUSE_STATES, AssetClass, FilingState
from reviews.models import Assignment, Decision, DecisionKind, DecisionStatus, DeficiencyItem, ItemStatus

S = FilingState
SCALE_ORG_PREFIX = "Scale Demo Issuer"
ORGANISATION_COUNT = 200
REVIEWERS = 20
LEADS = 3
ADMINS = 1
ISSUER_ORGS_WITH_USERS = 13  # two people each: with the staff above, 50 people to log in
# Final states in realistic proportions (per thousand filings).
STATE_MIX = [
    (S.DRAFT, 120),
    (S.SUBMITTED, 60),
    (S.UNDER_REVIEW, 200),
    (S.SUPPLEMENT_REQUESTED, 80),
    (S.FILED, 230),
    (S.ISSUED, 100),
    (S.CLOSED, 20),
    (S.REJECTED, 30),
    (S.NOT_ACCEPTED, 30),
    (S.WITHDRAWN, 60),
    (S.TERMINATED, 10),
    (S.LAPSED, 20),
    (S.REVIEW_PAUSED, 20),  # a communication meeting or a consultation of other authorities
    (S.SUSPENDED, 10),
    (S.REFILED, 10),  # each with its new draft, one of the drafts above
]
# Filings whose history holds a pause that has ended (per thousand of those accepted for review).
PAST_PAUSES = 80
PAUSE_REASONS: dict[str, str] = {
    PauseKind.MEETING: "与发行人召开沟通会，就基础资产现金流归集安排当面沟通。",
    PauseKind.CONSULTATION: "就代币发行涉及的跨境资金事项征求外汇管理部门意见。",
    PauseKind.SUSPENSION: "发行人涉嫌违法违规正被立案调查，中止备案程序。",
}
BATCH = 2000


class NonDemoDataError(Exception):
    """The database holds organisations that neither seed_demo nor seed_scale made."""


@dataclass
class Step:
    at: dt.datetime
    action: str
    actor: User | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    filing: Filing
    steps: list[Step]
    snapshots: int = 0

    @property
    def state(self) -> str:
        return str(self.steps[-1].data.get("to", S.DRAFT))

    @property
    def standing(self) -> str:
        """Where the review stands: a paused or suspended filing's state to return to."""
        state = self.state
        return str(self.steps[-1].data["from"]) if state in PAUSE_STATES else state


def reference_prefix(count: int) -> str:
    return f"SCL{count}-"


def check_demo_only() -> None:
    """Refuse to write into a database with organisations of its own (real users' data)."""
    demo_names = {name_zh for _key, name_zh, _en, _code in ORGANISATIONS} | {REGULATOR[0], LAW_FIRM[0]}
    foreign = Organisation.objects.exclude(name_zh__in=demo_names).exclude(
        name_en__startswith=SCALE_ORG_PREFIX
    )
    if foreign.exists():
        names = ", ".join(foreign.values_list("name_zh", flat=True)[:3])
        raise NonDemoDataError(names)


def _password() -> str:
    # One hash for every scale user: hashing 50 passwords one by one costs ~30 s of PBKDF2.
    return make_password(DEMO_PASSWORD)


def seed_organisations() -> list[Organisation]:
    existing = {o.name_en: o for o in Organisation.objects.filter(name_en__startswith=SCALE_ORG_PREFIX)}
    missing = []
    for number in range(1, ORGANISATION_COUNT + 1):
        name_en = f"{SCALE_ORG_PREFIX} {number:03d} Co., Ltd."
        if name_en not in existing:
            city = ["杭州", "深圳", "上海", "北京", "成都", "武汉", "南京", "苏州"][number % 8]
            kind = ["交通投资", "供应链管理", "融资租赁", "商业保理", "能源科技"][number % 5]
            missing.append(
                Organisation(
                    name_zh=f"{city}规模演示{kind}有限公司{number:03d}",
                    name_en=name_en,
                    kind=OrganisationKind.ISSUER,
                    uscc=uscc(f"91330{number:04d}MA2C{number:04d}"),
                )
            )
    Organisation.objects.bulk_create(missing)
    return list(Organisation.objects.filter(name_en__startswith=SCALE_ORG_PREFIX).order_by("name_en"))


def seed_scale_people(organisations: list[Organisation]) -> dict[str, list[User]]:
    """20 reviewers, 3 leads, an administrator and two issuer people in 13 organisations (50)."""
    regulator = Organisation.objects.get(name_zh=REGULATOR[0])
    password = _password()
    wanted: list[tuple[str, str, Organisation]] = []
    wanted += [(f"scale-reviewer{n:02d}", Role.REVIEWER, regulator) for n in range(1, REVIEWERS + 1)]
    wanted += [(f"scale-lead{n}", Role.LEAD_REVIEWER, regulator) for n in range(1, LEADS + 1)]
    wanted += [(f"scale-admin{n}", Role.ADMINISTRATOR, regulator) for n in range(1, ADMINS + 1)]
    for number, org in enumerate(organisations[:ISSUER_ORGS_WITH_USERS], start=1):
        wanted += [
            (f"scale-preparer{number:03d}", Role.PREPARER, org),
            (f"scale-signatory{number:03d}", Role.SIGNATORY, org),
        ]
    have = set(User.objects.filter(username__startswith="scale-").values_list("username", flat=True))
    User.objects.bulk_create(
        User(
            username=username,
            role=role,
            organisation=org,
            full_name=username.replace("scale-", "规模 "),
            email=f"{username}@scale.filingdesk.local",
            password=password,
            # An issuer organisation's two people are its two organisation administrators.
            is_org_admin=role in (Role.PREPARER, Role.SIGNATORY),
        )
        for username, role, org in wanted
        if username not in have
    )
    users = list(User.objects.filter(username__startswith="scale-").select_related("organisation"))
    # Reviewers, leads, the administrator and signatories sign in with a second factor: the demo's.
    enrol_demo_mfa({user.username: user for user in users})
    by_role: dict[str, list[User]] = {}
    for user in sorted(users, key=lambda u: u.username):
        by_role.setdefault(user.role, []).append(user)
    return by_role


def _state_for(index: int, count: int) -> str:
    slot = (index * 1000 // max(count, 1)) % 1000
    for state, share in STATE_MIX:
        if slot < share:
            return state
        slot -= share
    return S.FILED


class Timeline:
    """Builds one filing's chronological steps backwards from a chosen point before ``now``."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now

    def days_ago(self, low: float, high: float) -> dt.datetime:
        moment = self.now - dt.timedelta(days=self.rng.uniform(low, high))
        return moment.replace(microsecond=self.rng.randrange(1_000_000))

    def after(self, moment: dt.datetime, low: float, high: float) -> dt.datetime:
        later = moment + dt.timedelta(days=self.rng.uniform(low, high))
        if later < self.now - dt.timedelta(hours=1):
            return later
        # Too late: somewhere between the previous step and now instead, so the steps stay in order
        # (clamping to "just before now" put a reply before the request it answers).
        return moment + (self.now - moment) * self.rng.uniform(0.3, 0.9)

    def within(self, moment: dt.datetime, high: float) -> dt.datetime:
        """A moment after ``moment``, at most ``high`` days later and always before now."""
        room = min(dt.timedelta(days=high), self.now - moment)
        return moment + room * self.rng.uniform(0.2, 0.9)

    def entered_day(self, floor: dt.datetime, typed: dt.datetime) -> tuple[dt.date, dt.datetime]:
        """The day a reviewer enters for a pause or its end (today or a day or two back, never before
        the previous change) and the moment the clock counts from, as filings.pauses works it out."""
        day = max(local_date(typed) - dt.timedelta(days=self.rng.choice([0, 0, 1, 2])), local_date(floor))
        if day == local_date(typed):
            return day, max(typed, floor)
        return day, max(dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI), floor)


def _changed_at(step: Step) -> dt.datetime:
    """The moment a step changed the state for the clock (a pause's entered day, else when it happened)."""
    value = step.data.get("effective_at")
    return dt.datetime.fromisoformat(value) if value else step.at


def plan_filing(
    filing: Filing,
    state: str,
    rng: random.Random,
    now: dt.datetime,
    cast: dict[str, Any],
    refiled_as: Filing | None = None,
) -> Plan:
    """The events that bring a new filing to ``state``, with times that put its clocks at every stage.
    A refiled filing names its new draft (``refiled_as``); see plan_refiled_draft for the draft's own."""
    t = Timeline(rng, now)
    preparer, signatory, reviewer, lead = cast["preparer"], cast["signatory"], cast["reviewer"], cast["lead"]
    steps: list[Step] = []
    snapshots = 0

    def move(at: dt.datetime, name: str, actor: User | None, before: str, after: str, **extra: Any) -> None:
        nonlocal snapshots
        data: dict[str, Any] = {"from": before, "to": after, **extra}
        if name in {"submit", "resubmit"}:
            snapshots += 1
            data["snapshot"] = snapshots
            data["snapshot_sha256"] = hashlib.sha256(f"{filing.reference}/{snapshots}".encode()).hexdigest()
        else:
            data.setdefault("reason", "")
            data.setdefault("reason_code", "")
        steps.append(Step(at, f"filing.{name}", actor, data))

    def pause(typed: dt.datetime, floor: dt.datetime, before: str, kind: str, actor: User) -> dt.datetime:
        """As filings.pauses.pause_clock records it; returns the moment the clock stops."""
        day, at = t.entered_day(floor, typed)
        name, to = (
            ("suspend", S.SUSPENDED) if kind == PauseKind.SUSPENSION else ("pause_review", S.REVIEW_PAUSED)
        )
        data = {"from": before, "to": to, "kind": kind, "reason": PAUSE_REASONS[kind]}
        data |= {"started_on": day.isoformat(), "effective_at": at.isoformat()}
        steps.append(Step(typed, f"filing.{name}", actor, data))
        return at

    def resume(typed: dt.datetime, floor: dt.datetime, back_to: str) -> None:
        """As filings.pauses.end_pause records it: back to the state the filing was paused from."""
        paused = steps[-1]
        day, at = t.entered_day(floor, typed)
        name = "resume" if paused.data["kind"] == PauseKind.SUSPENSION else "resume_review"
        data = {"from": paused.data["to"], "to": back_to, "kind": paused.data["kind"], "note": ""}
        data |= {"ended_on": day.isoformat(), "effective_at": at.isoformat()}
        steps.append(Step(typed, f"filing.{name}", paused.actor, data))

    if state in PAUSE_STATES:
        # Paused or suspended now: the story of a filing in review (or awaiting its supplement or
        # its completeness check), then the pause, which is still open.
        base = rng.choices([S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED, S.SUBMITTED], weights=[7, 2, 1])[0]
        plan = plan_filing(filing, base, rng, now, cast)
        steps, snapshots = plan.steps, plan.snapshots
        kind = (
            PauseKind.SUSPENSION
            if state == S.SUSPENDED
            else rng.choice([PauseKind.MEETING, PauseKind.MEETING, PauseKind.CONSULTATION])
        )
        actor = lead if kind == PauseKind.SUSPENSION or rng.random() < 0.4 else reviewer
        previous = steps[-1]
        pause(t.within(previous.at, 10), _changed_at(previous), base, kind, actor)
        return Plan(filing, steps, snapshots)

    # Where the filing stands now decides how far back its story starts.
    if state == S.DRAFT:
        created = t.days_ago(0, 60)
    elif state == S.SUBMITTED:
        submitted = t.days_ago(0, 9)  # completeness: 5 working days, so some are overdue
        created = submitted - dt.timedelta(days=rng.uniform(5, 40))
    elif state in (S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED):
        accepted = t.days_ago(0, 34) if state == S.UNDER_REVIEW else t.days_ago(10, 60)
        submitted = accepted - dt.timedelta(days=rng.uniform(1, 6))
        created = submitted - dt.timedelta(days=rng.uniform(5, 40))
    elif state == S.REFILED:
        created = t.days_ago(550, 750)  # filed, a year without issuance, lapsed, refiled since
    else:
        created = t.days_ago(60, 700)
    steps.append(
        Step(
            created,
            "filing.create",
            preparer,
            {"reference": filing.reference, "title": filing.title, "asset_class": filing.asset_class},
        )
    )
    if state == S.DRAFT:
        return Plan(filing, steps, snapshots)
    if state == S.WITHDRAWN and rng.random() < 0.5:
        move(t.after(created, 3, 30), "withdraw", signatory, S.DRAFT, S.WITHDRAWN, reason_code="plan_changed")
        return Plan(filing, steps, snapshots)
    if state in (S.SUBMITTED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED):
        move(submitted, "submit", signatory, S.DRAFT, S.SUBMITTED)
    else:
        submitted = t.after(created, 5, 40)
        move(submitted, "submit", signatory, S.DRAFT, S.SUBMITTED)
    if state == S.SUBMITTED:
        return Plan(filing, steps, snapshots)
    if state == S.NOT_ACCEPTED:
        move(
            t.after(submitted, 1, 7),
            "not_accept",
            lead,
            S.SUBMITTED,
            S.NOT_ACCEPTED,
            reason_code="incomplete",
        )
        return Plan(filing, steps, snapshots)
    if state == S.WITHDRAWN:
        move(
            t.after(submitted, 1, 5),
            "withdraw",
            signatory,
            S.SUBMITTED,
            S.WITHDRAWN,
            reason_code="plan_changed",
        )
        return Plan(filing, steps, snapshots)
    if state not in (S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED):
        accepted = t.after(submitted, 1, 6)
    move(accepted, "accept", lead, S.SUBMITTED, S.UNDER_REVIEW)
    last = accepted
    if rng.random() * 1000 < PAST_PAUSES and now - accepted > dt.timedelta(days=20):
        # A meeting, a consultation or (rarely) a suspension, over since: the clock skipped its days.
        kind = rng.choices(
            [PauseKind.MEETING, PauseKind.CONSULTATION, PauseKind.SUSPENSION], weights=[6, 3, 1]
        )[0]
        actor = lead if kind == PauseKind.SUSPENSION or rng.random() < 0.4 else reviewer
        stopped = pause(t.within(accepted, 5), accepted, S.UNDER_REVIEW, kind, actor)
        resume(t.within(steps[-1].at, 10), stopped, S.UNDER_REVIEW)
        last = steps[-1].at
    rounds = 1 if state == S.SUPPLEMENT_REQUESTED else rng.choice([0, 0, 1, 1, 2])
    if state == S.UNDER_REVIEW:
        rounds = 0 if rng.random() < 0.7 else 1
    for number in range(1, rounds + 1):
        asked = t.after(last, 2, 12)
        move(
            asked,
            "request_supplement",
            reviewer,
            S.UNDER_REVIEW,
            S.SUPPLEMENT_REQUESTED,
            request=number,
            items=[1, 2],
            reopened_sections=["structure", "token"],
        )
        last = asked
        if state == S.SUPPLEMENT_REQUESTED and number == rounds:
            return Plan(filing, steps, snapshots)
        answered = t.after(asked, 3, 25)
        move(answered, "resubmit", signatory, S.SUPPLEMENT_REQUESTED, S.UNDER_REVIEW)
        last = answered
    if state == S.UNDER_REVIEW:
        return Plan(filing, steps, snapshots)
    if state == S.TERMINATED:
        move(
            t.after(last, 1, 10), "terminate", lead, S.UNDER_REVIEW, S.TERMINATED, reason_code="investigation"
        )
        return Plan(filing, steps, snapshots)
    if state == S.REJECTED:
        move(t.after(last, 2, 20), "decide_reject", lead, S.UNDER_REVIEW, S.REJECTED, reason_code="structure")
        return Plan(filing, steps, snapshots)
    filed = t.after(last, 2, 20)
    move(
        filed, "decide_file", lead, S.UNDER_REVIEW, S.FILED, notice_number=f"证监备〔S〕{filing.reference}号"
    )
    if state == S.FILED:
        return Plan(filing, steps, snapshots)
    if state in (S.LAPSED, S.REFILED):
        lapsed = t.after(filed, 365, 380)
        move(lapsed, "lapse", None, S.FILED, S.LAPSED)
        if state == S.REFILED:
            assert refiled_as is not None  # seed_scale pairs every refiled filing with a draft
            # As filings.refiling.refile_filing records it (the draft's own events: plan_refiled_draft).
            data = {
                "from": S.LAPSED,
                "to": S.REFILED,
                "refiled_as": refiled_as.reference,
                "snapshot": snapshots,
            }
            steps.append(Step(t.within(lapsed, 30) + REFILE_GAP, "filing.refile", signatory, data))
        return Plan(filing, steps, snapshots)
    issued = t.after(filed, 5, 60)
    move(issued, "report_issuance", signatory, S.FILED, S.ISSUED)
    if state == S.CLOSED:
        move(t.after(issued, 30, 200), "close", None, S.ISSUED, S.CLOSED)
    return Plan(filing, steps, snapshots)


REFILE_GAP = dt.timedelta(milliseconds=1)


def plan_refiled_draft(new: Filing, old: Plan) -> Plan:
    """The new draft a refiling makes: created by the signatory just before the old filing's
    ``refile`` event, then linked to it (``refiled_from``) just after, as refile_filing does."""
    refile = old.steps[-1]
    create = {"reference": new.reference, "title": new.title, "asset_class": new.asset_class}
    link = {"refiling_of": old.filing.reference, "snapshot": refile.data["snapshot"], "documents": 0}
    return Plan(
        new,
        [
            Step(refile.at - REFILE_GAP, "filing.create", refile.actor, create),
            Step(refile.at + REFILE_GAP, "filing.refiled_from", refile.actor, link),
        ],
    )


def _batched(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_scale(
    count: int,
    *,
    force: bool = False,
    fill_drafts: bool = False,
    now: dt.datetime | None = None,
    log: Any = None,
) -> int:
    """Load ``count`` scale filings (nothing if this count's set is already there); returns how many
    filings were added."""
    now = now or timezone.now()
    started = time.monotonic()
    log = log or (lambda message: None)

    def say(message: str) -> None:
        log(f"[{time.monotonic() - started:6.1f} s] {message}")

    if not force:
        check_demo_only()
    prefix = reference_prefix(count)
    if Filing.objects.filter(reference__startswith=prefix).exists():
        say(f"{count} scale filings already loaded.")
        return 0
    seed_people()
    organisations = seed_organisations()
    people = seed_scale_people(organisations)
    reviewers = people[Role.REVIEWER]
    leads = people[Role.LEAD_REVIEWER]
    issuers: dict[int, dict[str, User]] = {}
    for user in people.get(Role.PREPARER, []) + people.get(Role.SIGNATORY, []):
        issuers.setdefault(user.organisation_id or 0, {})[user.role] = user
    fallback: dict[str, User] = {Role.PREPARER: leads[0], Role.SIGNATORY: leads[0]}
    rng = random.Random(count)
    classes = list(AssetClass.values)
    states = [_state_for(index, count) for index in range(count)]
    links = _refiling_links(states)
    with transaction.atomic():
        say("filings and sections…")
        filings = _create_filings(count, prefix, organisations, classes, rng, now, issuers, fallback, links)
        say("audit trail…")
        refiled_as = {old: filings[new] for new, old in links.items()}
        plans: list[Plan | None] = []
        for index, filing in enumerate(filings):
            if index in links:
                plans.append(None)  # the refiled filing's new draft: planned from its story below
                continue
            org_people = issuers.get(filing.organisation_id, fallback)
            cast = {
                "preparer": org_people.get(Role.PREPARER, fallback[Role.PREPARER]),
                "signatory": org_people.get(Role.SIGNATORY, fallback[Role.SIGNATORY]),
                "reviewer": reviewers[index % len(reviewers)],
                "lead": leads[index % len(leads)],
            }
            plans.append(plan_filing(filing, states[index], rng, now, cast, refiled_as.get(index)))
        for new, old in links.items():
            old_plan = plans[old]
            assert old_plan is not None
            plans[new] = plan_refiled_draft(filings[new], old_plan)
        planned = [plan for plan in plans if plan is not None]
        _apply_plans(planned, now)
        _write_events(planned)
        _write_pauses(planned)
        say("snapshots, assignments, deficiency items, decisions…")
        _write_review_data(planned, reviewers, leads, rng, now)
        say("clocks…")
        store_clocks([f.pk for f in filings], now=now)
    refresh_clocks(now=now)
    if fill_drafts:
        say("the issuers' drafts to edit…")
        fill_writer_drafts()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        say("vacuum and statistics…")
        _vacuum_analyze()
    return len(filings)


def _refiling_links(states: list[str]) -> dict[int, int]:
    """Each refiled filing's new draft: one of the drafts (new draft's index -> refiled filing's
    index). A refiled filing with no draft left to be its new one stays lapsed."""
    drafts = [index for index, state in enumerate(states) if state == S.DRAFT]
    links = {}
    for index, state in enumerate(states):
        if state == S.REFILED:
            if drafts:
                links[drafts.pop()] = index
            else:
                states[index] = S.LAPSED
    return links


def _vacuum_analyze() -> None:
    """A bulk load leaves every filing rewritten several times and no planner statistics: without
    VACUUM ANALYZE (autovacuum may be off, and is slow to come round) the queue's counts read four
    dead row versions per live one and the planner guesses its plans."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def fill_writer_drafts() -> int:
    """Fill the first draft of each organisation that has people, as the demo fills its own (sections,
    rows, documents, a tape), so that saving one of its sections is a real write. Idempotent."""
    from django.test import override_settings

    from desk.demo import fill_filing

    filled = 0
    preparers = User.objects.filter(username__startswith="scale-preparer").select_related("organisation")
    for preparer in preparers.order_by("username"):
        org_id = preparer.organisation_id or 0
        signatory = User.objects.filter(organisation_id=org_id, role=Role.SIGNATORY).first()
        draft = Filing.objects.filter(organisation_id=org_id, state=S.DRAFT).order_by("reference").first()
        if draft is None or signatory is None or draft.entity.version > 0:
            continue
        org = preparer.organisation
        with override_settings(JOBS_RUN_INLINE=True):  # finish the tape import before returning
            fill_filing(
                draft, preparer, signatory, name_zh=org.name_zh if org else "", code=org.uscc if org else ""
            )
        filled += 1
    return filled


def _create_filings(
    count: int,
    prefix: str,
    organisations: list[Organisation],
    classes: list[str],
    rng: random.Random,
    now: dt.datetime,
    issuers: dict[int, dict[str, User]],
    fallback: dict[str, User],
    links: dict[int, int],
) -> list[Filing]:
    pools = []
    filings = []
    # A few issuers file often, most rarely (Zipf-like weights; the busiest holds about 4 %).
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(organisations))]
    spread = rng.choices(organisations, weights=weights, k=count)
    orgs = [organisations[index] if index < len(organisations) else spread[index] for index in range(count)]
    asset_classes = [classes[index % len(classes)] for index in range(count)]
    titles = [
        f"{org.name_zh[:12]}资产支持代币 {2025 + index % 2}-{index % 7 + 1} 号（{index + 1}）"
        for index, org in enumerate(orgs)
    ]
    for new, old in links.items():
        # A refiled filing's new draft: its organisation, title and asset class (refile_filing).
        orgs[new], asset_classes[new], titles[new] = orgs[old], asset_classes[old], titles[old]
    for index, org in enumerate(orgs):
        pools.append(AssetPool(organisation=org, asset_class=asset_classes[index]))
        # The signatory who refiles creates the new draft.
        role = Role.SIGNATORY if index in links else Role.PREPARER
        creator = issuers.get(org.pk, fallback).get(role, fallback[role])
        filings.append(
            Filing(
                reference=f"{prefix}{index + 1:05d}",
                organisation=org,
                title=titles[index],
                asset_class=asset_classes[index],
                created_by=creator,
                criteria_profile=DEFAULT_CRITERIA,
            )
        )
    for batch in _batched(pools):
        AssetPool.objects.bulk_create(batch)
    for filing, pool in zip(filings, pools, strict=True):
        filing.pool = pool
    for batch in _batched(filings):
        Filing.objects.bulk_create(batch)
    for batch in _batched(filings):
        EntitySection.objects.bulk_create(
            EntitySection(
                filing=f,
                name_zh=f.organisation.name_zh,
                name_en=f.organisation.name_en,
                uscc=f.organisation.uscc,
            )
            for f in batch
        )
        StructureSection.objects.bulk_create(StructureSection(filing=f) for f in batch)
        TokenSection.objects.bulk_create(TokenSection(filing=f) for f in batch)
        OfferingSection.objects.bulk_create(OfferingSection(filing=f) for f in batch)
        Attestation.objects.bulk_create(
            Attestation(filing=f, code=code) for f in batch for code, _text in PROHIBITED_CIRCUMSTANCES
        )
    for new, old in links.items():
        filings[new].refiled_from = filings[old]
    update_columns(Filing, [filings[new] for new in links], ["refiled_from"])
    return filings


def _apply_plans(plans: list[Plan], now: dt.datetime) -> None:
    """The filing columns the steps imply: state, dates, receipt and notice numbers."""
    for plan in plans:
        filing = plan.filing
        for step in plan.steps:
            if step.action == "filing.submit":
                filing.submitted_at = step.at
                filing.receipt_number = f"FD-{step.at.year}-{filing.pk:06d}"
            elif step.action == "filing.decide_file":
                filing.filed_at = step.at
                filing.notice_number = step.data["notice_number"]
            elif step.action == "filing.report_issuance":
                filing.issued_at = step.at
            if step.data.get("reason_code"):
                filing.reason_code = step.data["reason_code"]
        if plan.standing == S.SUPPLEMENT_REQUESTED:
            filing.supplement_return_state = S.UNDER_REVIEW
            filing.reopened_sections = ["structure", "token"]
    # Filing.state is protected from attribute writes: one UPDATE per state instead.
    by_state: dict[str, list[int]] = {}
    for plan in plans:
        by_state.setdefault(plan.state, []).append(plan.filing.pk)
    for state, ids in by_state.items():
        for batch in _batched(ids, 5000):
            Filing.objects.filter(pk__in=batch).update(state=state)
    fields = [
        "submitted_at",
        "receipt_number",
        "filed_at",
        "notice_number",
        "issued_at",
        "reason_code",
        "supplement_return_state",
        "reopened_sections",
    ]
    update_columns(Filing, [p.filing for p in plans], fields)
    # created_at is auto_now_add: put it back to the day the story starts.
    for plan in plans:
        plan.filing.created_at = plan.steps[0].at
        plan.filing.updated_at = plan.steps[-1].at
    update_columns(Filing, [p.filing for p in plans], ["created_at", "updated_at"])


def _write_events(plans: list[Plan]) -> None:
    """Append every step to the hash chain in time order, as record_event would have one by one."""
    steps = sorted(
        ((step, plan.filing) for plan in plans for step in plan.steps), key=lambda pair: pair[0].at
    )
    head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    sequence, prev = head.last_sequence, head.last_hash
    filing_heads: dict[int, str] = {}
    filing_tails: dict[int, tuple[int, int]] = {}  # filing id -> (last sequence, chain length)
    events = []
    for step, filing in steps:
        sequence += 1
        event = Event(
            sequence=sequence,
            occurred_at=step.at.astimezone(dt.UTC),
            actor=step.actor,
            actor_label=str(step.actor) if step.actor is not None else "system",
            action=step.action,
            subject_type="filings.filing",
            subject_id=filing.pk,
            filing_id=filing.pk,
            data=json.loads(canonical_json(step.data)),
            prev_hash=prev,
        )
        body = {
            "sequence": event.sequence,
            "occurred_at": event.occurred_at.isoformat(),
            "actor_id": step.actor.pk if step.actor is not None else None,
            "actor_label": event.actor_label,
            "action": event.action,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "filing_id": event.filing_id,
            "data": event.data,
        }
        event.hash = compute_hash(prev, body)
        event.filing_prev_hash = filing_heads.get(filing.pk, GENESIS_HASH)
        event.filing_hash = compute_hash(event.filing_prev_hash, body)
        filing_heads[filing.pk] = event.filing_hash
        filing_tails[filing.pk] = (sequence, filing_tails.get(filing.pk, (0, 0))[1] + 1)
        prev = event.hash
        events.append(event)
    for batch in _batched(events, 5000):
        Event.objects.bulk_create(batch)
    head.last_sequence, head.last_hash = sequence, prev
    head.save(update_fields=["last_sequence", "last_hash"])
    # Each filing's chain ends where its head row says (verify_audit checks it, as record_event keeps it).
    FilingChainHead.objects.bulk_create(
        [
            FilingChainHead(filing_id=pk, last_sequence=last, last_hash=filing_heads[pk], length=length)
            for pk, (last, length) in filing_tails.items()
        ],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["filing_id"],
        update_fields=["last_sequence", "last_hash", "length"],
    )


def _write_pauses(plans: list[Plan]) -> None:
    """The ClockPause rows the pause and resume events stand for, as filings.pauses writes them."""
    pauses: list[ClockPause] = []
    recorded: list[dt.datetime] = []
    for plan in plans:
        current: ClockPause | None = None
        for step in plan.steps:
            name = step.action.removeprefix("filing.")
            if name in ("pause_review", "suspend"):
                current = ClockPause(
                    filing=plan.filing,
                    kind=step.data["kind"],
                    reason=step.data["reason"],
                    started_at=dt.datetime.fromisoformat(step.data["effective_at"]),
                    return_state=step.data["from"],
                    started_by=step.actor,
                )
                pauses.append(current)
                recorded.append(step.at)
            elif name in ("resume_review", "resume") and current is not None:
                current.ended_at = dt.datetime.fromisoformat(step.data["effective_at"])
                current.ended_by = step.actor
                current.outcome = PauseOutcome.RESUMED
                current = None
    for batch in _batched(pauses, 5000):
        ClockPause.objects.bulk_create(batch)
    # recorded_at is auto_now_add: put it back to the moment each pause was entered.
    for pause, at in zip(pauses, recorded, strict=True):
        pause.recorded_at = at
    update_columns(ClockPause, pauses, ["recorded_at"])


def _write_review_data(
    plans: list[Plan], reviewers: list[User], leads: list[User], rng: random.Random, now: dt.datetime
) -> None:
    snapshots, assignments, items, decisions = [], [], [], []
    for index, plan in enumerate(plans):
        filing = plan.filing
        submits = [s for s in plan.steps if s.action in ("filing.submit", "filing.resubmit")]
        for version, step in enumerate(submits, start=1):
            data = {"reference": filing.reference, "title": filing.title, "snapshot_version": version}
            snapshots.append(
                Snapshot(
                    filing=filing,
                    version=version,
                    data=data,
                    sha256=step.data["snapshot_sha256"],
                    created_by=step.actor or leads[0],
                )
            )
        if not submits:
            continue
        # Most submitted filings have reviewers; some wait for the lead; a few newly assigned
        # reviewers still owe their conflict-of-interest declaration.
        if plan.state == S.SUBMITTED and rng.random() < 0.4:
            continue
        first = reviewers[index % len(reviewers)]
        second = reviewers[(index * 7 + 3) % len(reviewers)]
        assigned_at = submits[0].at + dt.timedelta(hours=rng.uniform(1, 30))
        assigned_at = min(assigned_at, now)
        pending = plan.state in (S.SUBMITTED, S.UNDER_REVIEW) and rng.random() < 0.1
        for reviewer in {first.pk: first, second.pk: second}.values():
            assignments.append(
                Assignment(
                    filing=filing,
                    reviewer=reviewer,
                    assigned_by=leads[index % len(leads)],
                    declared_at=None if pending and reviewer is first else assigned_at,
                )
            )
        for step in plan.steps:
            if step.action == "filing.request_supplement":
                number = step.data["request"]
                answered = plan.standing != S.SUPPLEMENT_REQUESTED or number < len(
                    [s for s in plan.steps if s.action == "filing.request_supplement"]
                )
                for offset, section in enumerate(("structure", "token")):
                    items.append(
                        DeficiencyItem(
                            filing=filing,
                            number=(number - 1) * 2 + offset + 1,
                            question=f"第{number}轮：请补充{section}部分的说明。",
                            anchor_section=section,
                            citation="证监会公告〔2026〕1号",
                            status=ItemStatus.ACCEPTED if answered else ItemStatus.OPEN,
                            created_by=step.actor or first,
                        )
                    )
        if plan.state == S.UNDER_REVIEW and rng.random() < 0.08:
            decisions.append(
                Decision(
                    filing=filing,
                    kind=DecisionKind.FILE,
                    status=DecisionStatus.DRAFTED,
                    drafted_by=first,
                    drafted_at=min(plan.steps[-1].at + dt.timedelta(days=1), now),
                    reasons="材料齐备，建议予以备案。",
                )
            )
    for model, rows in (
        (Snapshot, snapshots),
        (Assignment, assignments),
        (DeficiencyItem, items),
        (Decision, decisions),
    ):
        for batch in _batched(rows, 5000):
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
    # What reviews.services.assignments keeps true: every seeded assignment is active and cleared.
    for batch in _batched(sorted({a.filing_id for a in assignments}), 5000):
        Filing.objects.filter(pk__in=batch).update(has_reviewer=True)
