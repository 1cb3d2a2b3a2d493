"""The backup drill: a database holding a submitted filing with its rendered dossiers is backed up
with scripts/backup, restored with scripts/restore into a fresh database and media folder, passes
verify_audit there, and the restored copy serves the same dossier to the signatory over HTTP."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from desk.demo import DEMO_TOTP_SECRET
from filings.models import DossierRender
from filings.services import submit_filing
from ops.smoke import Browser
from tests.accounts.mfa_support import enrol_totp
from tests.factories import PASSWORD
from tests.ops.topology import (
    ARTIFACTS,
    ROOT,
    database_url,
    free_port,
    fresh_database,
    get_json,
    record_figures,
    stop_group,
    wait,
)
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_backup_restores_into_a_fresh_database_that_verifies_and_serves_the_dossier(
    celery_worker, ready_filing, signatory, tmp_path
):
    enrol_totp(signatory, DEMO_TOTP_SECRET)  # signs in with the demo authenticator on the restored copy
    submit_filing(filing_id=ready_filing.pk, by=signatory)  # the real pre-flight check, no patch
    snapshot = ready_filing.snapshots.get()

    def rendered() -> list[DossierRender]:
        renders = list(DossierRender.objects.filter(snapshot=snapshot))
        return renders if len(renders) == 2 and all(r.status == "succeeded" for r in renders) else []

    renders = wait_for(rendered, timeout=300)
    zh = next(r for r in renders if r.language == "zh-hans")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    source = {
        **base_env,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }

    started = time.monotonic()
    backup = run(["scripts/backup", str(tmp_path / "backups")], source).strip().splitlines()[-1]
    backup_s = round(time.monotonic() - started, 1)

    with fresh_database("fd_ops_install_restored") as restored_url:
        restored_media = tmp_path / "restored-private"
        restored = {
            **base_env,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": restored_url,
            "PRIVATE_MEDIA_ROOT": str(restored_media),
            "FILINGDESK_TEST_MEDIA_ROOT": str(restored_media),
            "REDIS_URL": "",
        }
        started = time.monotonic()
        out = run(["scripts/restore", backup], restored)
        restore_s = round(time.monotonic() - started, 1)
        assert out.startswith("OK: ") and " events, head " in out

        # The restored copy, served on its own, hands the signatory the same signed PDF.
        port = free_port()
        ARTIFACTS.mkdir(exist_ok=True)
        with open(ARTIFACTS / "restored-web.log", "w") as log:
            web = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "-w", "1"],
                cwd=ROOT,
                env=restored,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                wait(
                    "the restored copy answers",
                    lambda: get_json(f"http://127.0.0.1:{port}/healthz")[0] == 200,
                    60,
                )
                browser = Browser(f"http://127.0.0.1:{port}")
                browser.log_in(signatory.username, PASSWORD)
                reply = browser.get(f"/filings/{ready_filing.reference}/dossier/{zh.pk}/download/")
            finally:
                stop_group(web)

    assert reply.status == 200 and reply.body.startswith(b"%PDF-")
    assert hashlib.sha256(reply.body).hexdigest() == zh.sha256
    sizes = {path.name: path.stat().st_size for path in Path(backup).iterdir()}
    record_figures("backup", {"backup_s": backup_s, "restore_and_verify_s": restore_s, "bytes": sizes})
