"""axe-core finds no serious or critical accessibility violation on any main page, in zh-hans or en.

axe-core comes from npm (package.json / package-lock.json, installed by `make test`); it is injected
from node_modules into each page as it is, so nothing is fetched while the test runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.services import mark_ready_for_signature
from filings.services import submit_filing
from reviews import services
from reviews.checklists import ensure_checklist_in_force
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SECTIONS = ("entity", "structure", "token", "offering")

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
               v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


@pytest.fixture
def page(browser, live_server, request):
    """The conftest page, but one that lets the test inject axe past the app's CSP (script-src 'self')."""
    from tests.browser.conftest import ARTIFACTS

    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


FOCUS_RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return [e.tagName, s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2];
}"""


def mapping_upload(filing, preparer) -> int:
    """A tape waiting on the column-mapping screen: the demo's toll-road master with a header of its own."""
    import io

    from assets import services as pool_services
    from desk.demo_pool import demo_cutoff, demo_tapes
    from filings.pools import ensure_pool

    tape = (
        demo_tapes("toll_income", demo_cutoff())["assets"]
        .decode("utf-8-sig")
        .replace("资产编号", "Road ref", 1)
    )
    upload = pool_services.receive_tape(
        pool_id=ensure_pool(filing).pk,
        upload=io.BytesIO(tape.encode()),
        kind="assets",
        by=preparer,
        file_name="road-master.csv",
    )
    return upload.pk


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE))
    return [f"{url}: {line}" for line in page.evaluate(RUN_AXE)]


def set_language(page, language: str) -> None:
    page.context.add_cookies([{"name": "filingdesk_language", "value": language, "url": page.url}])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_have_no_serious_accessibility_violations(
    page, draft_filing, ready_filing, preparer, signatory, reviewer, lead, admin_user, monkeypatch, language
):
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: `make test` installs it (npm ci)")
    ensure_checklist_in_force()
    monkeypatch.setattr("filings.services.queue_submission_dossiers", lambda **kwargs: None)
    mark_ready_for_signature(filing_id=ready_filing.pk, by=preparer, note="请签署")  # the signatory's bell
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    assignment = services.assign_reviewer(filing_id=ready_filing.pk, reviewer_id=reviewer.pk, by=lead)
    services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)
    services.accept_filing(filing_id=ready_filing.pk, by=lead)
    upload = mapping_upload(draft_filing, preparer)
    draft, submitted = draft_filing.reference, ready_filing.reference
    found: list[str] = []

    page.goto("/accounts/login/")
    set_language(page, language)
    found += violations(page, "/accounts/login/")
    found += violations(page, "/register/")

    login(page, preparer.username, PASSWORD)
    set_language(page, language)
    found += violations(page, "/")
    for url in [
        "/filings/new/",
        f"/filings/{draft}/",
        *(f"/filings/{draft}/section/{section}/" for section in SECTIONS),
        f"/filings/{draft}/attestations/",
        f"/filings/{draft}/documents/",
        f"/filings/{draft}/pool/",
        f"/filings/{draft}/pool/uploads/{upload}/mapping/",
        f"/filings/{draft}/preflight/",
        f"/filings/{draft}/consultations/",
        f"/filings/{draft}/delegations/",
        "/notifications/",
        f"/filings/{submitted}/",
        f"/filings/{submitted}/pool/",
        f"/filings/{submitted}/history/",
    ]:
        found += violations(page, url)
    page.context.clear_cookies()

    login(page, signatory.username, PASSWORD)
    set_language(page, language)
    for url in ["/", "/notifications/"]:  # the task inbox and the bell, then the notifications
        found += violations(page, url)
    page.context.clear_cookies()

    login(page, reviewer.username, PASSWORD)
    set_language(page, language)
    pages = ("", "checklist/", "items/", "decision/")
    for url in ["/", "/notifications/", *(f"/review/{submitted}/{page_}" for page_ in pages)]:
        found += violations(page, url)
    page.context.clear_cookies()

    login(page, lead.username, PASSWORD)
    set_language(page, language)
    for url in ["/", "/review/", f"/review/{submitted}/", f"/filings/{submitted}/pauses/", "/notifications/"]:
        found += violations(page, url)
    page.context.clear_cookies()

    login(page, admin_user.username, PASSWORD)
    set_language(page, language)
    for url in ["/", "/audit/"]:
        found += violations(page, url)

    assert not found, "\n".join(found)


def test_keyboard_reaches_content_first_and_always_shows_where_it_is(page, preparer, draft_filing):
    login(page, preparer.username, PASSWORD)
    set_language(page, "en")
    page.goto(f"/filings/{draft_filing.reference}/section/entity/")

    page.keyboard.press("Tab")  # the first stop is "Skip to content", shown when focused
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    rings: list[list] = []
    while len(rings) < 60 and not (rings and rings[-1][0] in ("INPUT", "SELECT", "TEXTAREA")):
        page.keyboard.press("Tab")  # through the filing's links to the form's first field
        rings.append(page.evaluate(FOCUS_RING))
    assert [tag for tag, ringed in rings if not ringed] == []
    assert rings[0][0] == "A" and rings[-1][0] in ("INPUT", "SELECT", "TEXTAREA")
