"""Submitting print jobs for fleet users, as an administrator over the server's local socket
(or with an admin's ID and PIN): paced, for latency, or all at once, for throughput."""

from __future__ import annotations

import asyncio
import base64
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from panel.protocol import PROTOCOL_VERSION, decode_body, encode_body
from panel.protocol.messages import JobCreate, JobInfo
from panel.server.demo_data import sample_pdf


@dataclass
class Submitted:
    """Jobs the server accepted (id -> its creation time) and submissions that failed."""

    created: dict[str, float] = field(default_factory=dict)
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class JobSubmitter:
    """One HTTP session for every submission (a connection pool, not a session per job)."""

    def __init__(
        self, server_url: str, unix_path: Path | None, basic: tuple[str, str] | None = None
    ) -> None:
        self._base = server_url.rstrip("/")
        connector: aiohttp.BaseConnector
        if unix_path is not None:
            connector = aiohttp.UnixConnector(path=str(unix_path), limit=0)
            self._base = "http://localhost"
        else:
            connector = aiohttp.TCPConnector(limit=0)
        headers = {"Content-Type": "application/json"}
        if basic is not None:
            token = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        self._session = aiohttp.ClientSession(
            connector=connector, headers=headers, timeout=aiohttp.ClientTimeout(total=120)
        )
        self._doc = base64.b64encode(sample_pdf(1, "fleet")).decode()

    async def close(self) -> None:
        await self._session.close()

    async def submit(self, user_id: str, into: Submitted) -> None:
        body = encode_body(JobCreate(user_id, "Fleet job", self._doc, "fleet.pdf"))
        url = f"{self._base}/api/v{PROTOCOL_VERSION}/jobs"
        try:
            async with self._session.post(url, data=body) as resp:
                raw = await resp.read()
                if resp.status != 201:
                    into.failed += 1
                    into.errors.append(f"{resp.status}: {raw[:200]!r}")
                    return
            job = decode_body(JobInfo, raw)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            into.failed += 1
            into.errors.append(f"{type(exc).__name__}: {exc}")
            return
        into.created[job.job_id] = job.created_at

    async def paced(
        self, users: list[str], rate: float, seconds: float, into: Submitted | None = None
    ) -> Submitted:
        """`rate` jobs a second for `seconds`, each for a random user, each on its own task
        (a slow answer does not hold the next one back)."""
        into = into or Submitted()
        count = max(1, round(rate * seconds))
        t0 = time.monotonic()
        async with asyncio.TaskGroup() as group:
            for n in range(count):
                _ = group.create_task(self.submit(random.choice(users), into))
                wait = t0 + (n + 1) / rate - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
        return into

    async def burst(
        self, users: list[str], count: int, concurrency: int
    ) -> tuple[Submitted, float]:
        """`count` jobs, `concurrency` in flight at a time; returns them and the seconds taken."""
        into = Submitted()
        queue = [users[n % len(users)] for n in range(count)]
        random.shuffle(queue)

        async def lane() -> None:
            while queue:
                await self.submit(queue.pop(), into)

        t0 = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                _ = group.create_task(lane())
        return into, time.perf_counter() - t0
