"""Regression tests for the defects seen while trying the desk as each person would (issue 16)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from assets.models import Asset
from filings.models import Filing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["filingdesk_language"] = "en"


def test_the_asset_list_of_a_toll_pool_answers_and_names_the_operator(client, preparer, ready_filing):
    client.force_login(preparer)

    response = client.get(reverse("filings:pool_assets", args=[ready_filing.reference]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Operator" in body
    operator = Asset.objects.filter(pool=ready_filing.pool).first().data["operator_name"]
    assert operator in body


def _entity_post(filing, uscc):
    return {
        "s-version": str(filing.entity.version),
        "s-uscc": uscc,
        "s-name_zh": "甲发行人有限公司",
        "s-legal_representative": "陈某",
        "s-business_scope": "高速公路经营",
        "control_links-TOTAL_FORMS": "0",
        "control_links-INITIAL_FORMS": "0",
        "officers-TOTAL_FORMS": "0",
        "officers-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize("hx", [False, True])
def test_a_short_credit_code_is_explained_not_a_server_error(client, preparer, draft_filing, hx):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "entity"])
    extra = {"HTTP_HX_REQUEST": "true"} if hx else {}
    data = _entity_post(draft_filing, "91330000MA27U00")
    if hx:
        data["_validate"] = "1"
    before = draft_filing.entity.uscc

    response = client.post(url, data, **extra)

    assert response.status_code == 200
    assert "this one has 15." in html.unescape(response.content.decode())
    assert Filing.objects.get(pk=draft_filing.pk).entity.uscc == before


def test_a_short_credit_code_in_the_findings_reads_with_its_length(ready_filing):
    from filings.compliance import run_preflight

    ready_filing.entity.uscc = "91330000MA27U0"
    ready_filing.entity.save()

    messages = [
        f.text for f in run_preflight(Filing.objects.get(pk=ready_filing.pk)) if f.code == "USCC-VALID"
    ]

    assert any("this one has 14." in text for text in messages), messages


LINK = re.compile(r'data-testid="finding-link" href="([^"#]*)(?:#([^"]*))?"')


def _finding_links(client, filing):
    page = client.get(reverse("filings:preflight", args=[filing.reference])).content.decode()
    return sorted(set(LINK.findall(page)))


def test_every_go_to_the_field_link_lands_on_an_element_that_exists(
    client, preparer, gapped_filing, draft_filing
):
    # A blank draft has a finding in nearly every section; the gapped filing misses a tape and a
    # document; together they link to each page a finding can point at.
    client.force_login(preparer)
    links = _finding_links(client, draft_filing) + _finding_links(client, gapped_filing)
    pages = {url for url, _anchor in links}

    assert len(links) >= 10
    assert {"section", "documents", "attestations", "pool"} <= {
        next(key for key in ("section", "documents", "attestations", "pool", "") if key in url)
        for url in pages
    }
    missing = []
    for url, anchor in links:
        assert anchor, f"a link without a target on {url}"
        target = client.get(html.unescape(url))
        assert target.status_code == 200, url
        if f'id="{anchor}"' not in target.content.decode():
            missing.append(f"{url}#{anchor}")
    assert missing == []


def test_a_blank_row_is_offered_empty_and_a_collection_account_asks_for_its_sweep(
    client, preparer, draft_filing
):
    client.force_login(preparer)
    url = reverse("filings:section", args=[draft_filing.reference, "structure"])

    page = client.get(url).content.decode()
    blank_account = re.search(r'<tbody id="rows-accounts">(.*?)</tbody>', page, re.S).group(1)

    # No sweep frequency, role or "segregated" is chosen for the person: only the blank options are.
    assert re.findall(r'<option value="[^"]+" selected', blank_account) == []
    assert re.findall(r'<input[^>]*value="[^"]+"', blank_account) == []  # no currency, no jurisdiction
    sweep = re.search(r'<select name="accounts-0-sweep_frequency".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>' in sweep or '<option value="">' in sweep


def test_an_account_saved_without_a_sweep_frequency_is_refused_not_defaulted(client, preparer, ready_filing):
    from filings.forms import ROW_MODELS, row_formset_class, row_initial

    client.force_login(preparer)
    url = reverse("filings:section", args=[ready_filing.reference, "structure"])
    form = client.get(url).context["form"]
    data = {f"s-{name}": ("" if value is None else value) for name, value in form.initial.items()}
    data["s-version"] = str(ready_filing.structure.version)
    for relation in ("parties", "tranches", "accounts", "triggers", "waterfall"):
        rows = row_initial(ready_filing, relation)
        data[f"{relation}-TOTAL_FORMS"] = str(len(rows) + (1 if relation == "accounts" else 0))
        data[f"{relation}-INITIAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{relation}-{index}-{key}"] = "" if value is None else str(value)
    assert ROW_MODELS["accounts"] and row_formset_class  # the formset the page renders
    new = len(row_initial(ready_filing, "accounts"))
    data.update(
        {
            f"accounts-{new}-role": "collection",
            f"accounts-{new}-bank": "某银行",
            f"accounts-{new}-segregated": "True",
        }
    )
    before = ready_filing.accounts.count()

    response = client.post(url, {k: v for k, v in data.items() if v is not None})

    assert response.status_code == 200
    formset = dict((name, fs) for name, _title, fs in response.context["formsets"])["accounts"]
    assert "sweep_frequency" in formset.forms[new].errors
    assert ready_filing.accounts.count() == before
