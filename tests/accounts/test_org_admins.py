"""Every issuer and agent organisation has two administrators: named when it is created, and
flagged to its administrator and to the regulator's administrators while it has fewer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind, User
from audit.models import Event
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_ISSUER = {
    "name_zh": "丙发行人有限公司",
    "name_en": "Issuer C Ltd",
    "kind": "issuer",
    "uscc": "",
    "is_active": "on",
    "admin1_username": "c-admin1",
    "admin1_full_name": "丙一",
    "admin1_email": "c1@example.com",
    "admin2_username": "c-admin2",
    "admin2_full_name": "丙二",
    "admin2_email": "c2@example.com",
}


def test_a_new_issuer_organisation_comes_with_its_two_administrators_invited(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("accounts:organisation_create"), NEW_ISSUER)

    assert response.status_code == 302
    organisation = Organisation.objects.get(name_zh="丙发行人有限公司")
    admins = User.objects.filter(organisation=organisation).order_by("username")
    assert [(u.username, u.is_org_admin, u.role, u.has_usable_password()) for u in admins] == [
        ("c-admin1", True, "preparer", False),
        ("c-admin2", True, "preparer", False),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["c1@example.com", "c2@example.com"]
    events = Event.objects.filter(actor=admin_user).exclude(action="auth.login")
    assert sorted(events.values_list("action", flat=True)) == [
        "member.invite",
        "member.invite",
        "organisation.create",
    ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "An issuer or agent organisation starts with two administrators."),
        ("zh-hans", "发行人或代理机构创建时须有两名管理员。"),
    ],
)
def test_an_issuer_organisation_without_a_second_administrator_is_refused(
    client, admin_user, language, message
):
    client.force_login(admin_user)
    data = {**NEW_ISSUER, "admin2_username": "", "admin2_full_name": "", "admin2_email": ""}

    response = client.post(reverse("accounts:organisation_create"), data, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(name_zh="丙发行人有限公司").exists()
    assert mail.outbox == []


def test_the_same_person_cannot_be_both_administrators(client, admin_user):
    client.force_login(admin_user)
    data = {**NEW_ISSUER, "admin2_username": "c-admin1"}

    response = client.post(reverse("accounts:organisation_create"), data, HTTP_ACCEPT_LANGUAGE="en")

    assert "Name two different people." in response.content.decode()
    assert not Organisation.objects.filter(name_zh="丙发行人有限公司").exists()


def test_a_regulator_organisation_needs_no_named_administrators(client, admin_user):
    client.force_login(admin_user)
    data = {key: value for key, value in NEW_ISSUER.items() if not key.startswith("admin")}

    response = client.post(reverse("accounts:organisation_create"), {**data, "kind": "regulator"})

    assert response.status_code == 302
    assert not User.objects.filter(organisation__name_zh="丙发行人有限公司").exists()


@pytest.mark.parametrize(
    ("language", "badge", "banner"),
    [
        ("en", "needs a second administrator", "Your organisation needs a second administrator"),
        ("zh-hans", "需要第二名管理员", "贵机构需要第二名管理员"),
    ],
)
def test_an_organisation_short_of_administrators_is_flagged_to_both_sides(
    client, admin_user, language, badge, banner
):
    short = OrganisationFactory(name_zh="丁发行人有限公司")
    lone_admin = UserFactory(username="d-admin", role="preparer", organisation=short, is_org_admin=True)
    full = OrganisationFactory(name_zh="戊发行人有限公司", kind=OrganisationKind.ISSUER)
    for n in (1, 2):
        UserFactory(username=f"e-admin{n}", role="preparer", organisation=full, is_org_admin=True)

    client.force_login(admin_user)
    listed = client.get(reverse("accounts:organisation_list") + "?short=1", HTTP_ACCEPT_LANGUAGE=language)
    body = listed.content.decode()
    assert badge in body and "丁发行人有限公司" in body and "戊发行人有限公司" not in body

    client.force_login(lone_admin)
    page = client.get(reverse("desk:dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert banner in page and 'data-testid="needs-second-admin"' in page

    client.force_login(User.objects.get(username="e-admin1"))
    page = client.get(reverse("desk:dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'data-testid="needs-second-admin"' not in page


def test_the_demo_organisations_each_have_two_administrators(db):
    from desk.demo import seed_people

    seed_people()

    counts = {
        org.name_en: org.users.filter(is_org_admin=True, is_active=True).count()
        for org in Organisation.objects.exclude(kind=OrganisationKind.REGULATOR)
    }
    assert counts == {
        "Zhejiang Demo Transport Investment Group Co., Ltd.": 2,
        "Shenzhen Demo Supply Chain Management Co., Ltd.": 2,
        "Beijing Demo Law Firm": 2,
    }


def _user_form(user, **changes):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "organisation": user.organisation_id,
        "role": user.role,
        "language": "zh-hans",
        "is_active": "on",
    }
    if user.is_org_admin:
        data["is_org_admin"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_regulator_administrator_appoints_the_missing_second_administrator(client, admin_user):
    short = OrganisationFactory(name_zh="丁发行人有限公司")
    UserFactory(username="d-admin", role="preparer", organisation=short, is_org_admin=True)
    second = UserFactory(username="d-signatory", role="signatory", organisation=short)
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:user_edit", args=[second.pk]), _user_form(second, is_org_admin="on")
    )

    assert response.status_code == 302
    assert short.users.filter(is_org_admin=True).count() == 2
    event = Event.objects.get(action="user.update")
    assert (event.actor, event.data["org_admin"]) == (admin_user, True)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "An organisation keeps at least 2 administrators: appoint another one first."),
        ("zh-hans", "每个机构至少须保留 2 名管理员：请先任命另一名管理员。"),
    ],
)
def test_the_user_screen_cannot_take_an_organisation_below_two_administrators(
    client, admin_user, language, message
):
    org = OrganisationFactory(name_zh="戊发行人有限公司")
    first, _second = (
        UserFactory(username=f"e-admin{n}", role="preparer", organisation=org, is_org_admin=True)
        for n in (1, 2)
    )
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:user_edit", args=[first.pk]),
        _user_form(first, is_org_admin=None),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert org.users.filter(is_org_admin=True).count() == 2


def test_only_the_regulators_administrators_create_organisations(preparer):
    from accounts.members import MemberChangeError, create_organisation

    admins = [{"username": f"c-admin{n}", "full_name": "丙", "email": f"c{n}@example.com"} for n in (1, 2)]
    with pytest.raises(MemberChangeError):
        create_organisation(
            organisation=Organisation(name_zh="丙发行人有限公司", kind="issuer"),
            administrators=admins,
            by=preparer,
        )
    assert not Organisation.objects.filter(name_zh="丙发行人有限公司").exists()


def test_the_django_admin_sends_organisation_creation_to_the_regulators_screen(client):
    staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    client.force_login(staff)

    for response in (
        client.get("/django-admin/accounts/organisation/add/", HTTP_ACCEPT_LANGUAGE="en"),
        client.post("/django-admin/accounts/organisation/add/", {"name_zh": "绕过", "kind": "issuer"}),
    ):
        assert response.status_code == 302
        assert response.url == reverse("accounts:organisation_create")
    assert not Organisation.objects.filter(name_zh="绕过").exists()

    # There, an issuer organisation needs its two administrators, as for the regulator's administrators.
    page = client.get(reverse("accounts:organisation_create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Organisations are created on the regulator&#x27;s organisation screen" in page
    assert "Administrator 2: user name" in page
    response = client.post(reverse("accounts:organisation_create"), NEW_ISSUER)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name_zh="丙发行人有限公司")
    assert User.objects.filter(organisation=organisation, is_org_admin=True).count() == 2


def test_a_taken_administrator_user_name_is_named_with_a_suggestion(client, admin_user):
    UserFactory(username="c-admin1")
    client.force_login(admin_user)

    response = client.post(reverse("accounts:organisation_create"), NEW_ISSUER, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert (
        "The user name “c-admin1” belongs to another account: choose another one, for example "
        "“c1@example.com”." in response.content.decode()
    )
    assert not Organisation.objects.filter(name_zh="丙发行人有限公司").exists()
