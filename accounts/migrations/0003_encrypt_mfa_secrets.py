"""Encrypt the TOTP keys and recovery seeds stored before they were sealed at rest."""

from django.db import migrations


def seal_existing(apps, schema_editor):
    from accounts.mfa_secrets import reseal_all

    reseal_all(apps.get_model("mfa", "Authenticator").objects.all())


def unseal_existing(apps, schema_editor):
    from accounts.mfa_secrets import reseal_all, unseal

    reseal_all(apps.get_model("mfa", "Authenticator").objects.all(), convert=unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_agents_org_admins"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_existing, unseal_existing)]
