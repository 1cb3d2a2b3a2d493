"""The README's production section, run as an operator would: scripts/prod (release step, then
the Procfile under honcho: gunicorn, a default+imports worker, a pdf worker, beat) against
PostgreSQL and Redis, and a filing taken from tape upload to a downloaded dossier over HTTP.

On CI the processes run from a venv built from requirements.txt alone (FILINGDESK_PROD_VENV,
scripts/prod-venv), so this is also the production smoke test."""

from __future__ import annotations

import json

import pytest

from tests.ops.topology import PROD_VENV, Topology, fresh_database, private_redis, record_figures

pytestmark = pytest.mark.services


def test_the_procfile_topology_takes_a_filing_from_tape_upload_to_a_downloaded_dossier(tmp_path):
    with private_redis() as redis, fresh_database("fd_ops_install_topology") as database:
        topology = Topology(tmp_path, database, redis.url)
        try:
            startup_s = topology.start()
            topology.manage("create_signing_cert")  # production supplies its own PKCS#12
            topology.manage("seed_smoke")
            result = topology.manage("smoke_production", "--base-url", topology.base_url, "--timeout", "400")
        finally:
            topology.stop()
        stopped = topology.log_path.read_text(errors="replace")

    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["pdf_bytes"] > 50_000 and report["dossier"].endswith("/download/")
    lines = topology.log_lines()
    rid = report["upload_request_id"]
    # The upload's access line and the import task it caused share one request id.
    (upload,) = [line for line in lines if line["logger"] == "ops.request" and line.get("request_id") == rid]
    assert (upload["method"], upload["status"], upload["path"]) == (
        "POST",
        302,
        f"/filings/{report['filing']}/pool/upload/",
    )
    assert isinstance(upload["user_id"], int) and upload["duration_ms"] > 0
    task_lines = [(line["message"], line["request_id"]) for line in lines if line["logger"] == "ops.task"]
    assert ("task started assets.tasks.run_tape_import_task", rid) in task_lines
    assert ("task finished assets.tasks.run_tape_import_task SUCCESS", rid) in task_lines
    # The dossier download went through gunicorn as a 200 with its own line.
    assert any(line.get("path") == report["dossier"] and line.get("status") == 200 for line in lines)
    # All four processes ran and honcho stopped them all.
    for name in ("web.1", "worker.1", "pdf.1", "beat.1"):
        assert f"{name} stopped" in stopped
    record_figures(
        "topology",
        {
            "venv": str(PROD_VENV),
            "scripts_prod_to_readyz_200_s": startup_s,
            **report["timings"],
        },
    )
