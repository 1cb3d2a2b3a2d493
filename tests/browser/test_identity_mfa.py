"""A reviewer meets the second factor in a real browser: enrol, sign in with it, use a recovery
code; an account locks after repeated failures and an administrator unlocks it."""

from __future__ import annotations

import pytest

from tests.accounts.mfa_support import totp_code
from tests.browser.conftest import fresh_totp_code, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password(page, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].btn")


def test_reviewer_enrols_signs_in_with_the_app_and_with_a_recovery_code(page, reviewer):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    # First sign-in: the queue is out of reach until an authenticator app is enrolled.
    _password(page, reviewer.username)
    page.wait_for_selector("#authenticator_secret")
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    page.goto("/review/")
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.goto("/review/")
    assert page.url.endswith("/review/")

    # Next sign-in: password, then the code from the app.
    _password(page, reviewer.username)
    page.wait_for_selector("input[name=code]")
    assert "/accounts/2fa/authenticate/" in page.url
    page.fill("input[name=code]", fresh_totp_code(reviewer.username, secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("[data-testid=dashboard-title]")

    # Phone lost: a recovery code signs in once.
    rc = Authenticator.objects.get(user=reviewer, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(rc).get_unused_codes()[0]
    _password(page, reviewer.username)
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("[data-testid=dashboard-title]")
    assert code not in RecoveryCodes(Authenticator.objects.get(pk=rc.pk)).get_unused_codes()


def test_account_locks_after_five_failures_and_an_administrator_unlocks_it(
    page, preparer, admin_user, settings
):
    # Every browser here comes from 127.0.0.1, so the per-address lock would shut the administrator
    # out too; lock by account name only (tests/accounts/test_sign_in.py covers the address lock).
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]
    for _ in range(5):
        _password(page, preparer.username, "not-the-password")
    page.wait_for_selector("[data-testid=locked-out]")
    _password(page, preparer.username)
    page.wait_for_selector("[data-testid=locked-out]")

    page.context.clear_cookies()
    login(page, admin_user.username, PASSWORD)
    page.goto("/accounts/lockouts/")
    page.click(f"[data-testid=unlock-{preparer.username}]")
    page.wait_for_selector("ul.messages")

    page.context.clear_cookies()
    login(page, preparer.username, PASSWORD)
