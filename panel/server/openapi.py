"""The OpenAPI 3 document at /api/openapi.json, derived from `ROUTES` and the message classes."""

from __future__ import annotations

from typing import Any

import panel
from panel.protocol import PROTOCOL_VERSION
from panel.protocol.maintenance import RELAY_FRAME_TYPES
from panel.protocol.messages import FRAME_TYPES, ErrorReply
from panel.protocol.schema import component_schemas, ref
from panel.server.api import RELAY_ROUTES, ROUTES

_SCHEME = {
    "device": "deviceToken",
    "admin": "userPin",
    "user": "userPin",
    "operator": "operatorSession",
}


def build_openapi() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    classes: list[type] = [ErrorReply, *FRAME_TYPES, *RELAY_FRAME_TYPES]
    for route in [*ROUTES, *RELAY_ROUTES]:
        op: dict[str, Any] = {"summary": route.summary, "operationId": route.handler.__name__}
        params: list[dict[str, Any]] = [
            {"name": p[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
            for p in route.path.split("/")
            if p.startswith("{")
        ]
        for q in route.query:
            schema: dict[str, Any] = {"type": "string"}
            if q.enum:
                schema["enum"] = list(q.enum)
            params.append(
                {
                    "name": q.name,
                    "in": "query",
                    "required": False,
                    "description": q.description,
                    "schema": schema,
                }
            )
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
        op["responses"] = {str(route.status): ok, "4XX": error, "5XX": error}
        for status, why in route.refusals:
            op["responses"][str(status)] = {**error, "description": why}
        if route.auth:
            schemes = dict.fromkeys(_SCHEME[kind] for kind in route.auth)
            op["security"] = [{scheme: []} for scheme in schemes]
        paths.setdefault(route.path, {})[route.method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "mfp-panel cloud service",
            "version": panel.__version__,
            "description": f"Wire protocol version {PROTOCOL_VERSION}. Push frames over "
            'WebSocket carry {"v": version, "type": ...}; see x-push-frames.',
        },
        "paths": paths,
        "components": {
            "schemas": component_schemas(classes),
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
