"""Sign-in as an attacker and a new user meet it: second factor, lockout, reset, session limits."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import Event
from tests.accounts.mfa_support import TEST_TOTP_SECRET, enrol_totp, totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _password(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_reviewer_without_second_factor_is_sent_to_enrolment_before_anything_else(reviewer):
    client = Client()
    _password(client, reviewer.username)

    response = client.get(reverse("reviews:queue"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_reviewer_enrols_an_authenticator_app_and_then_reaches_the_queue(
    reviewer, django_capture_on_commit_callbacks
):
    client = Client()
    _password(client, reviewer.username)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=reviewer, type="totp").count() == 1
    assert Authenticator.objects.filter(user=reviewer, type="recovery_codes").count() == 1
    assert client.get(reverse("reviews:queue")).status_code == 200
    assert Event.objects.filter(action="auth.mfa_enrolled", actor=reviewer).exists()


def test_enrolled_reviewer_needs_the_code_after_the_password(reviewer):
    enrol_totp(reviewer)
    client = Client()

    response = _password(client, reviewer.username)

    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("reviews:queue")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert right.status_code == 302
    assert client.get(reverse("reviews:queue")).status_code == 200


def test_a_recovery_code_replaces_the_app_once(reviewer):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    enrol_totp(reviewer)
    code = RecoveryCodes.activate(reviewer).get_unused_codes()[0]
    client = Client()
    _password(client, reviewer.username)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("reviews:queue")).status_code == 200

    again = Client()
    _password(again, reviewer.username)
    assert again.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200  # used up


def test_preparer_signs_in_with_password_alone(preparer):
    client = Client()
    response = _password(client, preparer.username)
    assert response.url == reverse("desk:dashboard")
    assert client.get(reverse("desk:dashboard")).status_code == 200


def test_a_session_that_skipped_the_second_factor_is_ended(reviewer):
    enrol_totp(reviewer)
    client = Client()
    client.force_login(reviewer)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session.save()

    response = client.get(reverse("reviews:queue"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("desk:dashboard")).status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(preparer):
    client = Client()
    statuses = [_password(client, preparer.username, "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks

    response = _password(client, preparer.username)

    assert response.status_code == 429
    assert "locked" in response.content.decode() or "锁定" in response.content.decode()
    assert Event.objects.filter(action="auth.locked_out", data__username=preparer.username).exists()
    assert client.get(reverse("desk:dashboard")).status_code == 302


def test_lockout_is_per_address_too(preparer, signatory):
    client = Client(REMOTE_ADDR="10.9.8.7")
    for n in range(5):
        _password(client, f"nobody-{n}", "wrong-password")

    assert _password(client, preparer.username).status_code == 429
    # Another address is not affected.
    assert _password(Client(REMOTE_ADDR="10.9.8.8"), preparer.username).status_code == 302


def test_lockout_ends_after_the_cool_off(preparer, settings):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(5):
        _password(client, preparer.username, "wrong-password")
    assert _password(client, preparer.username).status_code == 429
    from datetime import timedelta

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(hours=1))

    assert _password(client, preparer.username).status_code == 302


def test_administrator_unlocks_a_locked_account(preparer, admin_user):
    from axes.models import AccessAttempt

    locked = Client()
    for _ in range(5):
        _password(locked, preparer.username, "wrong-password")
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get(reverse("accounts:lockout_list"))
    assert preparer.username in page.content.decode()
    attempt = AccessAttempt.objects.get(username=preparer.username)

    admin.post(reverse("accounts:lockout_unlock", args=[attempt.pk]))

    assert _password(locked, preparer.username).status_code == 302
    assert Event.objects.filter(action="auth.unlocked", actor=admin_user).exists()


def test_only_administrators_see_the_lockout_screen(client, preparer):
    client.force_login(preparer)
    assert client.get(reverse("accounts:lockout_list")).status_code == 404


def test_password_reset_mails_a_link(preparer):
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": preparer.email})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[preparer.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_idle_session_ends_and_regulator_sessions_idle_sooner(client, preparer, reviewer, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    settings.SESSION_IDLE_SECONDS_REGULATOR = 900
    for person, minutes, ended in [(preparer, 20, False), (reviewer, 20, True), (preparer, 40, True)]:
        client = Client()
        client.force_login(person)
        client.get(reverse("desk:dashboard"))
        session = client.session
        session["fd_session_seen"] = time.time() - minutes * 60
        session.save()
        response = client.get(reverse("desk:dashboard"))
        assert (response.status_code == 302) is ended, (person.username, minutes)


def test_session_ends_at_the_absolute_limit(client, preparer, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(preparer)
    client.get(reverse("desk:dashboard"))
    session = client.session
    session["fd_session_started"] = time.time() - 3601
    session.save()

    assert client.get(reverse("desk:dashboard")).status_code == 302


def test_django_admin_needs_staff_with_a_second_factor(admin_user):
    anonymous = Client().get("/django-admin/")
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))

    staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/django-admin/").status_code == 200
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session.save()
    assert client.get("/django-admin/").status_code in (302, 404)

    not_staff = Client()
    not_staff.force_login(admin_user)
    assert not_staff.get("/django-admin/").status_code == 404


def test_people_see_their_sessions(client, preparer):
    client.force_login(preparer)
    assert client.get(reverse("accounts:security")).status_code == 200
    assert client.get(reverse("usersessions_list")).status_code == 200


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Use a passkey instead"), ("zh-hans", "也可以改用通行密钥")],
)
def test_forced_enrolment_offers_a_passkey_instead_of_an_app(reviewer, language, text):
    reviewer.language = language  # signing in brings back the person's language
    reviewer.save(update_fields=["language"])
    client = Client()
    _password(client, reviewer.username)

    body = client.get(reverse("mfa_activate_totp")).content.decode()

    assert text in body and reverse("mfa_add_webauthn") in body
