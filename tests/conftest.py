"""Role fixtures shared by every test: two issuers, the regulator's staff, and a ready filing."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory

# The real-data fixture (skips locally, fails on CI when ../shared/data/real is missing), and the
# test client's force_login/login standing for a full sign-in, second factor included.
pytest_plugins = ["tests.real_data", "tests.accounts.mfa_support"]


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages built outside a request read in English in tests (pages still default to
    Chinese: the locale middleware picks the language per request)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty (in-process) cache: user ids repeat from test to test after a
    rollback, so a TOTP code one test used would read as already used by the next test's person
    (allauth accepts a code once per user), and rate-limit counts would carry over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    """A transactional test starts on a database an earlier one flushed: put back what the data
    migrations seed (the materials checklist and the review checklist) before anything uses it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from importlib import import_module

    from django.apps import apps

    from reviews.checklists import ensure_checklist_in_force

    request.getfixturevalue("transactional_db")
    import_module("filings.migrations.0002_materials_checklist").seed(apps, None)
    ensure_checklist_in_force()


@pytest.fixture
def issuer_org(db):
    return OrganisationFactory(name_zh="甲发行人有限公司", name_en="Issuer A Ltd", uscc="91330000MA27U0001R")


@pytest.fixture
def other_issuer_org(db):
    return OrganisationFactory(name_zh="乙发行人有限公司", name_en="Issuer B Ltd")


@pytest.fixture
def regulator_org(db):
    return OrganisationFactory(regulator=True)


@pytest.fixture
def preparer(issuer_org):
    return UserFactory(username="preparer", role=Role.PREPARER, organisation=issuer_org)


@pytest.fixture
def signatory(issuer_org):
    return UserFactory(username="signatory", role=Role.SIGNATORY, organisation=issuer_org)


@pytest.fixture
def other_preparer(other_issuer_org):
    return UserFactory(username="other-preparer", role=Role.PREPARER, organisation=other_issuer_org)


@pytest.fixture
def reviewer(regulator_org):
    return UserFactory(username="reviewer", role=Role.REVIEWER, organisation=regulator_org)


@pytest.fixture
def second_reviewer(regulator_org):
    return UserFactory(username="reviewer-2", role=Role.REVIEWER, organisation=regulator_org)


@pytest.fixture
def lead(regulator_org):
    return UserFactory(username="lead", role=Role.LEAD_REVIEWER, organisation=regulator_org)


@pytest.fixture
def admin_user(regulator_org):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, organisation=regulator_org)


@pytest.fixture
def draft_filing(preparer):
    from filings.services import create_filing

    return create_filing(
        organisation=preparer.organisation,
        title="测试收费收益权 2026-1",
        asset_class="toll_income",
        by=preparer,
    )


@pytest.fixture
def ready_filing(preparer, signatory):
    """A draft with every section filled and the attestations signed: it passes pre-flight."""
    from desk.demo import fill_filing
    from filings.services import create_filing

    filing = create_filing(
        organisation=preparer.organisation,
        title="测试收费收益权 2026-1",
        asset_class="toll_income",
        by=preparer,
    )
    fill_filing(filing, preparer, signatory, name_zh="甲发行人有限公司", code="91330000MA27U0001R")
    filing.refresh_from_db()
    return filing


@pytest.fixture
def gapped_filing(ready_filing):
    """The ready filing with gaps a pre-flight must find: no current tape, no true-sale opinion."""
    from assets.models import TapeImport

    TapeImport.objects.filter(pool=ready_filing.pool).update(is_current=False)
    ready_filing.documents.filter(requirement__code="TRUE-SALE-OPINION").update(is_current=False)
    return ready_filing
