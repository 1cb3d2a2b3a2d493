"""The committed OpenAPI schema is what the code generates; Swagger UI and Redoc are served offline."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
REGENERATE = (
    "DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py spectacular "
    "--lang en --validate --fail-on-warn --file docs/api/openapi.yaml"
)


def test_the_committed_schema_matches_the_code(db):
    out = StringIO()
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", stdout=out)

    assert out.getvalue() == SCHEMA.read_text(encoding="utf-8"), (
        f"The API changed: regenerate with {REGENERATE}"
    )


def test_swagger_ui_and_redoc_are_served_without_a_cdn(client):
    swagger = client.get("/api/v1/docs/")
    redoc = client.get("/api/v1/redoc/")
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert swagger.status_code == redoc.status_code == schema.status_code == 200
    for page in (swagger.content.decode(), redoc.content.decode()):
        assert "https://" not in page  # no CDN, no web fonts: everything from our own static files
        assert "/static/drf_spectacular_sidecar/" in page
    assert "'unsafe-inline'" in swagger["Content-Security-Policy"]
    assert schema.json()["info"]["title"] == "Filing Desk API"


def test_a_path_no_endpoint_matches_is_a_problem_not_the_web_page(client):
    response = client.get("/api/v1/filings/X/tapes/-1/errors.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "页面不存在"
