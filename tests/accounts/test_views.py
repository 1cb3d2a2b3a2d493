"""Signing in, the role dashboards, language choice and the administrators' screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_lands_on_the_role_dashboard(client, preparer):
    response = client.post(
        reverse("accounts:login"), {"username": "preparer", "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    assert "dashboard_issuer" in response.templates[0].name


def test_wrong_password_is_explained_and_keeps_the_user_name(client, preparer):
    response = client.post(reverse("accounts:login"), {"username": "preparer", "password": "nope"})

    assert response.status_code == 200
    assert 'value="preparer"' in response.content.decode()
    assert response.context["form"].errors["__all__"]


@pytest.mark.parametrize(
    ("fixture", "template"),
    [
        ("preparer", "desk/dashboard_issuer.html"),
        ("signatory", "desk/dashboard_issuer.html"),
        ("reviewer", "desk/dashboard_reviewer.html"),
        ("lead", "desk/dashboard_lead.html"),
        ("admin_user", "desk/dashboard_admin.html"),
    ],
)
def test_each_role_has_its_own_dashboard(client, request, fixture, template):
    client.force_login(request.getfixturevalue(fixture))

    response = client.get("/")

    assert response.templates[0].name == template


def test_dashboard_requires_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_language_switch_sets_cookie_and_remembers_it_on_the_account(client, preparer):
    client.force_login(preparer)

    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/filings/"})

    assert response.status_code == 302 and response.url == "/filings/"
    assert response.cookies["filingdesk_language"].value == "en"
    preparer.refresh_from_db()
    assert preparer.language == "en"
    page = client.get("/filings/").content.decode()
    assert '<html lang="en">' in page


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_pages_render_in_chinese_by_default(client, preparer):
    client.force_login(preparer)

    page = client.get("/").content.decode()

    assert '<html lang="zh-Hans">' in page
    assert "我们的备案" in page


def test_administrator_creates_a_user_in_the_app(client, admin_user, issuer_org):
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "new-signatory",
            "full_name": "新代表",
            "email": "n@example.test",
            "organisation": issuer_org.pk,
            "role": Role.SIGNATORY,
            "language": "zh-hans",
            "is_active": "on",
            "password": "A-Strong-Pass-99",
        },
    )

    assert response.status_code == 302
    created = User.objects.get(username="new-signatory")
    assert (created.role, created.organisation, created.check_password("A-Strong-Pass-99")) == (
        Role.SIGNATORY,
        issuer_org,
        True,
    )


def test_issuer_staff_cannot_hold_a_regulator_role(client, admin_user, issuer_org):
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "bad",
            "organisation": issuer_org.pk,
            "role": Role.REVIEWER,
            "language": "en",
            "password": "A-Strong-Pass-99",
        },
    )

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="bad").exists()


def test_administrator_edits_an_organisation(client, admin_user, issuer_org):
    client.force_login(admin_user)

    client.post(
        reverse("accounts:organisation_edit", args=[issuer_org.pk]),
        {
            "name_zh": "甲发行人（更名）有限公司",
            "name_en": "Issuer A Renamed",
            "kind": "issuer",
            "uscc": "",
            "is_active": "on",
        },
    )

    assert Organisation.objects.get(pk=issuer_org.pk).name_zh == "甲发行人（更名）有限公司"


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("accounts:user_list", 404),
        ("accounts:organisation_list", 404),
        ("accounts:lockout_list", 404),
        ("audit:event_list", 404),
    ],
)
def test_administration_pages_are_closed_to_everyone_else(client, preparer, reviewer, lead, name, refusal):
    for user in (preparer, reviewer, lead):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == refusal


def test_unknown_page_is_a_bilingual_404_that_leaks_nothing(client, preparer):
    client.force_login(preparer)

    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in body and "Traceback" not in body and "urlpatterns" not in body
