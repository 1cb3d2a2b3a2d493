"""/healthz answers without the database; /readyz reports each dependency and 503 names the failed one."""

from __future__ import annotations

import pytest


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: pytest-django refuses any database access in this test.
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_readyz_is_green_when_the_database_migrations_and_storage_are_fine(client, settings):
    settings.REDIS_URL = ""  # the embedded default: tasks in-process, no Redis or worker to wait for

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "migrations": "ok", "private_storage": "ok"},
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_redis_and_workers_when_redis_is_unreachable(client, settings, unused_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{unused_port}/0"

    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 503
    assert (body["status"], body["failed"]) == ("unavailable", ["redis", "workers"])
    assert body["checks"]["redis"] == "Unavailable: Unable to connect to Redis: Connection Error"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_private_storage_is_not_writable(client, settings, tmp_path):
    settings.REDIS_URL = ""
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder)},
        },
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["private_storage"]


@pytest.mark.django_db
def test_the_migrations_check_names_an_unapplied_migration():
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder
    from health_check.exceptions import ServiceUnavailable

    from ops.health import Migrations

    Migrations().run()  # all applied: no exception
    MigrationRecorder(connection).migration_qs.filter(app="sessions", name="0001_initial").delete()

    with pytest.raises(ServiceUnavailable) as raised:
        Migrations().run()

    assert str(raised.value) == "Unavailable: 1 unapplied migration(s): sessions.0001_initial"
