"""Run a scenario: build its world (`panel.scenario.world`), play its timeline of actions
(`panel.scenario.actions`) and check its expectations (`panel.scenario.expectations`), each by
its deadline in scenario time.

Headless runs step a ManualClock from event to event: from the next step, deadline or timer of
the devices and their networks to the next (at most MAX_STEP_S at a time), after waiting in
real time until every exchange over a working network has its answer; a 10-minute timeline
with nothing that needs real time runs in seconds. With the panel (`RunOptions.panel`) or a
speed (`RunOptions.speed`) the clock is real, scaled by the speed, and the scenario's time zero
is the instant every device has finished starting and is online (or its start settled: it tried
and went offline; `World.await_started`), as on the virtual clock, where nothing moves time
before the devices are quiet: `at = 1` means one second after the device is up, at any speed,
not one second into the server's and the devices' start-up.

What runs in which time, headless: the devices' timers and time-outs (network ones too) and the
simulated networks' toxics run on the virtual clock; the server and the panel's own Qt timers
run in real time (a server-side time-out, e.g. a relay offer's, takes real seconds, so a
scenario should not wait for one). Every exchange over a network without a fault is answered
at the instant it was sent; a lossy network gets LOSSY_GRACE_S of real time per look.

    result = await run_scenario(scenario, RunOptions())
    code = run_files([Path("scenarios/lan-drop.toml")], RunOptions(junit=Path("out.xml")))
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO

from panel.device.clock import Clock, ManualClock, run_until_idle
from panel.scenario.actions import (
    HANDLERS,
    PANEL_ACTIONS,
    PERSON_ACTIONS,
    ActionContext,
    ActionError,
    PanelDriver,
)
from panel.scenario.expectations import CHECKERS, PANEL_EXPECTATIONS, THROUGHOUT_OPS
from panel.scenario.model import Scenario, Step
from panel.scenario.world import TraceLine, World, WorldError, settle_devices

MAX_STEP_S: Final = 5.0  # the longest the virtual clock moves between two looks
POLL_S: Final = 0.02  # real time between two looks when the clock is real
EPS: Final = 1e-6
# Actions that wait on the device's clock (a login over a failing network times out in
# scenario time); every other action takes no scenario time and is awaited in real time,
# up to INSTANT_ACTION_S, before the clock moves on.
CLOCKED_ACTIONS: Final = frozenset({"login", "card"})
INSTANT_ACTION_S: Final = 10.0
QUIET_ROUNDS: Final = 50  # at most this many rounds of the loop before the clock moves
TRACE_LINES: Final = 25  # a failure's report shows this many trace lines before it

EXIT_PASSED, EXIT_FAILED, EXIT_BAD_FILE = 0, 1, 2


@dataclass(frozen=True)
class RunOptions:
    """How to run: headless on the virtual clock (default), with the panel and the QA dock
    visible in real time (`panel`), or on a real clock `speed` times faster (with the panel)."""

    panel: bool = False
    speed: float | None = None
    junit: Path | None = None
    out: TextIO | None = None  # the summary (None: stdout)
    keep: Path | None = None  # keep each run's data directories under this folder

    @property
    def real_time(self) -> bool:
        return self.panel or self.speed is not None


@dataclass
class StepResult:
    step: Step
    status: str = "pending"  # pending | running | done | met | failed
    started: float | None = None  # scenario time
    finished: float | None = None
    message: str = ""


@dataclass
class ScenarioResult:
    scenario: Scenario
    passed: bool
    steps: list[StepResult]
    failure: StepResult | None = None
    message: str = ""  # why it failed, one line
    failed_at: float = 0.0  # scenario time
    trace: list[str] = field(default_factory=list)  # lines around the failure
    timeline_s: float = 0.0  # scenario time the run took
    wall_s: float = 0.0

    @property
    def label(self) -> str:
        path = self.scenario.path
        return f"{path}" if path is not None else self.scenario.name


def needs_panel(scenario: Scenario) -> bool:
    """A panel is built when a step taps, presses a key or looks at the screen."""
    return any(
        s.kind in (PANEL_EXPECTATIONS if s.is_expectation else PANEL_ACTIONS)
        for s in scenario.steps
    )


class _Run:
    """One scenario's run over its world."""

    def __init__(
        self,
        scenario: Scenario,
        world: World,
        clock: Clock,
        panel: PanelDriver | None,
        speed: float,
    ) -> None:
        self.scenario = scenario
        self.world = world
        self.clock = clock
        self.speed = speed
        self.ctx = ActionContext(world, panel)
        self.results = [StepResult(step) for step in scenario.steps]
        self.met_at: dict[str, float] = {}
        self.tasks: list[asyncio.Task[None]] = []
        self.person: dict[str, asyncio.Task[None]] = {}
        # actions running now that take no scenario time: resolved when each ends
        self.instant: dict[int, asyncio.Future[None]] = {}
        self.failure: StepResult | None = None
        self.message = ""
        self.failed_at = 0.0

    # -- when each step starts ---------------------------------------------------------------------
    def start_time(self, step: Step) -> float | None:
        if step.after is None:
            return step.at
        met = self.met_at.get(step.after)
        return None if met is None else met + step.at

    def _due(self, now: float) -> list[StepResult]:
        due = []
        for result in self.results:
            when = self.start_time(result.step)
            if result.status == "pending" and when is not None and when <= now + EPS:
                due.append((when, result))
        due.sort(key=lambda pair: pair[0])  # stable: file order within one instant
        return [result for _, result in due]

    def _next_time(self) -> float:
        times = [self.scenario.timeout]
        for result in self.results:
            if result.status == "pending":
                when = self.start_time(result.step)
                if when is not None:
                    times.append(when)
            elif result.status == "running" and result.step.is_expectation:
                assert result.started is not None
                times.append(result.started + result.step.within)
        return min(times)

    # -- actions -----------------------------------------------------------------------------------
    def _start_action(self, result: StepResult) -> None:
        step = result.step
        handler = HANDLERS[step.kind]
        device = step.device or next(iter(self.world.slots))
        before = self.person.get(device) if step.kind in PERSON_ACTIONS else None

        async def act() -> None:
            if before is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await before  # a person does one thing after another
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if step.kind not in CLOCKED_ACTIONS:
                self.instant[id(result)] = done
            try:
                await handler(self.ctx, step)
            except ActionError as exc:
                self._fail(result, f"{step.label} could not be done: {exc}")
            except Exception as exc:  # a bug or an unexpected refusal: the report says which
                self._fail(result, f"{step.label} failed: {type(exc).__name__}: {exc}")
            else:
                result.status = "done"
                result.finished = self.world.now()
            finally:
                self.instant.pop(id(result), None)
                done.set_result(None)

        task = asyncio.ensure_future(act())
        self.tasks.append(task)
        if step.kind in PERSON_ACTIONS:
            self.person[device] = task

    def _first_open(self) -> StepResult:
        """The step a run that must stop now is stopped at: the first not yet done."""
        waiting = [r for r in self.results if r.status in ("running", "pending")]
        return waiting[0] if waiting else self.results[-1]

    def failed(self) -> bool:
        return self.failure is not None

    def _fail(self, result: StepResult, message: str) -> None:
        result.status = "failed"
        result.finished = self.world.now()
        result.message = message
        if self.failure is None:
            self.failure = result
            self.message = message
            self.failed_at = result.finished

    # -- expectations ------------------------------------------------------------------------------
    def _check(self, now: float) -> bool:
        """Look at every running expectation; True when one was met (its `after` steps may be
        due at once)."""
        changed = False
        for result in self.results:
            if result.status != "running" or not result.step.is_expectation:
                continue
            step = result.step
            assert result.started is not None
            deadline = result.started + step.within
            try:
                check = CHECKERS[step.kind](self.ctx, step, result.started)
            except ActionError as exc:
                self._fail(result, f"{step.label}: {exc}")
                return False
            if check.met:
                result.status = "met"
                result.finished = now
                if step.id is not None:
                    self.met_at[step.id] = now
                changed = True
            elif check.broken:
                self._fail(result, f"{step.label} no longer holds at {now:.3f} s: {check.seen}")
            elif now >= deadline - EPS:
                if step.kind == "count" and step.params.get("op", "==") in THROUGHOUT_OPS:
                    result.status = "met"
                    result.finished = now
                    if step.id is not None:
                        self.met_at[step.id] = now
                    changed = True
                else:
                    seen = f"; saw: {check.seen}" if check.seen else ""
                    self._fail(
                        result,
                        f"{step.label} not met within {step.within:g} s "
                        f"(from {result.started:.3f} s to {deadline:.3f} s){seen}",
                    )
        return changed

    # -- the loop ---------------------------------------------------------------------------
    async def run(self) -> None:
        world = self.world
        while not self.failed():
            now = world.now()
            for result in self._due(now):
                result.status = "running"
                result.started = now
                if not result.step.is_expectation:
                    self._start_action(result)
            try:
                await self._quiet()
            except TimeoutError as exc:  # the product (or the machine) stopped answering
                self._fail(self._first_open(), f"the run stalled at {now:.3f} s: {exc}")
                break
            world.read_traces()
            if self.failed():
                break
            if self._check(world.now()):
                continue  # steps placed after what was just met may be due now
            if self.failed():
                break
            if all(r.status in ("done", "met") for r in self.results):
                return
            if now >= self.scenario.timeout - EPS:
                first = self._first_open()
                self._fail(
                    first,
                    f"the scenario's timeout ({self.scenario.timeout:g} s) passed while "
                    f"{first.step.label} was {first.status}",
                )
                break
            await self._advance(self._next_time())

    async def _quiet(self) -> None:
        """Let what was started run on before anything is looked at. On the virtual clock,
        an action that takes no scenario time (a job submitted to the server, a restart) is
        awaited in real time first: its threads and sockets must not let the clock run."""
        if isinstance(self.clock, ManualClock):
            await run_until_idle()
            if self.instant:
                await asyncio.wait(list(self.instant.values()), timeout=INSTANT_ACTION_S)
            # Until a round of the loop changes nothing the devices do: on a qasync loop (the
            # panel's) "idle" is a fixed number of turns, fewer than a device's start takes
            # to put its first exchange on the wire.
            before = None
            for _ in range(QUIET_ROUNDS):
                await run_until_idle()
                if self.ctx.panel is not None:
                    await self.ctx.panel.settle()
                await settle_devices(self.world)
                now = self.world.fingerprint()
                if now == before:
                    break
                before = now
        else:
            await asyncio.sleep(0)
            if self.ctx.panel is not None:
                await self.ctx.panel.settle()

    async def _advance(self, until: float) -> None:
        """Move the scenario's time towards `until` (scenario seconds)."""
        clock = self.clock
        now = self.world.now()
        if isinstance(clock, ManualClock):
            target = min(until, now + MAX_STEP_S)
            due = clock.next_due()
            if due is not None:
                target = min(target, max(now, due - (clock.monotonic() - now)))
            # One deadline at a time and without running the loop: a timer set by what the
            # loop would run now fires only after the next settling (see `_quiet`).
            clock.advance(max(0.0, target - now))
            return
        wait = max(0.0, until - now) / self.speed
        await asyncio.sleep(min(wait, POLL_S))

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(BaseException):
                await task

    def trace_excerpt(self) -> list[str]:
        """The device and server lines up to the failure (the last TRACE_LINES of them)."""
        lines: list[TraceLine] = [
            line for line in self.world.lines if line.at <= self.failed_at + EPS
        ]
        return [line.show() for line in lines[-TRACE_LINES:]]


async def run_scenario(
    scenario: Scenario,
    options: RunOptions | None = None,
    panel_factory: Callable[[World], PanelDriver] | None = None,
) -> ScenarioResult:
    """Run one scenario; its result says whether it passed and, if not, where it failed.

    `panel_factory(world)` builds the panel windows (a PanelDriver that follows the devices as
    they start and stop). By default they are built when a step needs the panel (a tap, a key,
    a screen) or the run is to be seen: the caller then runs a qasync loop (`run_with_qt`).
    WorldError when the scenario asks for what cannot be built (an unknown device setting)."""
    options = options or RunOptions()
    if panel_factory is None and _wants_panel(scenario, options):
        panel_factory = panel_factory_for(options)
    speed = options.speed or 1.0
    clock: Clock = Clock(speed) if options.real_time else ManualClock()
    started = time.perf_counter()
    with _workdir(options.keep, scenario) as root:
        world = World(scenario, root, clock)
        panel = panel_factory(world) if panel_factory is not None else None
        run = _Run(scenario, world, clock, panel, speed)
        excerpt: list[str] = []
        try:
            await world.start()
            if options.real_time:  # time zero: every device started (see the module's doc)
                await world.await_started()
            await run.run()
        finally:
            await run.close()
            with contextlib.suppress(Exception):
                world.read_traces()
            if run.failure is not None:  # before the teardown's own lines come in
                excerpt = run.trace_excerpt()
            timeline = world.now()
            if panel is not None:
                await panel.close()
            await world.close()
    return ScenarioResult(
        scenario,
        run.failure is None,
        run.results,
        run.failure,
        run.message,
        run.failed_at,
        excerpt,
        timeline,
        time.perf_counter() - started,
    )


@contextlib.contextmanager
def _workdir(keep: Path | None, scenario: Scenario) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield Path(tempfile.mkdtemp(prefix="scenario-", dir=keep))
        return
    with tempfile.TemporaryDirectory(prefix="mfp-scenario-") as tmp:
        yield Path(tmp)


# -- files, the command line ---------------------------------------------------------------------
def run_files(paths: Sequence[Path], options: RunOptions | None = None) -> int:
    """Load and run every file; print a summary per scenario (and JUnit XML if asked).
    0: all passed; 1: a scenario failed; 2: a file could not be read (its error printed as
    path:line:column: message)."""
    from panel.scenario.format import ScenarioError, load
    from panel.scenario.summary import print_result

    options = options or RunOptions()
    out = options.out or sys.stdout
    scenarios: list[Scenario] = []
    bad: list[tuple[str, str]] = []  # (file, message): could not be read or built
    for path in paths:
        try:
            scenarios.append(load(path))
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            bad.append((str(path), str(exc)))
        except OSError as exc:
            print(f"{path}: {exc.strerror or exc}", file=sys.stderr)
            bad.append((str(path), f"{path}: {exc.strerror or exc}"))
    results: list[ScenarioResult] = []

    async def main(_app: Any = None) -> int:
        for scenario in scenarios:
            try:
                result = await run_scenario(scenario, options)
            except WorldError as exc:
                where = f"{scenario.path}:{exc.line}" if scenario.path else scenario.name
                print(f"{where}: {exc}", file=sys.stderr)
                bad.append((str(scenario.path or scenario.name), f"{where}: {exc}"))
                continue
            results.append(result)
            print_result(result, out)
        return 0

    if any(_wants_panel(s, options) for s in scenarios):
        run_with_qt(main, options)
    else:
        asyncio.run(main())
    if options.junit is not None:
        from panel.scenario.junit import write_junit

        write_junit(options.junit, results, bad)
    passed = sum(r.passed for r in results)
    print(f"{passed} of {len(results) + len(bad)} scenarios passed", file=out)
    if bad:
        return EXIT_BAD_FILE
    return EXIT_FAILED if passed < len(results) else EXIT_PASSED


def _wants_panel(scenario: Scenario, options: RunOptions) -> bool:
    return options.real_time or needs_panel(scenario)


def panel_factory_for(options: RunOptions) -> Callable[[World], PanelDriver]:
    from panel.scenario.qt_panel import QtPanels

    return lambda world: QtPanels(world, visible=options.real_time)


def run_with_qt(main: Callable[[Any], Any], options: RunOptions) -> None:
    """The panel needs Qt and one qasync loop; offscreen unless it is to be seen."""
    if not options.real_time:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import panel.scenario.qt_panel  # noqa: F401  (the panel's modules: once, before any run)
    from panel.ui.qt_loop import run_qt

    run_qt(main)
