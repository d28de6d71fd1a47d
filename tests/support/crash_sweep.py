"""The crash-point sweep's harness (issue 12): one workload per crash point, the process that
owns the point killed there (SIGKILL) and started again, then the invariants.

A run starts the server (`mfp-panel server`, a real process) and a device core
(`support.device_worker`, a real process) behind a simulated network in this process, with
`MFP_CRASH_AT=<point>` in the environment of the side the point belongs to (`device.*`, or
`server.*`). The workload: print jobs submitted over REST, pushed to the device and printed
(each state reported back); scans composed while the device is offline, held in its outbox and
drained when the network comes back; a copy made offline (grouped two-sided, so with blank
backs), its usage record queued on the device and delivered when the network comes back.
Whenever a process dies at the armed point it is started again at once without the variable,
on the same data and port; the workload does not know, it waits for results, never for times.
Once everything has settled both processes stop cleanly and the invariants are checked on what
they left on disk (see INVARIANTS).

A point the workload never reaches fails its run: a point nobody can crash at proves nothing.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from panel.crashpoints import ENV
from panel.device.copying import Placement, plan_sheets, sample_original
from panel.device.engine.printer import default_trays
from panel.modes.server_mode import LISTENING, listening_url
from panel.protocol.messages import Destination
from panel.relaunch import program_argv
from panel.server.demo_data import DEMO_USERS, sample_pdf
from panel.server.store import ServerStore
from panel.sim import Network
from support import device_worker

WORKER = Path(device_worker.__file__)
USER, _, USER_PIN, _ = DEMO_USERS[0]
ADMIN, _, ADMIN_PIN, _ = DEMO_USERS[3]
DEST = "sweep-bin"
PRINT_JOBS = 3  # pushed to the device and printed
PAGES = 2  # each
SCANS = 3  # composed while the device is offline
RUN_BUDGET_S = 45.0  # one run, however loaded the machine (the suite's timeout is 60 s)
SETTLE_S = 15.0  # for the prints, then for the end, to settle: longer is stuck (normal: < 2 s)
POLL_S = 0.05
FINAL_SERVER = frozenset({"completed", "failed", "cancelled"})
FINAL_DEVICE = FINAL_SERVER | {"accepted"}

INVARIANTS = {
    "printed-once": "every job the server accepted is printed exactly once: each of its pages"
    " came out of the engine, none twice, and none of a job the server does not have",
    "same-final-state": "every print job ends in the same final state, with the same pages,"
    " on the device and on the server",
    "outbox-once-in-order": "every scan the device held is delivered exactly once (one"
    " execution, one job), in the order it was composed",
    "nothing-stuck": "no job short of a final state, no outbox row, no status report, no"
    " unfetched or unacknowledged notice, no outbox claim left in progress",
    "no-orphan-file": "every document file on the server (print and scan) and in the device's"
    " outbox belongs to a row; no temporary file is left",
    "counted-once": "the engine's counters count each page the device counted exactly once"
    " (committed with the page's count), blank sides as no impression: impressions, and the"
    " sheets taken from the trays",
    "usage-once": "every copy the device finished has one usage record on the server, with"
    " the impressions and sheets it printed; none for a copy the device does not have",
}


def copy_usage(pages_done: int) -> tuple[int, int]:
    """(impressions, sheets) the workload's copy printed once its engine pages reached
    `pages_done`, as its plan says (the device's usage record must say the same)."""
    original = sample_original(device_worker.COPY_SAMPLE, Placement.FEEDER)
    return plan_sheets(original.pages, device_worker.COPY_SETTINGS).printed(pages_done)


def side_of(point: str) -> str:
    """Which process a point belongs to: the part of its name before the first dot."""
    side = point.split(".", 1)[0]
    if side not in ("device", "server"):
        raise ValueError(f"crash point {point!r} is neither device.* nor server.*")
    return side


@dataclass
class SweepResult:
    """One run: the point, whether the workload reached it, and the invariants' verdicts."""

    point: str | None
    reached: bool = False
    restarts: int = 0
    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    error: str = ""  # the run could not finish (unreached point, a process that broke, time)
    seconds: float = 0.0
    pages: int = 0
    print_jobs: int = 0
    scans: int = 0
    copies: int = 0
    run: Run | None = field(default=None, repr=False)  # its files, to check them again

    @property
    def ok(self) -> bool:
        return not self.error and not self.violations

    def verdict(self) -> str:
        return "; ".join([self.error] * bool(self.error) + self.violations)


RESULTS: list[SweepResult] = []  # every run of this session, for the terminal summary


class Died(Exception):
    """The process ended before it answered."""


class Life:
    """One run of a child process: its output lines and its error output."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: asyncio.Queue[str | None] = asyncio.Queue()
        self.err = bytearray()
        self.ready = False
        self._readers = [
            asyncio.ensure_future(self._read_out()),
            asyncio.ensure_future(self._read_err()),
        ]

    async def _read_out(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            self.lines.put_nowait(raw.decode(errors="replace").rstrip("\n"))
        self.lines.put_nowait(None)

    async def _read_err(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            self.err += raw
            del self.err[: max(0, len(self.err) - 64_000)]

    @property
    def stderr(self) -> str:
        return self.err.decode(errors="replace")

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        if not self.proc.stdin.is_closing():
            self.proc.stdin.write(text.encode() + b"\n")

    async def line(self, prefix: str) -> str:
        """The next output line that starts with `prefix`; Died if the output ends first."""
        while (line := await self.lines.get()) is not None:
            if line.startswith(prefix):
                return line
        self.lines.put_nowait(None)  # others waiting see the end too
        raise Died

    async def ended(self) -> int:
        code = await self.proc.wait()
        await asyncio.gather(*self._readers)
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        return code

    def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()


class Child:
    """A process of the run. Armed with a crash point until it dies there; then it is started
    again at once, unarmed, on the same data. Any other death is a failure of the run."""

    def __init__(
        self,
        role: str,
        argv: list[str],
        env: dict[str, str],
        point: str | None,
        ready: str,
        first_line: str = "",
    ) -> None:
        self.role = role
        self.argv = argv
        self.env = env
        self.point = point
        self.crashed = False
        self.crashed_stopping = False  # reached the point only while being stopped
        self.restarts = 0
        self.failure = ""
        self.ready_line = ""
        self.life: Life | None = None
        self._ready_prefix = ready
        self._first_line = first_line
        self._changed = asyncio.Condition()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _run(self) -> None:
        while True:
            env = dict(self.env)
            if self.point is not None and not self.crashed:
                env[ENV] = self.point
            proc = await asyncio.create_subprocess_exec(
                *self.argv,
                env=env,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            life = self.life = Life(proc)
            if self._first_line:
                life.send(self._first_line)
            try:
                self.ready_line = await life.line(self._ready_prefix)
                life.ready = True
                await self._notify()
            except Died:
                pass
            code = await life.ended()
            life.ready = False
            at_point = (
                self.point is not None
                and not self.crashed
                and code == -signal.SIGKILL
                and f"crash point reached: {self.point}" in life.stderr
            )
            if self._stopping:
                self.crashed_stopping = at_point
                return
            if at_point:
                self.crashed = True
                self.restarts += 1
                await self._notify()
                continue
            self.failure = (
                f"the {self.role} process ended on its own (exit {code}):\n{life.stderr[-3000:]}"
            )
            await self._notify()
            return

    async def current(self) -> Life:
        """The running process, once it is ready (raises if the child failed)."""
        async with self._changed:
            await self._changed.wait_for(
                lambda: bool(self.failure) or (self.life is not None and self.life.ready)
            )
        if self.failure:
            raise AssertionError(self.failure)
        assert self.life is not None
        return self.life

    async def ask(self, command: str, answer: str) -> str:
        """Send `command`; its answer line. A process killed meanwhile is asked again once it
        is back (commands are idempotent)."""
        while True:
            life = await self.current()
            life.send(command)
            try:
                return await life.line(answer)
            except Died:
                await self._next_life(life)

    async def _next_life(self, old: Life) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.life is not old or bool(self.failure))

    async def stop(self, command: str | None) -> None:
        """End the process cleanly: `command` on its input, or SIGTERM; it must exit 0."""
        self._stopping = True
        life = self.life
        if life is None or self._task is None:
            return
        if life.proc.returncode is None:
            if command is not None:
                life.send(command)
            else:
                life.proc.terminate()
        await self._task
        code = life.proc.returncode
        if code != 0 and not self.failure and not self.crashed_stopping:
            self.failure = f"the {self.role} did not stop cleanly (exit {code}):\n{life.stderr}"

    async def close(self) -> None:
        """Kill whatever still runs (a failed or timed-out run) and reap it."""
        self._stopping = True
        if self.life is not None:
            self.life.kill()
        if self._task is not None:
            if not self._task.done():
                await self._task
            self._task = None


def _prepare_server(data: Path) -> tuple[str, str]:
    """The server's store before its first start: the users, the scan destination, the device."""
    store = ServerStore(data / "server.sqlite3")
    try:
        for user_id, name, pin, role in DEMO_USERS:
            store.add_user(user_id, name, pin, role)
        store.add_destination(Destination(DEST, "Sweep bin", "folder", "/srv/sweep"))
        return store.register_device("Sweep MFP", "MFP-Emu 1")
    finally:
        store.close()


def _child_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    for name in ("CONFIG", "DATA"):
        env[f"XDG_{name}_HOME"] = str(root / name.lower())
    run = root / "run"
    run.mkdir(mode=0o700, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(run)
    return env


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()


class Run:
    """One workload against a server and a device, with one point armed."""

    def __init__(self, point: str | None, root: Path) -> None:
        self.point = point
        self.root = root
        self.server_dir = root / "server"
        self.device_dir = root / "device"
        self.tray = root / "tray.log"
        self.accepted: list[str] = []  # print jobs the server answered 201 for
        self.held: dict[int, str] = {}  # scan number -> job id, confirmed held by the device
        self.copied = ""  # the copy's job id, once the device said it is final
        side = side_of(point) if point is not None else ""
        device_id, secret = _prepare_server(self.server_dir)
        self.device_id = device_id
        env = _child_env(root)
        server_argv = program_argv("server", "--host", "127.0.0.1", "--data", str(self.server_dir))
        # The first start takes a free port (--port 0); a restart comes back on the same one.
        self.server = Child(
            "server",
            [*server_argv, "--port", "0"],
            env,
            point if side == "server" else None,
            LISTENING,
        )
        self._server_argv = server_argv
        self._device_args = [device_id, str(self.device_dir), USER, USER_PIN, DEST, str(self.tray)]
        self._env = env
        self._secret = secret
        self._device_point = point if side == "device" else None
        self.device: Child | None = None
        self.net: Network | None = None
        self.url = ""
        self._http: aiohttp.ClientSession | None = None
        self.waiting = ""  # what the run waits for now: the message if its time runs out
        self.unsettled: list[str] = []  # what was still missing when a settling time ran out

    @property
    def armed(self) -> Child | None:
        if self.point is None:
            return None
        return self.server if side_of(self.point) == "server" else self.device

    @property
    def dev(self) -> Child:
        assert self.device is not None
        return self.device

    @property
    def http(self) -> aiohttp.ClientSession:
        assert self._http is not None
        return self._http

    # -- the run --------------------------------------------------------------------------------
    async def start(self) -> None:
        """Both processes at once (each takes a second or two to start): the device's network
        points at the server once the server says where it listens."""
        self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True))
        self.server.start()
        self.net = Network("sweep", ("127.0.0.1", 9))  # nothing listens on 9 (discard)
        await self.net.start()
        argv = [sys.executable, str(WORKER), self.net.url, *self._device_args]
        self.device = Child(
            "device", argv, self._env, self._device_point, "READY", first_line=self._secret
        )
        self.device.start()
        self.waiting = "the server to start"
        await self.server.current()
        self.url = listening_url(self.server.ready_line) or ""
        port = urlsplit(self.url).port
        assert port, self.server.ready_line
        self.server.argv = [*self._server_argv, "--port", str(port)]
        self.net.upstream = ("127.0.0.1", port)
        self.waiting = "the device to start and log in"
        await self.device.current()
        self.waiting = ""

    async def workload(self) -> None:
        for n in range(PRINT_JOBS):
            await self.submit(n)
        await self.settle(self._prints_done, "the print jobs printed and reported")
        assert self.net is not None
        await self.net.set_enabled(False)
        await self.until(self._device_offline, "the device offline")
        for n in range(SCANS):
            line = await self.dev.ask(f"scan {n}", "HELD")
            self.held[n] = line.split()[1]
        if (held := (await self.device_status())["outbox"]) != SCANS:
            raise AssertionError(f"{held} of {SCANS} scans held while the device was offline")
        self.copied = (await self.dev.ask("copy", "COPIED")).split()[1]
        await self.net.set_enabled(True)
        await self.settle(self._settled, "everything settled")

    async def stop(self) -> None:
        if self.device is not None:
            await self.device.stop("stop")
        await self.server.stop(None)
        for child in (self.device, self.server):
            if child is not None and child.failure:
                raise AssertionError(child.failure)

    def diagnosis(self) -> str:
        """The last lines each process wrote to its error output."""
        out = ""
        for child in (self.server, self.device):
            if child is not None and child.life is not None:
                tail = child.life.stderr.splitlines()[-12:]
                out += f"\n{child.role} (restarts {child.restarts}):\n  " + "\n  ".join(tail)
        trace = self.device_dir / "trace.jsonl"
        if trace.exists():
            tail = trace.read_text(errors="replace").splitlines()[-12:]
            out += "\nthe device's trace, last lines:\n  " + "\n  ".join(tail)
        return out

    async def close(self) -> None:
        if self.device is not None:
            await self.device.close()
        await self.server.close()
        if self.net is not None:
            await self.net.stop()
        if self._http is not None:
            await self._http.close()

    # -- talking to the processes -----------------------------------------------------------------
    def _admin(self) -> dict[str, str]:
        token = base64.b64encode(f"{ADMIN}:{ADMIN_PIN}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    async def submit(self, n: int) -> str:
        """Print job `n` for the device over REST, as a careful client does it: when the server
        dies before it answers (it may or may not have stored the job), look for the job once
        the server is back and send it again only if it is not there."""
        title = f"print {n}"
        body = json.dumps(
            {
                "user_id": USER,
                "title": title,
                "document_b64": base64.b64encode(sample_pdf(PAGES, title)).decode(),
                "document_name": f"{title}.pdf",
                "device_id": self.device_id,
            }
        )
        while True:
            await self.server.current()
            try:
                async with self.http.post(
                    f"{self.url}/api/v1/jobs", data=body, headers=self._admin()
                ) as r:
                    if r.status != 201:
                        raise AssertionError(f"submit refused: {r.status} {await r.text()}")
                    job_id = str((await r.json())["job_id"])
                    self.accepted.append(job_id)
                    return job_id
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(POLL_S)  # not listening (restarting): nothing was sent
                continue
            except aiohttp.ClientError:
                pass  # sent, and no answer
            found = await self._job_titled(title)
            if found is not None:
                return found

    async def _job_titled(self, title: str) -> str | None:
        """The server's job titled `title` (None: it has none), once the server answers."""
        found: list[str] = []

        async def look() -> str:
            jobs = await self.server_jobs()
            if jobs is None:
                return "the server is not answering"
            found.extend(j for j, v in jobs.items() if v["title"] == title)
            return ""

        await self.until(look, f"the server back, to look for {title!r}")
        return found[0] if found else None

    async def server_jobs(self) -> dict[str, dict[str, object]] | None:
        """The server's jobs by id, from its API; None while it is not answering."""
        try:
            async with self.http.get(f"{self.url}/api/v1/jobs", headers=self._admin()) as r:
                if r.status != 200:
                    return None
                return {j["job_id"]: j for j in (await r.json())["jobs"]}
        except aiohttp.ClientError:
            return None

    async def device_status(self) -> dict[str, object]:
        line = await self.dev.ask("status", "STATUS")
        status: dict[str, object] = json.loads(line.split(" ", 1)[1])
        return status

    async def settle(self, check: Callable[[], Awaitable[str]], what: str) -> None:
        """`until`, for at most SETTLE_S: what is still missing then is stuck for good, most
        likely; the run goes on, and the invariants say what is wrong at its end."""
        try:
            async with asyncio.timeout(SETTLE_S):
                await self.until(check, what)
        except TimeoutError:
            self.unsettled.append(self.waiting)

    async def until(self, check: Callable[[], Awaitable[str]], what: str) -> None:
        """Poll `check` (empty: done) until it is done; the run's deadline bounds it."""
        self.waiting = what
        while missing := await check():
            self.waiting = f"{what} ({missing})"
            await asyncio.sleep(POLL_S)
        self.waiting = ""

    # -- conditions -------------------------------------------------------------------------------
    async def _prints_done(self) -> str:
        jobs = await self.server_jobs()
        if jobs is None:
            return "the server is not answering"
        if len(jobs) < len(self.accepted):
            return f"the server lists {len(jobs)} jobs of {len(self.accepted)} accepted"
        if open_ := [j for j, v in jobs.items() if v["state"] not in FINAL_SERVER]:
            return f"jobs not final on the server: {open_}"
        status = await self.device_status()
        device_jobs: dict[str, dict[str, object]] = status["jobs"]  # type: ignore[assignment]
        differ = [j for j, v in jobs.items() if device_jobs.get(j, {}).get("state") != v["state"]]
        return f"the device's state differs for {differ}" if differ else ""

    async def _device_offline(self) -> str:
        return "the device is online" if (await self.device_status())["online"] else ""

    async def _settled(self) -> str:
        status = await self.device_status()
        device_jobs: dict[str, dict[str, object]] = status["jobs"]  # type: ignore[assignment]
        if not status["online"]:
            return "the device is offline"
        for what in ("outbox", "reports", "unfetched", "device_reports", "copy_specs"):
            if status[what]:
                return f"the device has {status[what]} {what}"
        if open_ := [j for j, v in device_jobs.items() if v["state"] not in FINAL_DEVICE]:
            return f"jobs not final on the device: {open_}"
        missing = await self._prints_done()
        if missing:
            return missing
        with _read_only(self.server_dir / "server.sqlite3") as db:
            (unacked,) = db.execute("SELECT COUNT(*) FROM notifications WHERE acked=0").fetchone()
        return f"{unacked} notices not acknowledged" if unacked else ""


def check(run: Run, result: SweepResult) -> None:
    """The invariants, on what the stopped processes left on disk."""
    with _read_only(run.server_dir / "server.sqlite3") as db:
        s_jobs = {
            r[0]: r[1:]
            for r in db.execute("SELECT job_id, state, pages * copies, pages_done FROM jobs")
        }
        s_titles = Counter(r[0] for r in db.execute("SELECT title FROM jobs"))
        unacked = db.execute("SELECT COUNT(*) FROM notifications WHERE acked=0").fetchone()[0]
        outgoing = db.execute(
            "SELECT job_id, key, title FROM outgoing WHERE device_id=? ORDER BY accepted_at, rowid",
            (run.device_id,),
        ).fetchall()
        ledger = db.execute(
            "SELECT key, state, status, executions FROM outbox_ledger WHERE device_id=?",
            (run.device_id,),
        ).fetchall()
        usage = Counter(
            (r[0], r[1], r[2])
            for r in db.execute(
                "SELECT job_id, impressions, sheets FROM device_usage WHERE device_id=?",
                (run.device_id,),
            )
        )
    with _read_only(run.device_dir / "device.sqlite3") as db:
        d_jobs = {
            r[0]: r[1:]
            for r in db.execute(
                "SELECT job_id, kind, title, state, pages * copies, pages_done FROM jobs"
            )
        }
        d_outbox = {r[0] for r in db.execute("SELECT key FROM outbox")}
        d_reports = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        d_unfetched = db.execute("SELECT COUNT(*) FROM receptions WHERE fetched=0").fetchone()[0]
        d_engine = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM engine")}
        d_blank = {
            str(j): [int(p) for p in str(pages).split(",")]
            for j, pages in db.execute("SELECT job_id, pages FROM job_blank_sides")
        }
        d_queued = db.execute("SELECT COUNT(*) FROM device_reports").fetchone()[0]
        d_specs = db.execute(
            "SELECT COUNT(*) FROM meta WHERE key LIKE 'copy:%' AND value != ''"
        ).fetchone()[0]
    tray = Counter(
        tuple(line.split())
        for line in (run.tray.read_text() if run.tray.exists() else "").split("\n")
        if line
    )
    prints = {j: v for j, v in d_jobs.items() if v[0] == "cloud-print"}
    scans = {j: v for j, v in d_jobs.items() if v[0] == "scan"}
    copies = {j: v for j, v in d_jobs.items() if v[0] == "copy"}
    result.pages = sum(tray.values())
    result.print_jobs = len(s_jobs)
    result.scans = len(outgoing)
    result.copies = len(copies)
    found: dict[str, list[str]] = {name: [] for name in INVARIANTS}

    # printed-once
    bad = found["printed-once"]
    bad += [
        f"job {j} was accepted (201) but the server lost it"
        for j in run.accepted
        if j not in s_jobs
    ]
    bad += [f"{t!r} stored {c} times by the server" for t, c in s_titles.items() if c > 1]
    for job_id, (state, _total, _done) in s_jobs.items():
        if job_id not in prints:
            bad.append(f"job {job_id} ({state} on the server) never reached the device")
            continue
        d_state, d_total, d_done = prints[job_id][2:]
        if d_state != "completed" or d_done != d_total:
            bad.append(f"job {job_id} is {d_state} on the device with {d_done}/{d_total} pages")
    for job_id, (_state, total, _done) in s_jobs.items():
        missing = [p for p in range(1, total + 1) if (job_id, str(p)) not in tray]
        if missing:
            bad.append(f"pages {missing} of job {job_id} never came out of the engine")
    for job_id, (*_, total, _done) in copies.items():
        missing = [p for p in range(1, total + 1) if (job_id, str(p)) not in tray]
        if missing:
            bad.append(f"pages {missing} of copy {job_id} never came out of the engine")
    for (job_id, page), times in sorted(tray.items()):
        if times > 1:
            bad.append(f"page {page} of job {job_id} printed {times} times")
        if job_id not in s_jobs and job_id not in copies:
            bad.append(f"page {page} of job {job_id} printed, a job the server does not have")

    # same-final-state
    bad = found["same-final-state"]
    bad += [f"job {j} is on the device only" for j in prints if j not in s_jobs]
    for job_id, (state, _total, done) in s_jobs.items():
        if job_id in prints:
            d_state, _d_total, d_done = prints[job_id][2:]
            if (state, done) != (d_state, d_done):
                bad.append(
                    f"job {job_id}: server {state} ({done} pages), device {d_state} ({d_done})"
                )

    # outbox-once-in-order
    bad = found["outbox-once-in-order"]
    keys = [r[1] for r in outgoing]
    bad += [
        f"scan {n} ({j}) was held but the device lost it"
        for n, j in run.held.items()
        if j not in scans
    ]
    bad += [f"scan {j} is {v[2]} on the device" for j, v in scans.items() if v[2] != "accepted"]
    titles = Counter(v[1] for v in scans.values())
    bad += [f"{t!r} composed {c} times" for t, c in titles.items() if c > 1]
    if len(keys) != len(set(keys)):
        twice = sorted(k for k, c in Counter(keys).items() if c > 1)
        bad.append(f"the server has outgoing jobs twice: {twice}")
    if set(keys) != set(scans):
        bad.append(
            f"scans on the device {sorted(scans)} but outgoing jobs on the server {sorted(keys)}"
        )
    bad += [
        f"{k}: executed {e} times ({state}, {status})"
        for k, state, status, e in ledger
        if e != 1 or status != 201
    ]
    order = [r[2] for r in outgoing]
    expected = [device_worker.scan_title(n) for n in range(SCANS)]
    if order != expected:
        bad.append(f"the server took the scans in the order {order}, composed as {expected}")

    # nothing-stuck
    bad = found["nothing-stuck"]
    bad += [
        f"job {j} is {v[0]} on the server" for j, v in s_jobs.items() if v[0] not in FINAL_SERVER
    ]
    bad += [
        f"job {j} is {v[2]} on the device" for j, v in d_jobs.items() if v[2] not in FINAL_DEVICE
    ]
    if unacked:
        bad.append(f"{unacked} notices never acknowledged")
    bad += [f"outbox claim {k} still {state}" for k, state, _s, _e in ledger if state != "done"]
    if d_outbox:
        bad.append(f"{len(d_outbox)} rows left in the device's outbox")
    if d_reports:
        bad.append(f"{d_reports} status reports never delivered")
    if d_unfetched:
        bad.append(f"{d_unfetched} notices received but never fetched")
    if d_queued:
        bad.append(f"{d_queued} device reports (status, usage) never delivered")
    if d_specs:
        bad.append(f"{d_specs} copies whose usage was never recorded")
    bad += [f"copy {j} is {v[2]} on the device" for j, v in copies.items() if v[2] != "completed"]
    if run.copied and run.copied not in copies:
        bad.append(f"the copy {run.copied} finished but the device lost it")

    # counted-once
    bad = found["counted-once"]
    counted = sum(
        v[4] - sum(1 for p in d_blank.get(j, []) if p <= v[4])
        for j, v in d_jobs.items()
        if v[0] in ("cloud-print", "copy")
    )
    total = int(d_engine.get("counter:total", "0"))
    if total != counted:
        bad.append(f"the engine counted {total} impressions, the jobs {counted} pages")
    taken = sum(
        t.capacity - int(d_engine.get(f"tray:{t.tray_id}:level", t.capacity))
        for t in default_trays()
    )
    sheets = int(d_engine.get("counter:sheets", "0"))
    if taken != sheets:
        bad.append(f"{taken} sheets left the trays, the engine counted {sheets}")

    # usage-once
    bad = found["usage-once"]
    for job_id, (*_, done) in copies.items():
        want = copy_usage(done)
        records = [(i, sh) for (j, i, sh), n in usage.items() if j == job_id for _ in range(n)]
        if records != [want]:
            bad.append(f"copy {job_id}: usage records {records} on the server, expected [{want}]")
    bad += [f"usage of {j} on the server, a copy the device does not have"
            for j, _i, _s in usage if j not in copies]  # fmt: skip

    # no-orphan-file
    bad = found["no-orphan-file"]
    for folder, owners in (
        (run.server_dir / "documents", set(s_jobs)),
        (run.server_dir / "outgoing", {r[0] for r in outgoing}),
        (run.device_dir / "outbox", {f"{k}.pdf" for k in d_outbox}),
    ):
        for path in sorted(folder.iterdir()) if folder.exists() else []:
            if path.name not in owners:
                bad.append(f"{path.relative_to(run.root)} belongs to no row")

    result.checked = list(INVARIANTS)
    result.violations = [f"{name}: {v}" for name, vs in found.items() for v in vs]


async def sweep(point: str | None, root: Path, budget_s: float = RUN_BUDGET_S) -> SweepResult:
    """One run of the workload with `point` armed (None: no crash, the baseline)."""
    result = SweepResult(point)
    started = time.monotonic()
    run = result.run = Run(point, root)
    stopped = False
    try:
        try:
            async with asyncio.timeout(budget_s):
                await run.start()
                await run.workload()
                await run.stop()
                stopped = True
        except TimeoutError:
            result.error = (
                f"timed out after {budget_s:.0f} s waiting for {run.waiting or '?'}"
                + run.diagnosis()
            )
        except AssertionError as exc:
            result.error = str(exc)
        result.reached = run.point is None or (run.armed is not None and run.armed.crashed)
        if not result.reached and not result.error:
            late = run.armed is not None and run.armed.crashed_stopping
            result.error = (
                f"unreached: the workload never reached {point}"
                + (" (only stopping the process did)" if late else "")
                + "; a point nobody can crash at proves nothing (extend the workload in"
                " support/crash_sweep.py)"
            )
        if stopped:
            check(run, result)
            if run.unsettled:
                result.error = f"not settled within {SETTLE_S:.0f} s: " + "; ".join(run.unsettled)
    finally:
        await run.close()
        if run.armed is not None:
            result.restarts = run.armed.restarts
        result.seconds = time.monotonic() - started
        RESULTS.append(result)
    return result
