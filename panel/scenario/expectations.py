"""One checker per expectation kind of `panel.scenario.model.EXPECTATIONS`.

The runner calls a checker after every step of the clock from the expectation's start until it
is met or its deadline passes. A checker answers whether it is met now and what it saw (the
report of a failure says what was there instead).

- trace: a line of the device (or the server) with that concern and event and those fields,
  written from the expectation's start on.
- screen: the panel shows that screen.
- job_state: a job (of that title, of that user) is in that state, or reached it after the
  start (a job that printed between two checks counts); `side` device (default) or server.
- count: how many jobs (in `state`), outbox jobs (held, or in `state`), or trace lines (whole
  run, the device's and the server's) there are,
  compared with `op` (default ==). `==`, `>=`, `>` are met once they hold; `<` and `<=` must
  hold for the whole window: met at the deadline, failed the moment they do not.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from panel.device.model import JobKind
from panel.scenario.actions import ActionContext
from panel.scenario.model import EXPECTATIONS, Step
from panel.scenario.world import TraceLine


@dataclass(frozen=True)
class Check:
    met: bool
    seen: str = ""  # what was there instead (for a failure's report)
    broken: bool = False  # a "throughout" count that no longer holds: fail now


Checker = Callable[[ActionContext, Step, float], Check]

_OPS: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
THROUGHOUT_OPS: Final = frozenset({"<", "<="})
OUTGOING: Final = frozenset({JobKind.SCAN, JobKind.FAX})  # the outbox's jobs
SEEN_NAMES: Final = 10  # a failed trace expectation lists at most this many events seen


def _same(want: object, got: object) -> bool:
    if want == got:
        return True
    if isinstance(want, bool) or isinstance(got, bool):
        return False
    return str(want) == str(got)


def normal_screen(name: str) -> str:
    """`device-status` and `device_status` name the same screen."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _device_name(ctx: ActionContext, step: Step) -> str:
    return step.device or next(iter(ctx.world.slots))


def _from(ctx: ActionContext, step: Step, line: TraceLine) -> bool:
    """The line comes from where the expectation looks: its `source`, its device."""
    source = step.params.get("source")
    if source is not None and line.source != source:
        return False
    return line.source != "device" or line.device == _device_name(ctx, step)


def _matches(ctx: ActionContext, step: Step, line: TraceLine) -> bool:
    params = step.params
    if not _from(ctx, step, line):
        return False
    data = line.data
    if data.get("concern") != params["concern"] or data.get("event") != params["event"]:
        return False
    wanted: Mapping[str, Any] = params.get("fields") or {}
    return all(k in data and _same(v, data[k]) for k, v in wanted.items())


def _trace(ctx: ActionContext, step: Step, start: float) -> Check:
    lines = [line for line in ctx.world.lines if line.at >= start - 1e-9]
    if any(_matches(ctx, step, line) for line in lines):
        return Check(True)
    same_event = [
        line
        for line in lines
        if line.data.get("concern") == step.params["concern"]
        and line.data.get("event") == step.params["event"]
    ]
    if same_event:
        return Check(False, "lines of that event, other fields: " + same_event[-1].show().strip())
    return Check(False, _what_was_there(ctx, step, lines))


def _what_was_there(ctx: ActionContext, step: Step, lines: list[TraceLine]) -> str:
    """No line of that event: the events of that concern that were written (or, if none, the
    concerns), so a misspelt name shows at once."""
    concern = step.params["concern"]
    mine = [line.data for line in lines if _from(ctx, step, line)]
    events = _distinct(str(d.get("event")) for d in mine if d.get("concern") == concern)
    if events:
        return f"no such line; events of {concern!r} seen: {events}"
    concerns = _distinct(str(d.get("concern")) for d in mine)
    return f"no line of {concern!r}; concerns seen: {concerns or 'none'}"


def _distinct(names: Iterable[str]) -> str:
    """Up to SEEN_NAMES names, each once, in the order first seen."""
    unique = list(dict.fromkeys(names))
    more = f", ... ({len(unique) - SEEN_NAMES} more)" if len(unique) > SEEN_NAMES else ""
    return ", ".join(unique[:SEEN_NAMES]) + more


def _screen(ctx: ActionContext, step: Step, start: float) -> Check:
    panel = ctx.needs_panel()
    shown = panel.screen(_device_name(ctx, step))
    return Check(normal_screen(shown) == normal_screen(str(step.params["screen"])), shown)


def _job_state(ctx: ActionContext, step: Step, start: float) -> Check:
    params = step.params
    side = params.get("side", "device")
    if side == "server":
        history = ctx.world.server_history
    else:
        history = ctx.world.slots[_device_name(ctx, step)].job_history
    latest: dict[str, tuple[float, str, str, str, str]] = {}
    reached = False
    for entry in history:
        at, job_id, title, user, state = entry
        if "title" in params and title != params["title"]:
            continue
        if "user" in params and user != params["user"]:
            continue
        if at >= start - 1e-9 and state == params["state"]:
            reached = True
        latest[job_id] = entry
    if reached or any(e[4] == params["state"] for e in latest.values()):
        return Check(True)
    shown = ", ".join(f"{e[2]!r} {e[4]}" for e in latest.values()) or "no such job"
    return Check(False, shown)


def _count_now(ctx: ActionContext, step: Step) -> int:
    params = step.params
    what = params["what"]
    if what == "trace":
        return sum(
            1
            for line in ctx.world.lines
            if ("concern" not in params or line.data.get("concern") == params["concern"])
            and ("event" not in params or line.data.get("event") == params["event"])
            and (line.source == "server" or line.device == _device_name(ctx, step))
        )
    device = ctx.device(step)
    jobs = device.jobs.all()
    if what == "outbox":
        if "state" not in params:
            return device.outbox_stats.held  # what waits for the server, as the panel counts
        jobs = [job for job in jobs if job.kind in OUTGOING]
    if "state" in params:
        jobs = [job for job in jobs if job.state.value == params["state"]]
    return len(jobs)


def _count(ctx: ActionContext, step: Step, start: float) -> Check:
    op = str(step.params.get("op", "=="))
    value = _count_now(ctx, step)
    holds = _OPS[op](value, step.params["value"])
    if op in THROUGHOUT_OPS:
        return Check(False, f"{value}", broken=not holds)
    return Check(holds, f"{value}")


CHECKERS: Final[dict[str, Checker]] = {
    "trace": _trace,
    "screen": _screen,
    "job_state": _job_state,
    "count": _count,
}
PANEL_EXPECTATIONS: Final = frozenset({"screen"})
COUNT_WHATS: Final = ("jobs", "outbox", "trace")

assert set(CHECKERS) == set(EXPECTATIONS), "one checker per expectation kind"
