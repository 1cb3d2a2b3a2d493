"""seed_scale: every state, a verified audit chain, idempotent per N, and it keeps off real data."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, F, OuterRef

from accounts.models import Organisation, OrganisationKind
from audit.services import verify_chain
from desk.scale import seed_scale
from filings.models import Filing
from filings.workflow import FilingState
from reviews.models import Assignment

pytestmark = pytest.mark.django_db


def has_reviewer_mismatches() -> int:
    """Filings whose has_reviewer column disagrees with their assignments."""
    active = Assignment.objects.filter(filing_id=OuterRef("pk"), active=True, conflict_declared=False)
    return Filing.objects.annotate(assigned=Exists(active)).exclude(has_reviewer=F("assigned")).count()


def test_seed_scale_loads_every_state_with_an_intact_audit_chain_once_per_count():
    assert seed_scale(300) == 300

    assert set(Filing.objects.values_list("state", flat=True)) == set(FilingState.values)
    assert Organisation.objects.filter(name_en__startswith="Scale Demo Issuer").count() == 200
    assert verify_chain().ok
    assert has_reviewer_mismatches() == 0
    assert seed_scale(300) == 0
    assert Filing.objects.count() == 300


def test_seed_scale_refuses_a_database_with_real_organisations_unless_forced():
    Organisation.objects.create(name_zh="真实发行人有限公司", kind=OrganisationKind.ISSUER)

    with pytest.raises(CommandError, match="not demo data"):
        call_command("seed_scale", "--filings", "10", "--no-drafts")
    assert Filing.objects.count() == 0
    call_command("seed_scale", "--filings", "10", "--force", "--no-drafts")
    assert Filing.objects.count() == 10


def test_seeded_pauses_and_refilings_are_what_the_services_would_have_written():
    from django.utils import timezone

    from audit.models import Event
    from filings.calendar import local_date
    from filings.deadlines import CLOCK_FIELDS, clock_columns, clocks_for_filings, state_changes_by_filing
    from filings.models import ClockPause
    from filings.pauses import end_pause
    from filings.refiling import refile_filing

    seed_scale(300)

    # Each filing's log is a lifecycle: every change starts where the previous one ended, in time order.
    for changes in state_changes_by_filing(Filing.objects.values_list("pk", flat=True)).values():
        assert [c.from_state for c in changes[1:]] == [c.to_state for c in changes[:-1]]
        assert [c.at for c in changes] == sorted(c.at for c in changes)

    # Every paused or suspended filing has its one open pause of the right kind; ended pauses sit in
    # the histories of filings that went on (a review that was paused and resumed).
    for filing in Filing.objects.filter(state__in=["review_paused", "suspended"]):
        (pause,) = filing.pauses.filter(ended_at__isnull=True)
        assert (pause.kind == "suspension") == (filing.state == "suspended")
        assert pause.return_state in {"submitted", "under_review", "supplement_requested"}
    ended = ClockPause.objects.filter(ended_at__isnull=False)
    assert ended.exists()
    assert set(ended.values_list("outcome", flat=True)) == {"resumed"}
    assert {"under_review", "filed"} & set(ended.values_list("filing__state", flat=True))

    # Each refiled filing points to its new draft, with the same issuer, title and asset class.
    for old in Filing.objects.filter(state="refiled"):
        new = Filing.objects.get(refiled_from=old)
        assert (new.state, new.organisation_id, new.title, new.asset_class) == (
            "draft",
            old.organisation_id,
            old.title,
            old.asset_class,
        )
        refile = Event.objects.get(filing_id=old.pk, action="filing.refile")
        assert refile.data["refiled_as"] == new.reference
        assert Event.objects.get(filing_id=new.pk, action="filing.refiled_from").data["refiling_of"] == (
            old.reference
        )

    # The real services carry on from the seeded rows: a seeded pause ends, a seeded lapse refiles,
    # writing events of the same shape, and the clocks stay what the log says.
    paused = Filing.objects.filter(state="review_paused").first()
    pause = paused.pauses.get(ended_at__isnull=True)
    end_pause(filing_id=paused.pk, ended_on=local_date(timezone.now()), by=pause.started_by)
    paused.refresh_from_db()
    assert paused.state == pause.return_state
    resumed = Event.objects.filter(filing_id=paused.pk, action="filing.resume_review").order_by("sequence")
    seeded_resume = Event.objects.filter(action="filing.resume_review").exclude(pk=resumed.last().pk).first()
    assert set(resumed.last().data) == set(seeded_resume.data)
    derived = clock_columns(clocks_for_filings([paused])[paused.pk], local_date(timezone.now()))
    assert {name: getattr(paused, name) for name in CLOCK_FIELDS} == derived

    lapsed = next(
        f
        for f in Filing.objects.filter(state="lapsed")
        if f.organisation.users.filter(role="signatory").exists()
    )
    new = refile_filing(filing_id=lapsed.pk, by=lapsed.organisation.users.get(role="signatory"))
    seeded_refile = Event.objects.filter(action="filing.refile").exclude(filing_id=lapsed.pk).first()
    real_refile = Event.objects.get(filing_id=lapsed.pk, action="filing.refile")
    assert set(real_refile.data) == set(seeded_refile.data)
    seeded_from = Event.objects.filter(action="filing.refiled_from").exclude(filing_id=new.pk).first()
    assert set(Event.objects.get(filing_id=new.pk, action="filing.refiled_from").data) == set(
        seeded_from.data
    )
    assert verify_chain().ok
