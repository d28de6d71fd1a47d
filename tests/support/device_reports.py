"""Helpers of the device-report tests (issue 14): status and usage bodies as a device sends
them, posting a batch as a device, and reading a device's status as an administrator."""

from __future__ import annotations

import base64
from typing import Any

import aiohttp

from panel.server.app import RunningServer

API = "/api/v1"
ADMIN = {"Authorization": "Basic " + base64.b64encode(b"9000:9999").decode()}
JAM = {
    "keyword": "media-jam",
    "severity": "error",
    "code": "J-0101",
    "location": "tray-1",
    "message": "Paper jam at the tray 1 feed.",
}
TONER_LOW = {
    "keyword": "toner-low",
    "severity": "warning",
    "code": "T-0201",
    "location": "toner-cyan",
    "message": "Cyan toner is low.",
}


def status_body(
    state: str = "idle", reasons: list[dict[str, Any]] | None = None, total: int = 0
) -> dict[str, Any]:
    """A status body with two trays and four toners; `total` impressions so far."""
    return {
        "state": state,
        "reasons": reasons or [],
        "trays": [
            {
                "tray_id": "tray-1",
                "name": "Tray 1",
                "media": "iso_a4_210x297mm",
                "capacity": 500,
                "level": 250,
            },
            {
                "tray_id": "bypass",
                "name": "Bypass",
                "media": "iso_a4_210x297mm",
                "capacity": 100,
                "level": 0,
            },
        ],
        "toner": [
            {"colour": c, "pct": p}
            for c, p in (("black", 80), ("cyan", 9), ("magenta", 55), ("yellow", 60))
        ],
        "counters": {"total": total, "colour": 0, "mono": total, "duplex": 0, "sheets": total},
    }


def usage_body(job_id: str, impressions: int = 6) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "user_id": "1001",
        "kind": "copy",
        "impressions": impressions,
        "sheets": impressions // 2,
        "colour": False,
        "duplex": True,
    }


def report(seq: int, body: dict[str, Any], at: float | None = None) -> dict[str, Any]:
    kind = "usage" if "job_id" in body else "status"
    return {
        "seq": seq,
        "kind": kind,
        "at": float(at if at is not None else 1000 + seq),
        "body": body,
    }


def device_headers(
    server: RunningServer, name: str = "Reporting MFP"
) -> tuple[str, dict[str, str]]:
    """A newly registered device's id and the headers it authenticates with."""
    device_id, secret = server.store.register_device(name, "MFP-Emu 1")
    return device_id, {"Authorization": f"Bearer {device_id}.{secret}"}


async def post_reports(
    client: aiohttp.ClientSession,
    server: RunningServer,
    headers: dict[str, str],
    reports: list[dict[str, Any]],
    stream: str = "stream-1",
) -> tuple[int, dict[str, Any]]:
    url = f"{server.url}{API}/devices/me/reports"
    async with client.post(url, json={"stream": stream, "reports": reports}, headers=headers) as r:
        return r.status, await r.json()


async def get_status(
    client: aiohttp.ClientSession,
    server: RunningServer,
    device_id: str,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    url = f"{server.url}{API}/devices/{device_id}/status"
    async with client.get(url, headers=ADMIN if headers is None else headers) as r:
        return r.status, await r.json()
