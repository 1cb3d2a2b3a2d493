"""No raw code, Python literal or snake_case identifier reaches people: the audit log (page and CSV),
the settings pages and the English dossier show labels."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from audit.labels import action_label, detail_pairs
from filings.models import CalendarOverride, RegulatorySetting

pytestmark = pytest.mark.django_db

# A snake_case identifier standing alone (not part of a file name, path or reference).
SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w./-])")
LITERAL = re.compile(r"\{'|\[\]|(?<![\w-])(?:True|False|None)(?![\w.-])")  # "None." is a sentence


class _Visible(HTMLParser):
    """The text a person sees: no tags, attributes, scripts, styles or code samples."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "code", "datalist", "template", "title"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "code", "datalist", "template", "title"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def raw_codes(text: str) -> list[str]:
    return LITERAL.findall(text) + SNAKE.findall(text)


def test_the_audit_log_shows_actions_and_details_by_label(client, admin_user, ready_filing, signatory):
    from filings.services import submit_filing

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    client.cookies["filingdesk_language"] = "en"
    client.force_login(admin_user)

    page = client.get(reverse("audit:event_list")).content.decode()

    text = visible_text(page)
    assert "Filing: submitted" in text and "Filing created" in text
    assert "Draft" in text and "Submitted" in text  # from/to by their labels
    assert raw_codes(text) == []


def test_a_filings_history_and_page_show_events_by_label(client, preparer, ready_filing):
    client.cookies["filingdesk_language"] = "en"
    client.force_login(preparer)

    history = visible_text(
        client.get(reverse("filings:history", args=[ready_filing.reference])).content.decode()
    )
    detail = visible_text(client.get(ready_filing.get_absolute_url()).content.decode())

    assert "Filing created" in history and "Section saved" in history
    assert raw_codes(history) == []
    assert "filing.create" not in detail and "section.update" not in detail


def test_the_audit_csv_carries_json_details_and_labels_in_both_languages(client, admin_user, ready_filing):
    client.force_login(admin_user)

    response = client.get(reverse("audit:event_list") + "?format=csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    created = next(row for row in rows if row["action"] == "filing.create")
    assert (created["action_en"], created["action_zh"]) == ("Filing created", "备案已创建")
    assert json.loads(created["data"])["asset_class"] == "toll_income"


def test_a_detail_is_never_a_python_literal():
    assert detail_pairs({"is_working_day": True, "asset_classes": [], "to": "under_review"}) == [
        ("Is working day", "yes"),
        ("Asset classes", "—"),
        ("to", "Under review"),
    ]
    assert action_label("settings.calendar.save") == "Calendar override saved"
    assert action_label("filing.decide_file") == "Filing: filed"


@pytest.mark.parametrize("kind", ["checklist", "calendar", "limits"])
def test_the_settings_pages_show_no_python_literal(client, admin_user, kind):
    CalendarOverride.objects.create(date="2027-01-01", is_working_day=False, note="元旦")
    RegulatorySetting.objects.create(key="calendar.verified_years", value=[2027])
    RegulatorySetting.objects.create(key="pool.flags", value=[])
    client.cookies["filingdesk_language"] = "en"
    client.force_login(admin_user)

    page = client.get(reverse("filings:settings", args=[kind])).content.decode()

    table = re.search(r"<tbody>.*?</tbody>", page, re.S).group(0)
    text = visible_text(table)
    # Keys of limits are identifiers administrators type (calendar.verified_years); values are not.
    values = " ".join(cell for cell in re.findall(r"<td>(.*?)</td>", table, re.S) if "." not in cell)
    assert LITERAL.findall(text) == []
    assert raw_codes(visible_text(values)) == []


def test_reopened_sections_are_named_by_their_labels(client, preparer, ready_filing):
    from filings.models import Filing

    Filing.objects.filter(pk=ready_filing.pk).update(reopened_sections=["documents", "entity"])
    client.cookies["filingdesk_language"] = "en"
    client.force_login(preparer)

    page = client.get(ready_filing.get_absolute_url()).content.decode()

    assert "Documents, Filing entity" in page


def test_the_english_dossier_names_every_check_and_band(ready_filing, signatory, monkeypatch):
    from filings.dossier.render import build_html
    from filings.services import submit_filing

    monkeypatch.setattr("filings.services.queue_submission_dossiers", lambda **kwargs: None)
    submit_filing(filing_id=ready_filing.pk, by=signatory)

    html, _content = build_html(ready_filing.snapshots.get(), language="en", copy="reviewer")

    text = visible_text(html)
    assert "Coefficient of variation of monthly cash flow" in text
    assert raw_codes(text) == []
