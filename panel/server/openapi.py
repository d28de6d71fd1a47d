"""The OpenAPI 3 document at /api/openapi.json, derived from `ROUTES` and the message classes.

It says what the server enforces, from the same definitions the server enforces it with: body
schemas (with their bounds) from the message classes the decoder validates against, query
parameters from the `Query` types `api.bind` checks, and every status an operation can answer.
"""

from __future__ import annotations

from typing import Any

import panel
from panel.protocol import PROTOCOL_VERSION, idempotency
from panel.protocol import apps as app_screens
from panel.protocol.maintenance import RELAY_FRAME_TYPES
from panel.protocol.messages import FRAME_TYPES, ErrorReply
from panel.protocol.schema import component_schemas, ref, scalar_schema
from panel.server.api import RELAY_ROUTES, ROUTES, Route
from panel.server.apps.routes import APP_ROUTES

_SCHEME = {
    "device": "deviceToken",
    "admin": "userPin",
    "user": "userPin",
    "operator": "operatorSession",
}

_PARAMETER_REFUSAL = "A parameter or the body is not what this document says (malformed, or a"
_SERVER_REFUSAL = (
    "The server failed (logged), or is busy: 503 when too many requests wait to be"
    " authenticated (busy), Retry-After says when to try again"
)
_GENERAL_REFUSALS = {
    400: f"{_PARAMETER_REFUSAL} code naming the bound), or a WebSocket endpoint was not asked"
    " for an upgrade",
    401: "No credentials, or wrong ones (unauthorized)",
    403: "These credentials may not do this (forbidden)",
    404: "No such resource",
    413: "The body is larger than this operation reads (too_large)",
    429: "Too many wrong PINs for this user from here (too_many_attempts): Retry-After says when",
    415: "The body's Content-Encoding is not identity, gzip or deflate (unsupported_encoding)",
}


def _refusal_statuses(route: Route) -> list[int]:
    """The refusals every operation of this shape can give (its own are in `route.refusals`)."""
    statuses: list[int] = []
    has_path = "{" in route.path
    if route.body is not None or route.query or has_path or route.reply is None:
        statuses.append(400)  # a reply-less route is a WebSocket: a plain GET is refused
    if route.auth:
        statuses += [401, 403]
    if {"admin", "user"} & set(route.auth):
        statuses.append(429)  # a user's PIN is throttled like a login's
    if has_path:
        statuses.append(404)
    if route.body is not None:
        statuses += [413, 415]
    return statuses


_IDEMPOTENCY_KEY = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "description": "A fresh key per new request (e.g. a UUID; visible ASCII, as a bare token or"
    " a quoted string), the same key when sending it again after a lost reply: the server"
    f" creates once and remembers the key for {idempotency.RETENTION_S / 3600:.0f} hours per"
    " caller (IETF draft: The Idempotency-Key HTTP Header Field)",
    "schema": scalar_schema(idempotency.KeyText),
}


def _replays(responses: dict[str, Any], ok: dict[str, Any], error: dict[str, Any]) -> None:
    """The answers an operation taking an Idempotency-Key adds: its replay and refusals."""
    responses["200"] = {
        **ok,
        "description": "Replayed: this key made the job before (same body); it is returned"
        " again and nothing new is made",
        "headers": {
            idempotency.REPLAYED: {
                "description": "true: the answer of an earlier request with this key",
                "schema": {"type": "string", "enum": ["true"]},
            }
        },
    }
    said = {
        400: f"; or: the Idempotency-Key is not 1 to {idempotency.MAX_LENGTH} visible ASCII"
        " (bad_idempotency_key)",
        409: "A request with this Idempotency-Key is still being processed"
        " (idempotency_key_in_use): send it again shortly",
        422: "This Idempotency-Key was used with another body (idempotency_key_reused)",
    }
    for status, why in said.items():
        general = responses.get(str(status), {}).get("description", "")
        responses[str(status)] = {**error, "description": (general + why) if general else why}


def build_openapi() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    classes: list[type] = [ErrorReply, *FRAME_TYPES, *RELAY_FRAME_TYPES]
    for route in [*ROUTES, *RELAY_ROUTES, *APP_ROUTES]:
        op: dict[str, Any] = {"summary": route.summary, "operationId": route.handler.__name__}
        params: list[dict[str, Any]] = [
            {"name": p[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
            for p in route.path.split("/")
            if p.startswith("{")
        ]
        for q in route.query:
            params.append(
                {
                    "name": q.name,
                    "in": "query",
                    "required": False,
                    "description": q.description,
                    "schema": scalar_schema(q.hint),
                }
            )
        if route.idempotent:
            params.append(_IDEMPOTENCY_KEY)
        if params:
            op["parameters"] = params
        if route.body is not None:
            classes.append(route.body)
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(route.body)}},
            }
        ok: dict[str, Any] = {"description": "Success"}
        if route.reply is not None:
            classes.append(route.reply)
            ok["content"] = {"application/json": {"schema": ref(route.reply)}}
        error = {
            "description": "Refused",
            "content": {"application/json": {"schema": ref(ErrorReply)}},
        }
        op["responses"] = {str(route.status): ok}
        for status in _refusal_statuses(route):
            op["responses"][str(status)] = {**error, "description": _GENERAL_REFUSALS[status]}
        for status, why in route.refusals:
            general = op["responses"].get(str(status), {}).get("description")
            said = f"{general}; or: {why}" if general else why
            op["responses"][str(status)] = {**error, "description": said}
        if route.idempotent:
            _replays(op["responses"], ok, error)
        op["responses"]["5XX"] = {**error, "description": _SERVER_REFUSAL}
        if route.auth:
            schemes = dict.fromkeys(_SCHEME[kind] for kind in route.auth)
            op["security"] = [{scheme: []} for scheme in schemes]
        paths.setdefault(route.path, {})[route.method.lower()] = op
    schemas = component_schemas(classes)
    app_screens.publish(schemas)  # S8: the screen format apps draw with, as JSON Schema
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "mfp-panel cloud service",
            "version": panel.__version__,
            "description": f"Wire protocol version {PROTOCOL_VERSION}. Push frames over "
            'WebSocket carry {"v": version, "type": ...}; see x-push-frames. In every body,'
            " parameter and frame, a string is Unicode scalar values without NUL (a lone"
            " surrogate such as \\ud800 or a NUL is refused with 400 malformed, naming the"
            " field), an integer fits 64 bits (minimum and maximum say where it is narrower)"
            " and a number is finite.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "deviceToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "DEVICE_ID.SECRET from registration",
                },
                "userPin": {"type": "http", "scheme": "basic", "description": "user ID and PIN"},
                "operatorSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "mfp_operator",
                    "description": "the operator console's login (POST /api/v1/operator/login);"
                    " scripts send its token as Authorization: Bearer opt_...",
                },
            },
        },
        "x-push-frames": {cls.TYPE: ref(cls) for cls in FRAME_TYPES},
        "x-relay-frames": {cls.TYPE: ref(cls) for cls in RELAY_FRAME_TYPES},
    }
