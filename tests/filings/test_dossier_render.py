"""The dossier of a submitted snapshot: content, contents page, diagram and charts, embedded files,
repeatable text, the seal, and the reviewer copy. Rendered a few times per module and shared, since
WeasyPrint takes seconds per dossier."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from audit.selectors import events_for_filing
from audit.services import filing_head_hash
from filings.dossier.pdf import DossierRenderError, extract_attachments, extract_text
from filings.dossier.render import RenderedDossier, build_html, render_dossier
from filings.dossier.signing import SigningIdentityPaths, create_dev_signing_identity, verify_pdf
from filings.services import transition_filing
from filings.snapshot import canonical_bytes, sha256_of
from tests.filings import dossier_support as support

PROVIDER = "tests.filings.dossier_support.review_history"
# Every test counts as a database test, so the test database exists before the module fixture runs.
pytestmark = pytest.mark.django_db


@dataclass
class Rendered:
    dossier: RenderedDossier
    text: str
    pages: list[str]


@dataclass
class Case:
    reference: str
    receipt_number: str
    version: int
    sha256: str
    snapshot_json: bytes
    document_sha256: str
    submit_head: str
    live_head: str
    identity: SigningIdentityPaths
    pool: dict
    tapes: dict[str, bytes]
    zh: Rendered
    zh_again: Rendered
    en_reviewer: Rendered
    fallback_html: str


def _rendered(dossier: RenderedDossier) -> Rendered:
    return Rendered(dossier, dossier.text, dossier.text.split("\f"))


@pytest.fixture(scope="module")
def case(django_db_setup, django_db_blocker, tmp_path_factory) -> Case:
    """One filing whose pool is really imported, submitted through the real pre-flight check and then
    accepted; its snapshot rendered three times. Rolled back after."""
    from accounts.models import Role
    from assets.selectors import tape_bytes
    from desk.demo import fill_filing
    from filings.services import create_filing
    from tests.factories import OrganisationFactory, UserFactory

    identity = create_dev_signing_identity(
        tmp_path_factory.mktemp("seal"), common_name="Filing Desk Test Seal", passphrase=support.PASSPHRASE
    )
    # The listing bound is the same code at 20 rows as at 200 (test_listings_stop_at_200_rows), at a
    # tenth of WeasyPrint's time.
    short_listings = mock.patch("filings.dossier.pool.MAX_LISTED_ROWS", 20)
    seal = override_settings(
        DOSSIER_SIGNING_P12=identity.signer_p12,
        DOSSIER_SIGNING_PASSPHRASE=support.PASSPHRASE,
        DOSSIER_REVIEW_HISTORY_PROVIDER=PROVIDER,
    )
    with django_db_blocker.unblock(), seal, short_listings, transaction.atomic():
        org = OrganisationFactory(name_zh="甲发行人有限公司", name_en="Issuer A Ltd")
        preparer = UserFactory(username="d-preparer", role=Role.PREPARER, organisation=org)
        signatory = UserFactory(username="d-signatory", role=Role.SIGNATORY, organisation=org)
        lead = UserFactory(
            username="d-lead", role=Role.LEAD_REVIEWER, organisation=OrganisationFactory(regulator=True)
        )
        filing = create_filing(
            organisation=org, title="测试收费收益权 2026-1", asset_class="toll_income", by=preparer
        )
        # The demo tapes go through the real import service (fill_filing); the pool is what it computed.
        fill_filing(filing, preparer, signatory, name_zh="甲发行人有限公司", code="91330000MA27U0001R")
        document = support.upload_filing_report(filing, preparer)
        snapshot = support.submit(filing, signatory)
        submit_head = filing_head_hash(filing.pk)
        transition_filing(filing_id=filing.pk, name="accept", by=lead)  # history moves on after the snapshot
        filing.refresh_from_db()

        def render(language: str, copy: str) -> Rendered:
            return _rendered(render_dossier(snapshot, language=language, copy=copy))  # tapes from storage

        result = Case(
            reference=filing.reference,
            receipt_number=filing.receipt_number,
            version=snapshot.version,
            sha256=snapshot.sha256,
            snapshot_json=canonical_bytes(snapshot.data),
            document_sha256=document.sha256,
            submit_head=submit_head,
            live_head=filing_head_hash(filing.pk),
            identity=identity,
            pool=snapshot.data["pool"],
            tapes={tape["sha256"]: tape_bytes(tape["sha256"]) for tape in snapshot.data["pool"]["tapes"]},
            zh=render("zh-hans", "issuer"),
            zh_again=render("zh-hans", "issuer"),
            en_reviewer=render("en", "reviewer"),
            fallback_html="",
        )
        with override_settings(DOSSIER_REVIEW_HISTORY_PROVIDER="tests.nowhere.provider"):
            result.fallback_html = build_html(snapshot, language="en", copy="reviewer")[0]
        transaction.set_rollback(True)
    return result


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_cover_names_the_filing_receipt_and_snapshot(case: Case) -> None:
    cover = case.zh.pages[0]

    assert "测试收费收益权 2026-1" in cover
    assert case.reference in cover
    assert case.receipt_number and case.receipt_number in cover
    assert "甲发行人有限公司" in cover
    assert case.sha256 in flat(cover)
    assert re.search(r"Snapshot version\s*1|快照版本\s*1", cover)


def test_pages_carry_chinese_page_numbers_and_the_reference(case: Case) -> None:
    total = case.zh.dossier.page_count

    assert f"第 2 页 / 共 {total} 页" in case.zh.pages[1]
    assert f"第 {total} 页 / 共 {total} 页" in case.zh.pages[-1]
    assert all(case.reference in page for page in case.zh.pages[1:])
    assert "Page 2 of" in case.en_reviewer.pages[1]


def test_contents_give_the_page_each_chapter_starts_on(case: Case) -> None:
    contents = case.en_reviewer.pages[1]
    for title in ("Transaction structure", "Asset pool", "Event history", "Review history"):
        found = re.search(rf"\d+\s+{title}\s*\.+\s*(\d+)", contents)
        assert found, title
        page = int(found[1])
        assert case.en_reviewer.pages[page - 1].lstrip().split("\n")[1:3], title
        assert title in case.en_reviewer.pages[page - 1]


def test_chapters_and_sections_are_bookmarked(case: Case) -> None:
    reader = pypdf.PdfReader(io.BytesIO(case.en_reviewer.dossier.pdf))
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(re.sub(r"\s+", " ", item.title))

    walk(reader.outline)
    assert "2 Transaction structure" in titles
    assert "2.1 Structure diagram" in titles
    assert "5 Asset pool" in titles


def test_structure_diagram_shows_parties_spv_accounts_and_flows(case: Case) -> None:
    page = next(
        page for page in case.en_reviewer.pages if "Structure diagram" in page and "Asset transfer" in page
    )

    labels = ["SPV / token issuer", "Demo ABS Token Issuer Limited", "Custodian", "Investors"]
    labels += ["Purchase price", "Collections swept", "Tokens delivered", "Collection account"]
    assert [label for label in labels if label not in page] == []


def test_pool_chapter_prints_what_the_import_computed(case: Case) -> None:
    text = " ".join(case.en_reviewer.text.split())
    income = case.pool["income"]

    assert "Asset pool" in text and "Income-right metrics" in text
    assert case.pool["tape"]["file_name"] in text
    for year, total in income["annual_revenue"]["totals"].items():
        assert year in text and f"{Decimal(total):,.2f}" in text
    first_payment = dt.date.fromisoformat(income["coverage"][0]["payment_date"])
    assert f"{first_payment.day} {first_payment:%b %Y}" in text  # the English copy's one date format


def test_pool_chapter_prints_overview_strata_and_bounded_exceptions() -> None:
    """The formatting of a receivable pool's chapter, on a hand-written pool (no submission)."""
    from filings.dossier.pool import pool_section

    with translation.override("en"), mock.patch("filings.dossier.pool.MAX_LISTED_ROWS", 20):
        section = pool_section(support.POOL)
    printed = repr(section)

    assert "9,876,543.21" in printed  # total outstanding
    assert "up to CNY 1m" in printed
    assert section["limit"] == 20 and section["exceptions_total"] == support.INELIGIBLE
    assert "杭州某物流有限公司" in printed
    assert "31,000,000.00" in printed


def test_listings_stop_at_200_rows() -> None:
    from filings.dossier.pool import pool_section

    with translation.override("en"):
        section = pool_section(support.POOL | {"exceptions": [{"asset_id": f"A{i}"} for i in range(1000)]})

    assert (len(section["exceptions"].rows), section["exceptions_total"]) == (200, 1000)


def test_document_index_lists_versions_and_hashes(case: Case) -> None:
    assert case.document_sha256 in flat(case.zh.text)
    assert "备案报告.pdf" in flat(case.zh.text)


def test_history_ends_at_the_snapshot_with_the_chain_head_then(case: Case) -> None:
    assert case.submit_head != case.live_head
    assert case.submit_head in flat(case.zh.text)
    assert case.live_head not in flat(case.zh.text)
    assert "filing.submit" in case.zh.text and "filing.accept" not in case.zh.text


def test_embedded_tape_and_snapshot_extract_byte_for_byte(case: Case) -> None:
    files = extract_attachments(case.zh.dossier.pdf)

    main = case.pool["tape"]
    others = [t for t in case.pool["tapes"] if t["sha256"] != main["sha256"]]
    assert files == {
        f"{case.reference}-v1-snapshot.json": case.snapshot_json,
        f"{case.reference}-v1-asset-tape.csv": case.tapes[main["sha256"]],
        **{
            f"{case.reference}-v1-{t['kind'].replace('_', '-')}-tape.csv": case.tapes[t["sha256"]]
            for t in others
        },
    }
    assert {hashlib.sha256(content).hexdigest() for content in case.tapes.values()} == set(case.tapes)
    assert [entry["filename"] for entry in case.zh.dossier.attachments] == list(files)


def test_same_snapshot_gives_the_same_text_and_files(case: Case) -> None:
    first, second = case.zh.dossier, case.zh_again.dossier

    assert extract_text(second.pdf) == case.zh.text  # the second sealed file reads as the first
    assert extract_attachments(first.pdf) == extract_attachments(second.pdf)
    assert (first.content_sha256, first.text_sha256) == (second.content_sha256, second.text_sha256)
    assert first.sha256 != second.sha256  # only the seal (its time) differs


def test_seal_verifies_and_a_changed_byte_breaks_it(case: Case) -> None:
    pdf = case.zh.dossier.pdf
    result = verify_pdf(pdf, trust_roots=[case.identity.ca_cert])
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01

    assert case.zh.dossier.signed
    assert (result.valid, result.intact, result.trusted, result.covers_whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert "Filing Desk Test Seal" in case.zh.dossier.signer
    assert verify_pdf(bytes(tampered), trust_roots=[case.identity.ca_cert]).valid is False


def test_sealed_dossier_is_a_tagged_pdf_a3a_a_screen_reader_can_follow(case: Case) -> None:
    for rendered in (case.zh, case.en_reviewer):
        pdf = rendered.dossier.pdf
        roles = support.structure_roles(pdf)
        xmp = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()

        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
        assert roles["H1"] >= 5 and roles["Table"] >= 5 and roles["TH"] >= 10  # chapters, headed tables
        assert verify_pdf(pdf, trust_roots=[case.identity.ca_cert]).valid
        assert list(extract_attachments(pdf)) == [entry["filename"] for entry in rendered.dossier.attachments]


def test_reviewer_copy_carries_the_review_history_and_the_issuer_copy_not(case: Case) -> None:
    reviewer = case.en_reviewer.text

    assert "Review history" in reviewer
    assert "Toll licence checked against the provincial register" in reviewer
    assert "Give the SPV's LEI" in reviewer
    assert "Reviewer copy" in case.en_reviewer.pages[0]
    assert "Review history" not in case.zh.text
    assert "Toll licence checked" not in case.zh.text


def test_without_a_review_provider_the_reviewer_copy_lists_review_events(case: Case) -> None:
    assert "Review and lifecycle events" in case.fallback_html
    assert "filing.accept" in case.fallback_html


def test_without_a_tape_the_pool_chapter_says_so(draft_filing, signatory) -> None:
    snapshot = support.minimal_snapshot(draft_filing, signatory)

    html, content = build_html(snapshot, language="en", copy="issuer")

    assert "No asset tape was imported for this filing" in html
    assert [a.filename for a in content.attachments] == [f"{draft_filing.reference}-v1-snapshot.json"]


def test_tape_missing_from_storage_is_named_not_embedded(draft_filing, preparer, signatory) -> None:
    snapshot = support.imported_pool_snapshot(draft_filing, preparer, signatory)
    main = snapshot.data["pool"]["tape"]["sha256"]

    html, content = build_html(snapshot, language="en", copy="issuer", tape_source=lambda sha: None)

    assert f"The asset tape with SHA-256 {main} was not found" in html
    assert len(content.attachments) == 1


def test_tape_that_does_not_match_its_hash_is_refused(draft_filing, preparer, signatory) -> None:
    from assets.selectors import tape_bytes

    snapshot = support.imported_pool_snapshot(draft_filing, preparer, signatory)

    with pytest.raises(DossierRenderError, match="does not match"):
        build_html(snapshot, language="en", copy="issuer", tape_source=lambda sha: tape_bytes(sha) + b"x")


def test_altered_snapshot_is_refused(draft_filing, signatory) -> None:
    snapshot = support.minimal_snapshot(draft_filing, signatory)
    snapshot.data["title"] = "changed after submission"

    with pytest.raises(DossierRenderError, match="does not match its SHA-256"):
        build_html(snapshot, language="en", copy="issuer")


def test_command_writes_the_dossier(draft_filing, signatory, tmp_path: Path, settings) -> None:
    settings.DOSSIER_SIGNING_P12 = tmp_path / "absent.p12"
    support.minimal_snapshot(draft_filing, signatory)
    out = tmp_path / "dossier.pdf"
    stdout = io.StringIO()

    call_command("render_dossier", draft_filing.reference, "--lang", "en", "-o", str(out), stdout=stdout)

    reader = pypdf.PdfReader(out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert reader.metadata.title == "测试收费收益权 2026-1 · Issuance dossier"
    assert draft_filing.reference in reader.metadata.get("/Keywords", "")
    assert "NOT signed" in stdout.getvalue()
    assert "dossier.render" not in [e.action for e in events_for_filing(draft_filing.pk)]  # no job, no event


def test_command_refuses_an_unsubmitted_filing(draft_filing, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="has not been submitted"):
        call_command("render_dossier", draft_filing.reference, "-o", str(tmp_path / "x.pdf"))


def test_every_current_table_of_an_income_right_is_embedded(draft_filing, signatory) -> None:
    history = b"period,gross_revenue\n2026-09,2500000.00\n"
    history_sha = hashlib.sha256(history).hexdigest()
    pool = support.POOL | {
        "tapes": [
            support.POOL["tape"] | {"kind": "assets"},
            {"kind": "history", "sha256": history_sha, "file_name": "月度收入.xlsx"},
        ]
    }
    snapshot = support.minimal_snapshot(draft_filing, signatory, pool=pool)
    stored = {support.TAPE_SHA256: support.TAPE, history_sha: history}

    _html, content = build_html(snapshot, language="en", copy="issuer", tape_source=stored.get)

    base = f"{draft_filing.reference}-v1"
    assert [(a.filename, a.mime_type) for a in content.attachments] == [
        (f"{base}-snapshot.json", "application/json"),
        (f"{base}-asset-tape.csv", "text/csv"),
        (f"{base}-history-tape.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]


def test_waivers_print_with_their_ruling(draft_filing, signatory) -> None:
    snapshot = support.minimal_snapshot(draft_filing, signatory)
    snapshot.data["waivers"] = [
        {
            "rule_code": "POOL-N-EFF",
            "field": "assets.n_eff",
            "justification": "Granular auto-lease pool",
            "status": "granted",
            "requested_by": "signatory",
            "requested_at": "2026-11-20T09:00:00+08:00",
            "ruling": {"by": "lead", "at": "2026-11-21T10:00:00+08:00", "note": "Accepted for this pool"},
        }
    ]
    snapshot.sha256 = sha256_of(snapshot.data)

    html, _content = build_html(snapshot, language="en", copy="issuer")

    assert "POOL-N-EFF" in html and "Accepted for this pool" in html
    assert "2026-11-21 10:00:00 (UTC+08:00)" in html
