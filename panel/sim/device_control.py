"""The device's control HTTP API: the print engine's faults and supplies, for scripts and QA.

The sibling of the networks' control API (panel/sim/control.py), with its rules: loopback only,
requests with an Origin header or a non-loopback Host refused (403), errors as JSON
`{"error": message, "status": code}` (400 for bad input, with a message that says what to
change). Every action is the engine's own method, so it is traced (concern "engine") and
published as ENGINE_STATUS_CHANGED like the QA dock's.

    GET  /engine           the engine's status
    POST /engine/jam       {"location"?: "tray-1"}          a paper jam (at the next sheet)
    POST /engine/clear     {"code"?}                         remove a jam (every jam: no code)
    POST /engine/cover     {"open": bool, "cover"?: "front-cover"}
    POST /engine/toner     {"colour", "pct": 0..100}         0 empties it, 100 a new cartridge
    POST /engine/tray      {"tray_id", "level", "media"?}    0 empties it
    POST /engine/ppm       {"simplex", "duplex"?}
    POST /engine/answer    {"choice"}                        answer the engine's prompt

Each POST answers 200 with the status after the change.
"""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from panel.device.engine import EngineStatus, PrintEngine
from panel.sim.control import (
    RunningControl,
    _body,
    _unknown_fields,
    error_middleware,
    error_reply,
    local_only_middleware,
    serve_loopback,
)
from panel.trace import Trace

engine_key = web.AppKey("engine", PrintEngine)

MAX_PPM = 100_000.0  # tests run engines fast; anything above is a typo


def status_json(status: EngineStatus) -> dict[str, Any]:
    """The engine's status as JSON: state, IPP reasons with their codes, trays, toner,
    counters, rates and the prompt the engine waits on (null when none)."""
    prompt = status.prompt
    return {
        "state": status.state.value,
        "state_reasons": status.state_reasons,
        "error_codes": status.error_codes,
        "reasons": [
            {
                "keyword": r.keyword,
                "severity": r.severity.value,
                "ipp": r.ipp,
                "code": r.code,
                "location": r.location,
                "message": r.message,
                "steps": list(r.steps),
                "icon": r.icon,
            }
            for r in status.reasons
        ],
        "trays": [
            {
                "tray_id": t.tray_id,
                "name": t.name,
                "media": t.media,
                "media_label": t.media_label,
                "capacity": t.capacity,
                "level": t.level,
            }
            for t in status.trays
        ],
        "toner": [
            {
                "colour": t.colour,
                "pages_left": t.pages_left,
                "pages_per_cartridge": t.pages_per_cartridge,
                "level_pct": t.level_pct,
            }
            for t in status.toner
        ],
        "counters": {
            "total": status.counters.total,
            "colour": status.counters.colour,
            "mono": status.counters.mono,
            "duplex": status.counters.duplex,
            "sheets": status.counters.sheets,
            "per_user": dict(status.counters.per_user),
        },
        "ppm_simplex": status.ppm_simplex,
        "ppm_duplex": status.ppm_duplex,
        "warming_up": status.warming_up,
        "prompt": None
        if prompt is None
        else {
            "kind": prompt.kind,
            "message": prompt.message,
            "choices": [{"id": c, "label": label} for c, label in prompt.choices],
            "job_id": prompt.job_id,
        },
    }


@web.middleware
async def unknown_part_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A tray, cartridge, cover or jam location the device does not have is bad input."""
    try:
        return await handler(request)
    except KeyError as exc:
        return error_reply(400, str(exc.args[0]) if exc.args else "unknown name")


def make_device_control_app(engine: PrintEngine) -> web.Application:
    app = web.Application(
        middlewares=[error_middleware, local_only_middleware, unknown_part_middleware]
    )
    app[engine_key] = engine
    app.router.add_get("/engine", show)
    app.router.add_post("/engine/jam", jam)
    app.router.add_post("/engine/clear", clear)
    app.router.add_post("/engine/cover", cover)
    app.router.add_post("/engine/toner", toner)
    app.router.add_post("/engine/tray", tray)
    app.router.add_post("/engine/ppm", ppm)
    app.router.add_post("/engine/answer", answer)
    return app


async def start_device_control(
    engine: PrintEngine, trace: Trace, host: str = "127.0.0.1", port: int = 0
) -> RunningControl:
    """Serve `engine`'s control API on host:port (loopback only; 0: a free port); traced."""
    running = await serve_loopback(make_device_control_app(engine), host, port)
    trace.emit("engine", "control-api", url=running.url)
    return running


# -- handlers -------------------------------------------------------------------------------


def _engine(request: web.Request) -> PrintEngine:
    return request.app[engine_key]


def _reply(request: web.Request) -> web.Response:
    return web.json_response(status_json(_engine(request).status()))


async def _fields(request: web.Request, allowed: frozenset[str]) -> dict[str, Any]:
    body = await _body(request)
    _unknown_fields(body, allowed)
    return body


def _name(body: dict[str, Any], key: str, default: str | None = None) -> str:
    value = body.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a name (text)" + ("" if default else ", and is required"))
    return value.strip()


def _int(body: dict[str, Any], key: str, low: int, high: int) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{key} must be a whole number from {low} to {high}")
    return value


def _rate(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number of pages per minute")
    if not math.isfinite(value) or not 0 < value <= MAX_PPM:
        raise ValueError(f"{key} must be more than 0 and at most {MAX_PPM:g} pages per minute")
    return float(value)


async def show(request: web.Request) -> web.Response:
    return _reply(request)


async def jam(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"location"}))
    _engine(request).jam(_name(body, "location", "tray-1"))
    return _reply(request)


async def clear(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"code"}))
    code = _name(body, "code") if "code" in body else None
    _engine(request).clear(code)
    return _reply(request)


async def cover(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"open", "cover"}))
    is_open = body.get("open")
    if not isinstance(is_open, bool):
        raise ValueError("open must be true or false, and is required")
    name = _name(body, "cover", "front-cover")
    engine = _engine(request)
    (engine.open_cover if is_open else engine.close_cover)(name)
    return _reply(request)


async def toner(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"colour", "pct"}))
    _engine(request).set_toner(_name(body, "colour"), _int(body, "pct", 0, 100))
    return _reply(request)


async def tray(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"tray_id", "level", "media"}))
    media = _name(body, "media") if "media" in body else None
    _engine(request).set_tray(_name(body, "tray_id"), _int(body, "level", 0, 100_000), media)
    return _reply(request)


async def ppm(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"simplex", "duplex"}))
    duplex = _rate(body, "duplex") if "duplex" in body else None
    _engine(request).set_ppm(_rate(body, "simplex"), duplex)
    return _reply(request)


async def answer(request: web.Request) -> web.Response:
    body = await _fields(request, frozenset({"choice"}))
    _engine(request).answer(_name(body, "choice"))
    return _reply(request)
