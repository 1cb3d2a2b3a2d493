"""Issue 16's "Done when": the whole journey walked in a real browser, in zh-hans and in en. A filing is
created, its asset tape imported through the column-mapping screen, its documents uploaded several at
once, pre-flight run, the draft handed to the signatory, signed and submitted; the lead assigns, the
reviewer declares no conflict and answers the checklist in place, a supplement round goes out and comes
back, the decision is drafted and confirmed by a second person, and the administrator reads the audit
log. Every page on the way answers without a 5xx, shows no raw code or Python literal, and axe-core finds
no serious or critical violation on it."""

from __future__ import annotations

import csv
import io
import re

import pytest

from desk.demo import demo_pdf, fill_filing, import_demo_pool, upload_demo_documents
from desk.demo_pool import demo_cutoff, demo_tapes
from filings.models import Filing
from filings.selectors import requirements_for
from reviews.checklists import ensure_checklist_in_force
from tests.browser.conftest import ARTIFACTS, login
from tests.browser.test_axe import AXE, RUN_AXE
from tests.browser.test_document_drop import drop
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "旅程测试收费收益权 2027-1"
QUESTION = "请说明特殊目的载体的注册编号。"
RENAMED = ("资产编号", "Road ref")  # a header the importer does not know: the mapping screen asks for it
WORDS = {
    "zh-hans": {"lang": "zh-Hans", "complete": "每个必填列都有来源", "ready": "待签署"},
    "en": {"lang": "en", "complete": "Every required column has a source", "ready": "Ready for signature"},
}
# A code as the database stores it (two or more lower-case words joined by "_"), not part of a dotted
# data path or a file name; Python's literals as `str()` prints them, standing alone (not words of a
# sentence such as "None drafted" or "None.", nor "True-sale").
SNAKE = re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/-])")
LITERALS = re.compile(r"(?<![\w-])(True|False|None)(?![\w.-]| [a-z])|\[\]|\{\}|\{'")


@pytest.fixture
def page(browser, live_server, request):
    """A page that lets the test inject axe past the app's CSP (script-src 'self'), as test_axe does;
    every response of 500 or more is noted on it."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.server_errors = []
    page.on(
        "response",
        lambda response: (
            page.server_errors.append(f"{response.status} {response.url}") if response.status >= 500 else None
        ),
    )
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" and the like
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


class Walk:
    """Checks each page the journey reaches; what it finds is gathered and reported at the end."""

    def __init__(self, page, language: str) -> None:
        self.page, self.language, self.found, self.seen = page, language, [], 0

    def check(self, where: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        assert page.get_attribute("html", "lang") == WORDS[self.language]["lang"], where
        self.seen += 1
        path = page.url.split("//", 1)[1].split("/", 1)[1]
        text = page.inner_text("body")
        for match in SNAKE.finditer(text):
            self.found.append(f"{where} /{path}: raw code {match.group(0)!r} in …{context(text, match)}…")
        for match in LITERALS.finditer(text):
            self.found.append(
                f"{where} /{path}: Python literal {match.group(0)!r} in …{context(text, match)}…"
            )
        page.add_script_tag(path=str(AXE))
        self.found += [f"{where} /{path}: axe {line}" for line in page.evaluate(RUN_AXE)]
        self.found += [f"{where}: {error}" for error in page.server_errors]
        page.server_errors.clear()

    def report(self) -> str:
        """Each finding once (the same code on the same page is one finding), in the order met."""
        first: dict[str, str] = {}
        for line in self.found:
            first.setdefault(line.split(" in …")[0], line)
        return "\n".join(first.values())

    def goto(self, url: str, where: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{where}: {url} answered {response.status}"
        self.check(where)


def context(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")


def as_user(page, user) -> None:
    page.context.clear_cookies()
    login(page, user.username, PASSWORD)


def mapped_tape(cutoff) -> bytes:
    """The demo's toll-road master tape as another system exports it: its id column under a header of
    its own, so the import goes through the mapping screen."""
    rows = list(csv.reader(io.StringIO(demo_tapes("toll_income", cutoff)["assets"].decode("utf-8-sig"))))
    rows[0] = [RENAMED[1] if header == RENAMED[0] else header for header in rows[0]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_whole_journey_without_a_raw_code_a_5xx_or_an_accessibility_violation(
    page, preparer, signatory, reviewer, lead, admin_user, monkeypatch, language, tmp_path
):
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: `make test` installs it (npm ci)")
    ensure_checklist_in_force()  # a transactional test database starts flushed
    # Each submission renders two dossiers in-process (tens of seconds); tests/filings covers them.
    monkeypatch.setattr("filings.services.queue_submission_dossiers", lambda **kwargs: None)
    for person in (preparer, signatory, reviewer, lead, admin_user):
        person.language = language
        person.save(update_fields=["language"])
    walk, words = Walk(page, language), WORDS[language]

    # The preparer creates the filing.
    as_user(page, preparer)
    walk.check("preparer dashboard")
    walk.goto("/filings/new/", "new filing")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=asset_class]", "toll_income")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=reference]")
    walk.check("filing created")
    filing = Filing.objects.get(title=TITLE)
    ref = filing.reference
    # The sections as the demo fills them; documents and tapes come through the browser below.
    fill_filing(
        filing,
        preparer,
        signatory,
        name_zh="甲发行人有限公司",
        code="91330000MA27U0001R",
        documents=False,
        pool=False,
    )

    # The asset tape, through the mapping screen.
    cutoff = demo_cutoff()
    tape = tmp_path / "road-master.csv"
    tape.write_bytes(mapped_tape(cutoff))
    walk.goto(f"/filings/{ref}/pool/", "pool, empty")
    page.set_input_files("input[name=file]", str(tape))
    page.select_option("select[name=kind]", "assets")
    page.fill("input[name=cutoff_date]", cutoff.isoformat())
    page.check("input[name=review_mapping]")
    page.click("[data-testid=upload-tape]")
    page.wait_for_selector("[data-testid=mapping-form]")
    walk.check("mapping screen")
    page.evaluate("() => { window.journeyMarker = 'mapping'; }")
    page.select_option("select[name=col__asset_id]", RENAMED[1])
    page.wait_for_selector("[data-testid=required-complete]")
    assert page.inner_text("[data-testid=required-complete]") == words["complete"]
    assert page.evaluate("() => window.journeyMarker") == "mapping"  # the panel changed in place
    walk.check("mapping screen, complete")
    page.click("[data-testid=import-with-mapping]")
    page.wait_for_selector("[data-outcome=accepted]", timeout=30_000)
    walk.check("import report")
    import_demo_pool(filing, preparer, skip={"assets"})  # the history, forecast and debt-service tapes
    walk.goto(f"/filings/{ref}/pool/", "pool")

    # The documents, several files at once; the legal opinions (which need their signers and
    # conclusion) one by one as the demo uploads them.
    walk.goto(f"/filings/{ref}/documents/", "documents")
    page.wait_for_selector("#bulk-upload:not([hidden])")
    page.evaluate("() => { window.journeyMarker = 'documents'; }")
    plain = [r.code for r in requirements_for(filing) if not r.is_legal_opinion]
    files = [(f"{code}.pdf", demo_pdf(code)) for code in plain]
    page.set_input_files(  # most picked at once in the file dialog, the last dropped on the zone
        "#bulk-files",
        [{"name": name, "mimeType": "application/pdf", "buffer": content} for name, content in files[:-1]],
    )
    drop(page, "[data-drop-zone]", files[-1:])
    assert page.locator("[data-bulk-row]").count() == len(plain)
    for number, code in enumerate(plain, start=1):
        page.select_option(f"[data-bulk-row]:nth-child({number}) [data-kind]", code)
    walk.check("documents, files queued")
    page.click("[data-bulk-submit]")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-bulk-row][data-state=done]').length === n", arg=len(plain)
    )
    assert page.evaluate("() => window.journeyMarker") == "documents"  # no reload
    walk.check("documents, uploaded")
    upload_demo_documents(filing, preparer)

    # Pre-flight (a small pool: checked as the page opens) finds nothing blocking.
    walk.goto(f"/filings/{ref}/preflight/", "pre-flight")
    summary = page.inner_text("[data-testid=preflight-summary]")
    assert summary.startswith("0 "), page.inner_text("main")

    # The preparer hands the draft to the signatory.
    walk.goto(f"/filings/{ref}/", "filing")
    page.click("[data-testid=handoff] summary")
    page.click("[data-testid=mark-ready]")
    page.wait_for_selector("[data-testid=ready-for-signature]")
    assert words["ready"] in page.inner_text("[data-testid=ready-for-signature]")
    walk.check("handed to the signatory")

    # The signatory is told (bell, task inbox, notifications) and signs and submits.
    as_user(page, signatory)
    assert page.inner_text("[data-testid=bell-count]") == "1"
    assert page.locator("[data-testid=task-ready_for_signature]").count() == 1
    walk.check("signatory dashboard")
    page.click("[data-testid=bell]")
    page.wait_for_selector("[data-testid=notification]")
    walk.check("notifications")
    walk.goto(f"/filings/{ref}/", "filing, signatory")
    page.click("[data-testid=do-submit]")
    page.wait_for_selector("[data-testid=confirm-go]")
    walk.check("submit confirmation")
    page.click("[data-testid=confirm-go]")
    page.wait_for_selector(".messages .success")
    walk.check("submitted")
    assert Filing.objects.get(pk=filing.pk).state == "submitted"

    # The lead assigns the reviewer and accepts the filing.
    as_user(page, lead)
    walk.check("lead dashboard")
    walk.goto("/review/", "review queue")
    walk.goto(f"/review/{ref}/", "workspace")
    page.select_option("[data-testid=assign-form] select", str(reviewer.pk))
    page.click("[data-testid=assign]")
    page.wait_for_load_state("load")
    walk.check("assigned")
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=confirm-go]")
    walk.check("accept confirmation")
    page.click("[data-testid=confirm-go]")
    page.wait_for_selector("[data-testid=state]")
    assert "under_review" in page.locator("[data-testid=state]").first.get_attribute("class")
    walk.check("accepted")

    # The reviewer declares no conflict.
    as_user(page, reviewer)
    walk.check("reviewer dashboard")
    walk.goto("/review/", "reviewer queue")
    page.click(f"[data-testid=declare-{ref}]")
    page.wait_for_selector("[data-testid=declare]")
    walk.check("declaration")
    page.check("input[name=conflict][value=no]")
    page.click("[data-testid=declare]")
    page.wait_for_load_state("load")
    walk.check("declared")

    # The checklist: one item on its own, the rest together on shared evidence, all in place.
    walk.goto(f"/review/{ref}/checklist/", "checklist")
    navigations: list[str] = []
    page.on(
        "framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None
    )
    page.evaluate("() => { window.journeyMarker = 'checklist'; }")
    codes = page.eval_on_selector_all("tr[data-code]", "rows => rows.map(r => r.dataset.code)")
    assert len(codes) >= 30
    first = page.locator(f"tr[data-code={codes[0]}]")
    first.locator("summary").click()
    first.locator("input[name=verdict][value=satisfied]").check()
    first.locator("input[name=evidence_path]").fill("structure.spv_name")
    first.locator(f"[data-testid=save-{codes[0]}]").click()
    page.wait_for_selector(f"[data-testid=saved-{codes[0]}]")
    for code in codes[1:]:
        page.locator(f"tr[data-code={code}] input[name=items]").check()
    page.fill("#path-bulk", "structure.spv_name")
    page.click("[data-testid=bulk-satisfied]")
    page.wait_for_selector("[data-testid=bulk-done]")
    assert page.locator("[data-testid=verdict]").count() == len(codes)
    assert page.evaluate("() => window.journeyMarker") == "checklist" and navigations == []
    walk.check("checklist answered")

    # A supplement request goes out, with its summary first.
    walk.goto(f"/review/{ref}/items/", "items")
    page.fill("#id_question", QUESTION)
    page.fill("#id_anchor_path", "structure.spv_registration_no")
    page.fill("#id_citation", "证监会公告〔2026〕1号")
    page.click("[data-testid=draft-item]")
    page.wait_for_selector("article[data-status=draft]")
    walk.check("item drafted")
    page.click("[data-testid=send]")
    page.wait_for_selector("[data-testid=confirm-go]")
    walk.check("send confirmation")
    page.click("[data-testid=confirm-go]")
    page.wait_for_selector("[data-testid=notice-text-zh]")
    walk.check("notice")

    # The issuer answers and resubmits.
    as_user(page, preparer)
    walk.check("preparer dashboard, items to answer")
    walk.goto(f"/filings/{ref}/", "filing, supplement requested")
    page.click("[data-testid=answer-items]")
    page.wait_for_selector("article[data-number='1'] textarea")
    walk.check("supplement")
    page.locator("article[data-number='1'] textarea").fill("注册编号见 SPV 注册证书。")
    page.click("[data-testid=answer-1]")
    page.wait_for_selector("[data-testid=answered-count][data-answered='1']")
    walk.check("answered")
    as_user(page, signatory)
    walk.goto(f"/review/{ref}/supplement/", "supplement, signatory")
    page.click("[data-testid=resubmit]")
    page.wait_for_load_state("load")
    walk.check("resubmitted")
    assert Filing.objects.get(pk=filing.pk).state == "under_review"  # back with the reviewer

    # The reviewer accepts the answer and drafts the decision.
    as_user(page, reviewer)
    walk.goto(f"/review/{ref}/items/", "items, answered")
    page.click("[data-testid=accept-1]")
    page.wait_for_load_state("load")
    walk.check("answer accepted")
    walk.goto(f"/review/{ref}/decision/", "decision")
    page.check("input[name=kind][value=file]")
    page.click("[data-testid=draft-decision-submit]")
    page.wait_for_selector("[data-testid=confirm-go]")
    walk.check("decision confirmation")
    page.click("[data-testid=confirm-go]")
    page.wait_for_selector("[data-testid=drafted]")
    walk.check("decision drafted")

    # A second person, the lead, confirms it.
    as_user(page, lead)
    walk.check("lead dashboard, decision to confirm")
    walk.goto(f"/review/{ref}/decision/", "decision, lead")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=confirm-go]")
    walk.check("confirm confirmation")
    page.click("[data-testid=confirm-go]")
    page.wait_for_selector("[data-testid=drafted]", state="detached")
    walk.check("decision confirmed")
    assert Filing.objects.get(pk=filing.pk).state == "filed"
    as_user(page, preparer)
    walk.goto(f"/filings/{ref}/", "filing, filed")
    walk.goto(f"/filings/{ref}/history/", "history")

    # The administrator reads the audit log.
    as_user(page, admin_user)
    walk.check("administrator dashboard")
    walk.goto("/audit/", "audit log")
    walk.goto(f"/audit/?filing={ref}", "audit log of the filing")
    assert page.locator("main tbody tr").count() >= 10

    assert walk.seen >= 40
    assert not walk.found, walk.report()
