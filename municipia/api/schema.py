"""The OpenAPI schema says every answer an operation can give, the errors included.

drf-spectacular documents the successful answer only. `AutoSchema` adds, once for every operation,
the errors DRF answers on its own: 400 when the request carries input or changes something (a
deletion the object's state refuses), 401 and 403 (no or a bad token, or no right to act), 404 when
the path names an object or the list is paginated (a page past the end), and 429 when the view is
throttled; 304 when a read answers conditional requests (`ConditionalReadMixin`). An operation
documents any other error itself (`extend_schema(responses=…)`); what it
documents is kept. They share two components: `Error` (`{"detail": "…"}`) and `ValidationError`
(field → messages, or a list of messages).

It also documents as nullable a field declared without `allow_null` whose source passes through a
model field that may be null (`parent = SlugRelatedField(read_only=True)` over a nullable foreign
key answers `null` for a network without a parent). A `SerializerMethodField` says it may answer
`null` with its return annotation (`-> str | None`).
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from municipia.api.caching import NOT_MODIFIED, ConditionalReadMixin


class ErrorSerializer(serializers.Serializer):
    """What the API answers when it refuses a request for any reason but invalid input."""

    detail = serializers.CharField()


VALIDATION_ERROR = {
    "description": "Invalid input: each field's messages (`non_field_errors` for the request as a "
    "whole), or a list of messages.",
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": {},
            "example": {"field": ["This field is required."]},
        },
        {"type": "array", "items": {"type": "string"}},
    ],
}

ERRORS = {
    "400": "Invalid input.",
    "401": "Credentials that are not valid (a wrong or expired token).",
    "403": "No credentials where the operation needs them, or the caller may not do this.",
    "404": "No such object, or one the caller may not see; or a page past the last.",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
}


def source_may_be_null(field) -> bool:
    """Whether a serializer field reads its value through a model field that may be null."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for attr in field.source_attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if model_field.many_to_many or model_field.one_to_many:
            return False
        if model_field.null:
            return True
        model = model_field.related_model
        if model is None:
            return False
    return False


class AutoSchema(openapi.AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if (
            isinstance(field, serializers.Field)
            and "nullable" not in meta
            and field.parent is not None
            and source_may_be_null(field)
        ):
            meta["nullable"] = True
        return meta

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                body = self._validation_error() if code == "400" else ErrorSerializer
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(body, description=ERRORS[code]), code, direction=direction
                )
        if self.method == "GET" and isinstance(self.view, ConditionalReadMixin):
            responses.setdefault("304", {"description": NOT_MODIFIED})
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[str]:
        parameters = self._get_parameters()
        codes = ["401", "403"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE") or any(
            p["in"] == "query" for p in parameters
        ):
            codes.append("400")
        if any(p["in"] == "path" for p in parameters) or (
            self._is_list_view() and self._get_paginator() is not None
        ):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _validation_error(self) -> dict:
        component = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            schema=VALIDATION_ERROR,
            object="ValidationError",
        )
        self.registry.register_on_missing(component)
        return component.ref
