"""Sections read and written with optimistic concurrency: the ETag names the section's version, a write
must send it back in If-Match, and a stale one is refused with 412 exactly as the web form refuses a
stale save (both rest on update_section's expected_version)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.forms.models import model_to_dict
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from filings import services
from filings.errors import StaleEditError
from filings.forms import ROW_MODELS, row_formset_class, row_initial, section_form_class
from filings.rules import can_prepare_filing

from ..permissions import ReadScope, WriteScope, scoped
from ..problems import PreconditionFailed, PreconditionRequired
from ..serializers.filings import SectionSerializer, SectionWriteSerializer
from .base import ApiView

SECTION = OpenApiParameter(
    "section", str, OpenApiParameter.PATH, enum=list(services.SECTION_MODELS), description="Which section"
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="The ETag the section was read with"
)
_ETAG = re.compile(r'^(?:W/)?"?([a-z]+)-v(\d+)"?$')


def etag(section: str, version: int) -> str:
    return f'"{section}-v{version}"'


def _version_from(header: str, section: str) -> int | None:
    match = _ETAG.match(header.strip())
    if match is None or match.group(1) != section:
        return None
    return int(match.group(2))


def _plain_fields(instance: Any) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(instance).items() if k not in {"id", "filing", "version"}}


def _json(values: dict[str, Any]) -> dict[str, Any]:
    """Amounts as exact decimal strings (never floats), dates as ISO dates: what the forms read back."""
    return {
        k: str(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, dt.date) else v
        for k, v in values.items()
    }


def section_data(filing: Any, section: str, user: Any) -> dict[str, Any]:
    instance = getattr(filing, section)
    return {
        "section": section,
        "version": instance.version,
        # The issuer's staff, or an agent whose delegation lets them prepare this filing.
        "editable": filing.section_is_editable(section) and bool(can_prepare_filing(user, filing)),
        "fields": _json(_plain_fields(instance)),
        "rows": {
            name: [_json(row) for row in row_initial(filing, name)] for name in services.SECTION_ROWS[section]
        },
    }


def _validated(filing: Any, section: str, fields: dict[str, Any], rows: dict[str, Any]) -> tuple[Any, Any]:
    """The same form validation as the web editor: the section form and one row form per row."""
    instance = getattr(filing, section)
    unknown = set(rows) - set(services.SECTION_ROWS[section])
    if unknown:
        raise serializers.ValidationError({"rows": [_("Unknown relation: %s") % ", ".join(sorted(unknown))]})
    form = section_form_class(type(instance))(
        data={**_plain_fields(instance), **fields, "version": instance.version}, instance=instance
    )
    errors: dict[str, Any] = {}
    unknown_fields = sorted(set(fields) - set(form.fields) | ({"version"} & set(fields)))
    if unknown_fields:
        errors["fields"] = {name: [_("This section has no such field.")] for name in unknown_fields}
    elif not form.is_valid():
        errors["fields"] = form.errors.get_json_data()
    cleaned_rows: dict[str, list[dict[str, Any]]] = {}
    for relation, items in rows.items():
        row_form = row_formset_class(ROW_MODELS[relation]).form
        cleaned_rows[relation] = []
        for index, item in enumerate(items):
            bound = row_form(data=item)
            if bound.is_valid():
                cleaned_rows[relation].append({k: v for k, v in bound.cleaned_data.items() if k != "DELETE"})
            else:
                errors.setdefault("rows", {}).setdefault(relation, {})[str(index)] = (
                    bound.errors.get_json_data()
                )
    if errors:
        raise serializers.ValidationError(errors)
    cleaned = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    return cleaned, cleaned_rows


class SectionView(ApiView):
    permission_classes = [scoped(ReadScope, WriteScope)]

    @extend_schema(parameters=[SECTION], responses={200: SectionSerializer, 404: OpenApiResponse()})
    def get(self, request: Request, reference: str, section: str) -> Response:
        """The section's fields and rows; the ETag header carries its version."""
        if section not in services.SECTION_MODELS:
            raise Http404
        filing = self.filing(reference)
        data = section_data(filing, section, request.user)
        return Response(data, headers={"ETag": etag(section, data["version"])})

    @extend_schema(
        parameters=[SECTION, IF_MATCH],
        request=SectionWriteSerializer,
        responses={
            200: SectionSerializer,
            400: OpenApiResponse(description="Problem details: invalid fields"),
            409: OpenApiResponse(description="Problem details: the section is not open to edits"),
            412: OpenApiResponse(description="Problem details: someone saved the section since you read it"),
            428: OpenApiResponse(description="Problem details: If-Match missing"),
        },
    )
    def put(self, request: Request, reference: str, section: str) -> Response:
        """Save the section if nobody saved it since the version in If-Match."""
        if section not in services.SECTION_MODELS:
            raise Http404
        filing = self.filing(reference)
        header = request.headers.get("If-Match", "")
        if not header:
            raise PreconditionRequired(_("Send If-Match with the ETag of the section you read."))
        current = getattr(filing, section).version
        expected = current if header.strip() == "*" else _version_from(header, section)
        if expected is None or expected != current:
            raise PreconditionFailed(StaleEditError.default_message)
        body = SectionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields, rows = _validated(filing, section, body.validated_data["fields"], body.validated_data["rows"])
        services.update_section(
            filing_id=filing.pk,
            section=section,
            fields=fields,
            rows=rows,
            expected_version=expected,
            by=request.user,
        )
        filing = self.filing(reference)
        data = section_data(filing, section, request.user)
        return Response(data, headers={"ETag": etag(section, data["version"])})
