"""Review fixtures: people and a filled draft built once per module; the filing submitted, accepted."""

from __future__ import annotations

import pytest
from django.db import transaction

from accounts.models import Organisation, Role, User
from filings.models import Filing
from filings.services import submit_filing
from reviews import services
from tests.reviews.helpers import clear, refresh

# The people and the filled draft of the root conftest, built once per module: filling a filing
# uploads its documents and imports its asset tapes (about half a second), and almost every review
# test starts from one. They live in a transaction held open for the module; each test runs in a
# savepoint inside it and is rolled back to this state (Django's setUpTestData, for pytest).

PEOPLE = {
    # fixture name: (username, role, organisation key)
    "preparer": ("preparer", Role.PREPARER, "issuer_org"),
    "signatory": ("signatory", Role.SIGNATORY, "issuer_org"),
    "other_preparer": ("other-preparer", Role.PREPARER, "other_issuer_org"),
    "reviewer": ("reviewer", Role.REVIEWER, "regulator_org"),
    "second_reviewer": ("reviewer-2", Role.REVIEWER, "regulator_org"),
    "lead": ("lead", Role.LEAD_REVIEWER, "regulator_org"),
    "admin_user": ("admin", Role.ADMINISTRATOR, "regulator_org"),
}


def _build_world() -> dict[str, int]:
    from desk.demo import fill_filing
    from filings.services import create_filing
    from tests.factories import OrganisationFactory, UserFactory

    orgs = {
        "issuer_org": OrganisationFactory(
            name_zh="甲发行人有限公司", name_en="Issuer A Ltd", uscc="91330000MA27U0001R"
        ),
        "other_issuer_org": OrganisationFactory(name_zh="乙发行人有限公司", name_en="Issuer B Ltd"),
        "regulator_org": OrganisationFactory(regulator=True),
    }
    people = {
        name: UserFactory(username=username, role=role, organisation=orgs[org])
        for name, (username, role, org) in PEOPLE.items()
    }
    filing = create_filing(
        organisation=orgs["issuer_org"],
        title="测试收费收益权 2026-1",
        asset_class="toll_income",
        by=people["preparer"],
    )
    fill_filing(
        filing, people["preparer"], people["signatory"], name_zh="甲发行人有限公司", code="91330000MA27U0001R"
    )
    return {
        **{k: v.pk for k, v in orgs.items()},
        **{k: v.pk for k, v in people.items()},
        "ready_filing": filing.pk,
    }


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _org(name):
    @pytest.fixture
    def fixture(_world, db):
        return Organisation.objects.get(pk=_world[name])

    return fixture


def _person(name):
    @pytest.fixture
    def fixture(_world, db):
        return User.objects.get(pk=_world[name])

    return fixture


issuer_org = _org("issuer_org")
other_issuer_org = _org("other_issuer_org")
regulator_org = _org("regulator_org")
preparer = _person("preparer")
signatory = _person("signatory")
other_preparer = _person("other_preparer")
reviewer = _person("reviewer")
second_reviewer = _person("second_reviewer")
lead = _person("lead")
admin_user = _person("admin_user")


@pytest.fixture
def ready_filing(_world, db) -> Filing:
    """The root conftest's ready filing: every section filled, documents uploaded, tapes imported."""
    return Filing.objects.get(pk=_world["ready_filing"])


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def opinion_document(ready_filing, preparer):
    """A true-sale opinion uploaded before submission, so snapshots carry a document to cite."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings.services import upload_document

    current = ready_filing.documents.filter(requirement__code="TRUE-SALE-OPINION", is_current=True).first()
    if current is not None:  # the demo filling already uploads one
        return current

    return upload_document(
        filing_id=ready_filing.pk,
        requirement_code="TRUE-SALE-OPINION",
        by=preparer,
        upload=SimpleUploadedFile("true-sale.pdf", PDF_BYTES, content_type="application/pdf"),
        signer_count=2,
        conclusion_text="构成真实出售。",
    )


@pytest.fixture
def settles_in_hkd(ready_filing, preparer) -> str:
    """Settling in HKD while offering in USD raises the CONS-CURRENCY warning; returns its code.
    Request it before ``submitted`` so the snapshot freezes the warning."""
    from filings.services import update_section

    update_section(
        filing_id=ready_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=refresh(ready_filing).token.version,
        by=preparer,
    )
    return "CONS-CURRENCY"


@pytest.fixture
def submitted(ready_filing, signatory, opinion_document) -> Filing:
    """Snapshot 1, with the regulator, nobody assigned yet."""
    from filings.errors import BlockingFindingsError

    try:
        submit_filing(filing_id=ready_filing.pk, by=signatory)
    except BlockingFindingsError as error:
        codes = sorted({f.code for f in error.findings})
        pytest.fail(
            f"ready_filing no longer passes pre-flight ({', '.join(codes)}): the review tests need a "
            "filing that submit_filing accepts",
            pytrace=False,
        )
    return refresh(ready_filing)


@pytest.fixture
def assigned(submitted, reviewer, lead) -> Filing:
    """The reviewer is assigned and has declared no conflict."""
    clear(submitted, reviewer, lead)
    return refresh(submitted)


@pytest.fixture
def under_review(assigned, lead) -> Filing:
    """Accepted by the lead: round 1 is open, the review clock runs."""
    services.accept_filing(filing_id=assigned.pk, by=lead)
    return refresh(assigned)
