"""Bounded memory before authentication, measured on a real server process (issue 12, finding 4).

Before: 8 parallel gzip bodies of 199 KB to the operator login took the server to 486 MiB, each
inflated up to the 48 MiB body limit before its 413. Here 50 compression bombs at once (65 KB of
gzip that inflates to 64 MiB) go to each login endpoint in turn; the server's peak resident
memory (VmHWM, reset first through /proc/PID/clear_refs) may grow less than 64 MB over what it
held before, every bomb gets a clear 413, and the server logs no error and goes on serving.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from panel.modes.server_mode import listening_url, server_argv
from panel.server.demo_data import DEMO_OPERATORS
from panel.server.http import LOGIN_BODY_BYTES

API = "/api/v1"
PARALLEL = 50
MAX_GROWTH_MB = 64
ADMIN = {"Authorization": "Basic " + base64.b64encode(b"9000:9999").decode()}


@dataclass
class ServerProcess:
    url: str
    pid: int
    log: Path

    def status_kb(self, field: str) -> int:
        """A memory figure of the server from /proc/PID/status (VmRSS, VmHWM), in kB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/{self.pid}/status")

    def reset_peak(self) -> None:
        """Linux: writing 5 to clear_refs resets VmHWM to the current RSS."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")


@pytest.fixture
async def server_process(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = await asyncio.create_subprocess_exec(
            *server_argv(tmp_path / "srv", seed_demo=True),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
        )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(60):
            url = listening_url((await proc.stdout.readline()).decode())
        assert url is not None, log.read_text()
        yield ServerProcess(url, proc.pid, log)
    finally:
        proc.terminate()
        await proc.communicate()
    assert proc.returncode == 0, log.read_text()


async def _bomb_all(session: aiohttp.ClientSession, url: str, body: bytes, headers: dict) -> list:
    """Send `PARALLEL` bombs at once; each answer's status and error code."""

    async def one() -> tuple[int, str, str]:
        async with session.post(url, data=body, headers=headers) as r:
            reply = await r.json()
            return r.status, reply.get("error", ""), reply.get("message", "")

    return await asyncio.gather(*(one() for _ in range(PARALLEL)))


async def test_fifty_parallel_gzip_bombs_per_login_endpoint_stay_under_64_mb(server_process):
    server = server_process
    bomb = gzip.compress(b" " * (64 << 20), compresslevel=9)
    assert len(bomb) < 100_000
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async with session.post(
            f"{server.url}{API}/devices", json={"name": "Bomb"}, headers=ADMIN
        ) as r:
            assert r.status == 201, await r.text()
            reg = await r.json()
        device = {"Authorization": f"Bearer {reg['device_id']}.{reg['secret']}"}
        operator = DEMO_OPERATORS[0]
        endpoints = {
            "operator login (no credential)": (f"{API}/operator/login", {}),
            "device login (user PIN)": (f"{API}/sessions", device),
            "card login": (f"{API}/sessions/card", device),
            "device registration (admin PIN)": (f"{API}/devices", ADMIN),
        }
        # Warm up: one bomb and one real login each, so what is loaded once is in the baseline.
        for path, headers in endpoints.values():
            gz = {**headers, "Content-Encoding": "gzip"}
            async with session.post(f"{server.url}{path}", data=bomb, headers=gz) as r:
                assert r.status == 413
        async with session.post(
            f"{server.url}{API}/operator/login",
            json={"operator_id": operator[0], "password": operator[2]},
        ) as r:
            assert r.status == 200
        server.reset_peak()
        baseline_kb = server.status_kb("VmRSS")
        for name, (path, headers) in endpoints.items():
            gz = {**headers, "Content-Encoding": "gzip"}
            answers = await _bomb_all(session, f"{server.url}{path}", bomb, gz)
            refused = [a for a in answers if a[0] == 413 and a[1] == "too_large"]
            assert len(refused) == PARALLEL, f"{name}: {sorted(set(answers))}"
            assert all(f"at most {LOGIN_BODY_BYTES} bytes" in a[2] for a in answers)
        peak_kb = server.status_kb("VmHWM")
        growth_mb = (peak_kb - baseline_kb) / 1024
        print(
            f"server RSS before {baseline_kb / 1024:.1f} MiB, peak during "
            f"{len(endpoints)} x {PARALLEL} bombs {peak_kb / 1024:.1f} MiB: +{growth_mb:.1f} MiB"
        )
        assert growth_mb < MAX_GROWTH_MB
        async with session.get(f"{server.url}{API}/health") as r:
            assert r.status == 200
    logged = server.log.read_text()
    assert "Traceback" not in logged
    assert "ERROR" not in logged
