"""Second-factor secrets are stored encrypted, and people still sign in with them (also across a
key rotation and after the migration that sealed secrets stored in the clear)."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.mfa_secrets import MfaSecretError, unseal
from tests.accounts.mfa_support import TEST_TOTP_SECRET, enrol_totp, totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _signs_in_with(user, code: str) -> bool:
    cache.clear()  # allauth refuses a TOTP code used once already within its window
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    return response.status_code == 302 and client.get(reverse("reviews:queue")).status_code == 200


def _stored(user, kind: str) -> dict:
    return Authenticator.objects.values_list("data", flat=True).get(user=user, type=kind)


def test_the_stored_totp_key_is_not_the_secret_and_sign_in_still_works(reviewer):
    client = Client()
    client.post(reverse("accounts:login"), {"username": reviewer.username, "password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    stored = _stored(reviewer, "totp")["secret"]
    assert secret not in stored and stored.startswith("fernet:")
    assert unseal(stored) == secret
    assert _signs_in_with(reviewer, totp_code(secret))


def test_the_recovery_seed_is_stored_encrypted_and_a_code_still_signs_in(reviewer):
    enrol_totp(reviewer)
    codes = RecoveryCodes.activate(reviewer).get_unused_codes()

    seed = _stored(reviewer, "recovery_codes")["seed"]
    assert seed.startswith("fernet:") and all(code not in seed for code in codes)
    assert _signs_in_with(reviewer, codes[0])


def test_a_new_key_in_front_keeps_old_secrets_working_and_rotation_reseals_them(reviewer, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    enrol_totp(reviewer)
    before = _stored(reviewer, "totp")["secret"]

    settings.MFA_ENCRYPTION_KEYS = [new, old]
    assert _signs_in_with(reviewer, totp_code(TEST_TOTP_SECRET))
    call_command("rotate_mfa_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.MFA_ENCRYPTION_KEYS = [new]  # the old key is dropped
    after = _stored(reviewer, "totp")["secret"]
    assert after != before and unseal(after) == TEST_TOTP_SECRET
    with pytest.raises(MfaSecretError):
        unseal(before)


def test_the_migration_encrypts_secrets_stored_in_the_clear(reviewer):
    enrol_totp(reviewer)
    Authenticator.objects.filter(user=reviewer, type="totp").update(data={"secret": TEST_TOTP_SECRET})
    migration = importlib.import_module("accounts.migrations.0003_encrypt_mfa_secrets")

    migration.seal_existing(apps, None)

    stored = _stored(reviewer, "totp")["secret"]
    assert stored.startswith("fernet:") and TEST_TOTP_SECRET not in stored
    assert _signs_in_with(reviewer, totp_code(TEST_TOTP_SECRET))


def test_the_demo_secret_still_signs_a_demo_reviewer_in(reviewer):
    from desk.demo import DEMO_TOTP_SECRET, enrol_demo_mfa

    enrol_demo_mfa({reviewer.username: reviewer})

    assert DEMO_TOTP_SECRET not in _stored(reviewer, "totp")["secret"]
    assert _signs_in_with(reviewer, totp_code(DEMO_TOTP_SECRET))


def test_the_release_step_stops_when_no_key_opens_the_stored_secrets(reviewer, settings):
    from django.core.management.base import SystemCheckError

    enrol_totp(reviewer, TEST_TOTP_SECRET)
    call_command("check", databases=["default"])  # the keys that sealed them: no error

    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-that-sealed-nothing-" + "x" * 20
    with pytest.raises(SystemCheckError, match=r"accounts\.E001"):
        call_command("check", databases=["default"])

    settings.SECRET_KEY_FALLBACKS = [old_key]  # as docs/operations.md says to rotate it
    call_command("check", databases=["default"])
    assert _signs_in_with(reviewer, totp_code(TEST_TOTP_SECRET))
