"""`bench engine`: the print engine's pages per minute on the real clock, and how soon a job
goes on after a jam is cleared.

A job manager over a real device store (a temporary SQLite file, each page committed with
its counters as on a device) prints local jobs through the engine at the configured rates.

- `ppm_ratio_simplex`, `ppm_ratio_duplex`: pages per minute measured against the configured
  rate, from the first page's start to the last page out (n pages = n periods). The engine
  schedules each page against an absolute deadline, so the ratio stays near 1 however long
  the job (goal: within 2%).
- `jam_clear_to_next_page_ms`: the median, over `jams` runs, of the time from `clear()` on a
  jammed engine to the jammed page's start again (the job waits on the jam, not on a timer).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from panel.bench import report
from panel.device.clock import Clock
from panel.device.connection import ServerLink
from panel.device.engine import PrintEngine, PrintOptions
from panel.device.events import Event, EventBus, EventKind
from panel.device.jobs import JobManager
from panel.device.model import Job, JobKind, JobState
from panel.device.store import DeviceStore
from panel.trace import Trace

STEP_TIMEOUT_S = 600.0


class _Bench:
    def __init__(self, data: Path, ppm: float, ppm_duplex: float) -> None:
        self.clock = Clock()
        self.events = EventBus()
        self.trace = Trace(None)
        self.store = DeviceStore(data / "device.sqlite3")
        self.engine = PrintEngine(
            self.events, self.trace, self.clock, self.store, ppm, 0.0, ppm_duplex=ppm_duplex
        )
        # Local jobs never reach the server: the link is never called.
        self.link = ServerLink(self.events, self.trace, "http://127.0.0.1:9", "bench", "-")
        self.jobs = JobManager(
            self.store, self.link, self.engine, self.events, self.trace, self.clock
        )
        self._count = 0

    async def close(self) -> None:
        await self.jobs.stop()
        await self.link.close()
        self.store.close()

    def job(self, pages: int, options: PrintOptions) -> Job:
        self._count += 1
        made = Job(f"bench-{self._count}", JobKind.COPY, "Bench", "bench", JobState.QUEUED, pages)
        return self.jobs.enqueue_local(made, options)

    def stamps(self, kind: EventKind, job: Job) -> list[float]:
        """perf_counter() at each event of `kind` for `job`, from now on."""
        found: list[float] = []

        def on(event: Event) -> None:
            if event.subject is job:
                found.append(time.perf_counter())

        self.events.subscribe(on, kind)
        return found

    async def until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError(f"bench engine: timed out waiting for {what}")
            await asyncio.sleep(0.001)

    async def ratio(self, pages: int, duplex: bool) -> float:
        """Measured pages per minute over the configured rate, for one job of `pages`."""
        job = self.job(pages, PrintOptions(duplex=duplex))
        starts = self.stamps(EventKind.PAGE_STARTED, job)
        outs = self.stamps(EventKind.SHEET_OUT, job)
        await self.until(lambda: job.state.is_final, f"{job.job_id} to print")
        assert len(outs) == pages, f"{len(outs)} pages of {pages} came out"
        measured = pages * 60.0 / (outs[-1] - starts[0])
        return measured / (self.engine.ppm_duplex if duplex else self.engine.ppm)

    async def jam_clear_ms(self) -> float:
        """Jam the second page of a job, clear it, time the clear -> that page's start."""
        job = self.job(3, PrintOptions())
        starts = self.stamps(EventKind.PAGE_STARTED, job)
        await self.until(lambda: len(starts) >= 2, "page 2 to start")
        self.engine.jam("tray-1")
        await asyncio.sleep(0.05)  # the engine settles on the jam: it waits, nothing runs
        started = len(starts)
        cleared = time.perf_counter()
        self.engine.clear()
        await self.until(lambda: len(starts) > started, "the page after the clear")
        latency = (starts[started] - cleared) * 1000.0
        await self.until(lambda: job.state.is_final, f"{job.job_id} to print")
        return latency


async def _measure(pages: int, ppm: float, ppm_duplex: float, jams: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="mfp-bench-engine-") as tmp:
        bench = _Bench(Path(tmp), ppm, ppm_duplex)
        bench.jobs.start()
        try:
            simplex = await bench.ratio(pages, duplex=False)
            duplex = await bench.ratio(pages, duplex=True)
            latencies = [await bench.jam_clear_ms() for _ in range(jams)]
        finally:
            await bench.close()
    return {
        "pages": pages,
        "ppm_simplex": ppm,
        "ppm_duplex": ppm_duplex,
        "ppm_ratio_simplex": round(simplex, 4),
        "ppm_ratio_duplex": round(duplex, 4),
        "jam_clear_to_next_page_ms": round(statistics.median(latencies), 3),
        "jam_clear_to_next_page_max_ms": round(max(latencies), 3),
        "jams": jams,
    }


def bench_engine(pages: int, ppm: float, ppm_duplex: float, jams: int, as_json: bool) -> int:
    if pages < 2 or jams < 1 or ppm <= 0 or ppm_duplex <= 0:
        raise SystemExit("bench engine: --pages >= 2, --jams >= 1 and positive rates")
    figures = asyncio.run(_measure(pages, ppm, ppm_duplex, jams))
    lines = [
        f"engine, {pages} pages a job, measured on the real clock:",
        f"  simplex: {figures['ppm_ratio_simplex']:.4f} of {ppm:g} pages/min",
        f"  duplex:  {figures['ppm_ratio_duplex']:.4f} of {ppm_duplex:g} pages/min",
        f"  jam cleared -> next page started: median {figures['jam_clear_to_next_page_ms']:.3f}"
        f" ms, max {figures['jam_clear_to_next_page_max_ms']:.3f} ms ({jams} jams)",
    ]
    report(figures, as_json, lines)
    return 0
