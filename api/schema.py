"""OpenAPI pieces drf-spectacular cannot guess: the bearer scheme, and the problem-details responses every
operation may give (so a client, and schemathesis, know each error's shape and media type)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, in the language of Accept-Language.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"description": "Invalid fields (400)"},
        "findings": {"type": "array", "items": {"type": "object"}, "description": "Blocking findings (409)"},
        "job": {"type": "integer", "description": "The import of the same file (409)"},
    },
    "required": ["type", "title", "status", "detail"],
}
# Every operation may answer these; others (412, 428) are declared where they can happen.
COMMON_ERRORS = {
    "400": "The request is not valid",
    "401": "No token, or an unknown, expired or revoked one",
    "403": "The token lacks the scope, or the owner's role does not allow this",
    "404": "Not found, or outside the token's scope",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict with the filing's state",
    "413": "Too large",
    "415": "Unsupported media type",
    "422": "The content was refused",
    "429": "Too many requests for this token",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from your profile page (API tokens) or `manage.py create_api_token`.",
        }


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response" or not self.path.startswith("/api/v1/") or "/schema/" in self.path:
            return responses
        component = ResolvedComponent(
            name="Problem", type=ResolvedComponent.SCHEMA, object="Problem", schema=PROBLEM_SCHEMA
        )
        self.registry.register_on_missing(component)
        for code, description in COMMON_ERRORS.items():
            responses.setdefault(code, {"description": description})
        for code, response in responses.items():
            if int(code) >= 400:
                response["content"] = {"application/problem+json": {"schema": component.ref}}
                if not response.get("description"):
                    response["description"] = COMMON_ERRORS.get(code, "Problem details")
        return responses


def paginated(serializer: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The page envelope of a list: count, next and previous links, and the results."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )
